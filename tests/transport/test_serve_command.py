"""``python -m pytest_gluejobs serve``: the fake outside pytest, used by another process.

The command prints the environment lines a harness exports; a child given them (and nothing else
from AWS) is answered by the served fake; SIGTERM and SIGINT end it cleanly and close its port.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import ROOT, harness_environment

AWS_CLI = Path(sys.executable).with_name("aws")
LINES = (
    "AWS_ENDPOINT_URL_GLUE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "NO_PROXY",
)


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest_gluejobs", *args]


class Served:
    def __init__(self, process: subprocess.Popen[str], exported: dict[str, str]) -> None:
        self.process = process
        self.exported = exported

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args),
            env={**harness_environment(), **self.exported},
            capture_output=True,
            text=True,
            timeout=120,
        )


def serve(*options: str) -> Iterator[Served]:
    process = subprocess.Popen(
        command("serve", *options),
        env=harness_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        exported = dict(process.stdout.readline().strip().split("=", 1) for _ in LINES)
        yield Served(process, exported)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=60)


@pytest.fixture
def served() -> Iterator[Served]:
    yield from serve("--region", "eu-west-1")


def test_it_prints_the_lines_a_harness_exports(served: Served) -> None:
    assert list(served.exported) == list(LINES)
    address = urlsplit(served.exported["AWS_ENDPOINT_URL_GLUE"])
    assert (address.scheme, address.hostname) == ("http", "127.0.0.1")
    assert served.exported["AWS_DEFAULT_REGION"] == served.exported["AWS_REGION"] == "eu-west-1"
    assert len(served.exported["AWS_SECRET_ACCESS_KEY"]) >= 32


def test_a_child_given_the_lines_is_answered_by_the_served_fake(served: Served) -> None:
    created = served.run(
        sys.executable,
        "-c",
        "import boto3\n"
        "boto3.client('glue').create_job(Name='nightly', Role='r',\n"
        "    Command={'Name': 'glueetl', 'ScriptLocation': 's3://b/x.py'})\n",
    )
    assert created.returncode == 0, created.stderr
    listed = served.run(
        sys.executable,
        "-c",
        "import boto3, json\nprint(json.dumps(boto3.client('glue').list_jobs()['JobNames']))\n",
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == ["nightly"]


@pytest.mark.skipif(not AWS_CLI.exists(), reason="the AWS CLI is not installed beside Python")
def test_the_aws_cli_given_the_lines_is_answered(served: Served) -> None:
    created = served.run(
        str(AWS_CLI),
        "glue",
        "create-job",
        "--name",
        "cli-job",
        "--role",
        "r",
        "--command",
        "Name=pythonshell,ScriptLocation=s3://b/x.py",
    )
    assert created.returncode == 0, created.stderr
    got = served.run(str(AWS_CLI), "glue", "get-job", "--job-name", "cli-job", "--output", "json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["Job"]["Command"]["Name"] == "pythonshell"


def test_a_child_with_other_credentials_is_refused(served: Served) -> None:
    other = {**served.exported, "AWS_SECRET_ACCESS_KEY": "my-real-secret"}
    done = subprocess.run(
        [sys.executable, "-c", "import boto3\nboto3.client('glue').list_jobs()\n"],
        env={**harness_environment(), **other},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "InvalidSignatureException" in done.stderr


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_it_cleanly_and_closes_the_port(stop: signal.Signals) -> None:
    for served in serve():
        address = urlsplit(served.exported["AWS_ENDPOINT_URL_GLUE"])
        assert address.port is not None
        served.process.send_signal(stop)
        _, stderr = served.process.communicate(timeout=60)
        assert served.process.returncode == 0, stderr
        assert "Traceback" not in stderr
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", address.port), timeout=5)


def test_the_options_set_the_fakes_defaults() -> None:
    for served in serve("--default-glue-version", "0.9", "--account-id", "210987654321"):
        done = served.run(
            sys.executable,
            "-c",
            "import boto3, json\n"
            "glue = boto3.client('glue')\n"
            "glue.create_job(Name='old', Role='r',\n"
            "    Command={'Name': 'glueetl', 'ScriptLocation': 's3://b/x.py'})\n"
            "job = glue.get_job(JobName='old')['Job']\n"
            "print(json.dumps([job['GlueVersion'], job['Timeout']]))\n",
        )
        assert done.returncode == 0, done.stderr
        # The API reference's defaults: https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html
        assert json.loads(done.stdout) == ["0.9", 2880]


def test_help_speaks_of_what_it_does() -> None:
    done = subprocess.run(
        command("serve", "--help"), capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0
    for word in ("--port", "--region", "--account-id", "--default-glue-version", "SIGTERM"):
        assert word in done.stdout


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--account-id", "12"), "--account-id must be 12 digits"),
        (("--default-glue-version", "9.9"), "default_glue_version"),
        (("--port", "70000"), "--port must be between 0 and 65535"),
    ],
)
def test_a_wrong_option_is_a_usage_error(options: tuple[str, ...], message: str) -> None:
    done = subprocess.run(
        command("serve", *options), capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_a_port_in_use_is_an_error_naming_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            command("serve", "--port", str(port)),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    assert done.returncode == 1
    assert f"127.0.0.1:{port}" in done.stderr
