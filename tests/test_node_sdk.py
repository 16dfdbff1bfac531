"""The AWS SDK for JavaScript v3 (``@aws-sdk/client-glue``) in a Node.js child is answered too.

The child inherits the fake's environment only (``AWS_ENDPOINT_URL_GLUE``, credentials, region),
as any Node.js tool run by a test would. Skipped where Node.js or the package is missing:
``.ci/node-sdk`` installs the package and runs this file (``GLUEJOBS_NODE_MODULES`` names its
``node_modules``; else ``.node/node_modules`` in the checkout, as ``npm install --prefix .node
@aws-sdk/client-glue`` leaves it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pytest_gluejobs import GlueJobsFake

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
#: Named by the CI leg, which must run these tests: then a missing package fails them.
REQUIRED = os.environ.get("GLUEJOBS_NODE_MODULES")
NODE_MODULES = Path(REQUIRED or ROOT / ".node" / "node_modules")
INSTALLED = (NODE_MODULES / "@aws-sdk" / "client-glue").is_dir()

pytestmark = [
    pytest.mark.skipif(NODE is None and not REQUIRED, reason="Node.js is not installed"),
    pytest.mark.skipif(
        not INSTALLED and not REQUIRED,
        reason=f"@aws-sdk/client-glue is not installed in {NODE_MODULES} (run .ci/node-sdk)",
    ),
]

PRELUDE = """
const glue = require("@aws-sdk/client-glue");
const client = new glue.GlueClient({});
const out = {};
async function main() {
%s
}
main().then(() => console.log(JSON.stringify(out)), (e) => {
  console.error(e.name, e.message);
  process.exit(1);
});
"""


def run_node(body: str) -> Any:
    assert NODE is not None, "Node.js is not installed"
    assert INSTALLED, f"@aws-sdk/client-glue is not installed in {NODE_MODULES}"
    done = subprocess.run(
        [NODE, "-e", PRELUDE % body],
        env={**os.environ, "NODE_PATH": str(NODE_MODULES), "NODE_NO_WARNINGS": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_node_creates_reads_and_pages_through_the_fakes_jobs(glue_jobs: GlueJobsFake) -> None:
    for index in range(3):
        glue_jobs.add_job(
            Name=f"seeded-{index}",
            Role="r",
            Command={"Name": "glueetl", "ScriptLocation": "s3://b/x.py"},
        )
    out = run_node("""
  await client.send(new glue.CreateJobCommand({Name: "from-node", Role: "r",
    Command: {Name: "pythonshell", ScriptLocation: "s3://b/n.py"}, Tags: {team: "web"}}));
  const job = (await client.send(new glue.GetJobCommand({JobName: "from-node"}))).Job;
  out.command = job.Command.Name;
  out.createdIsADate = job.CreatedOn instanceof Date;
  out.names = [];
  for await (const page of glue.paginateGetJobs({client, pageSize: 2}, {})) {
    out.names.push(...page.Jobs.map((j) => j.Name));
  }
""")
    assert out == {
        "command": "pythonshell",
        "createdIsADate": True,
        "names": ["from-node", "seeded-0", "seeded-1", "seeded-2"],
    }
    assert glue_jobs.tags("from-node") == {"team": "web"}
    assert [call.operation for call in glue_jobs.calls] == ["CreateJob", "GetJob"] + ["GetJobs"] * 2


def test_node_gets_glues_modelled_errors_and_retries_a_fault(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/x"})
    glue_jobs.fail("GetJob", times=1, job_name="j")
    out = run_node("""
  try {
    await client.send(new glue.GetJobCommand({JobName: "missing"}));
  } catch (e) {
    out.error = [e.name, e instanceof glue.EntityNotFoundException, e.$metadata.httpStatusCode];
  }
  const answer = await client.send(new glue.GetJobCommand({JobName: "j"}));
  out.attempts = answer.$metadata.attempts;
""")
    # The injected fault is a 500, which the SDK retries: the second attempt is answered.
    assert out == {"error": ["EntityNotFoundException", True, 400], "attempts": 2}
    assert [call.status for call in glue_jobs.calls] == [400, 500, 200]


def test_node_with_other_credentials_is_refused(
    glue_jobs: GlueJobsFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "my-real-secret")
    out = run_node("""
  try {
    await client.send(new glue.ListJobsCommand({}));
  } catch (e) {
    out.error = e.name;
  }
""")
    assert out == {"error": "InvalidSignatureException"}
    assert glue_jobs.calls == []
