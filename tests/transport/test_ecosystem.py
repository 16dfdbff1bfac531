"""The fake among the tools its users already have: boto3 paginators, the AWS CLI v1, moto,
pytest-xdist, syrupy and freezegun. Each is a test extra, never a runtime dependency.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from importlib.metadata import requires
from typing import Any

import boto3
import freezegun
import pytest
from awscli.clidriver import create_clidriver
from moto import mock_aws

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

COMMAND = {"Name": "glueetl", "ScriptLocation": "s3://bucket/job.py"}


def seed(fake: GlueJobsFake, count: int) -> list[str]:
    names = [f"job-{number:04}" for number in range(count)]
    for name in names:
        fake.add_job(Name=name, Role="GlueRole", Command=COMMAND)
    return names


def test_integrations_are_test_extras_not_runtime_dependencies():
    runtime = [req for req in requires("pytest-gluejobs") or [] if "extra ==" not in req]
    names = {re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].lower() for req in runtime}
    assert names == {"pytest", "botocore", "wrapt", "freezegun"}


# -- boto3 paginators -----------------------------------------------------------------------------


def test_boto3_paginators_walk_every_page(glue_jobs: GlueJobsFake):
    names = seed(glue_jobs, 250)
    glue = boto3.client("glue")

    pages = list(glue.get_paginator("get_jobs").paginate(PaginationConfig={"PageSize": 100}))
    assert [len(page["Jobs"]) for page in pages] == [100, 100, 50]
    assert [job["Name"] for page in pages for job in page["Jobs"]] == names

    listed = glue.get_paginator("list_jobs").paginate().build_full_result()
    assert listed["JobNames"] == names
    assert "NextToken" not in listed


def test_boto3_paginator_max_items_resumes_from_its_token(glue_jobs: GlueJobsFake):
    names = seed(glue_jobs, 30)
    paginator = boto3.client("glue").get_paginator("list_jobs")

    first = paginator.paginate(PaginationConfig={"MaxItems": 12, "PageSize": 5})
    head = first.build_full_result()
    rest = paginator.paginate(PaginationConfig={"StartingToken": head["NextToken"]})
    assert head["JobNames"] + rest.build_full_result()["JobNames"] == names


def test_boto3_paginator_with_a_tag_filter(glue_jobs: GlueJobsFake):
    seed(glue_jobs, 120)
    tagged = [f"tagged-{number:03}" for number in range(120)]
    for name in tagged:
        glue_jobs.add_job(Name=name, Role="GlueRole", Command=COMMAND, Tags={"team": "a"})

    paginator = boto3.client("glue").get_paginator("list_jobs")
    pages = list(paginator.paginate(Tags={"team": "a"}))
    # Filtered before paging: full pages of tagged jobs, not pages emptied by the filter.
    assert [len(page["JobNames"]) for page in pages] == [100, 20]
    assert [name for page in pages for name in page["JobNames"]] == tagged


# -- the AWS CLI v1, in-process -------------------------------------------------------------------


def aws(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    """Run ``aws <args>`` in this process; returns (exit code, parsed JSON output, stderr)."""
    capsys.readouterr()
    code = create_clidriver().main([*args, "--output", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_aws_cli_creates_and_reads_a_job(
    glue_jobs: GlueJobsFake, capsys: pytest.CaptureFixture[str]
):
    code, out, _ = aws(
        capsys,
        "glue",
        "create-job",
        "--name",
        "nightly",
        "--role",
        "GlueRole",
        "--command",
        "Name=glueetl,ScriptLocation=s3://bucket/nightly.py",
        "--timeout",
        "60",
    )
    assert (code, out) == (0, {"Name": "nightly"})
    glue_jobs.assert_job("nightly", Timeout=60, Command={"Name": "glueetl"})

    code, out, _ = aws(capsys, "glue", "get-job", "--job-name", "nightly")
    assert code == 0
    assert out["Job"]["Timeout"] == 60


def test_aws_cli_auto_paginates_list_jobs_and_get_jobs(
    glue_jobs: GlueJobsFake, capsys: pytest.CaptureFixture[str]
):
    names = seed(glue_jobs, 230)  # more than one 100-job page

    code, out, _ = aws(capsys, "glue", "list-jobs")
    assert code == 0
    assert out["JobNames"] == names
    code, out, _ = aws(capsys, "glue", "get-jobs")
    assert code == 0
    assert [job["Name"] for job in out["Jobs"]] == names
    assert len([call for call in glue_jobs.calls if call.operation == "GetJobs"]) == 3

    code, out, _ = aws(capsys, "glue", "list-jobs", "--max-items", "150")
    assert out["JobNames"] == names[:150]
    assert "NextToken" in out


def test_aws_cli_reports_glue_errors(glue_jobs: GlueJobsFake, capsys: pytest.CaptureFixture[str]):
    code, out, err = aws(capsys, "glue", "get-job", "--job-name", "missing")

    assert code != 0
    assert out is None
    assert "EntityNotFoundException" in err


# -- moto's mock_aws side by side -----------------------------------------------------------------


def _glue_here_s3_in_moto(fake: GlueJobsFake) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="scripts")
    s3.put_object(Bucket="scripts", Key="job.py", Body=b"print('hi')")
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(
        Name="from-s3",
        Role="GlueRole",
        Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/job.py"},
    )
    # UpdateJob is not in moto: this call reaching the fake proves Glue is answered here.
    glue.update_job(
        JobName="from-s3",
        JobUpdate={"Role": "GlueRole", "Command": {"Name": "glueetl", "ScriptLocation": "s3://x"}},
    )
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["scripts"]
    fake.assert_job("from-s3", Command={"ScriptLocation": "s3://x"})
    assert [call.operation for call in fake.calls] == ["CreateJob", "UpdateJob"]


def test_moto_outside_the_glue_fake():
    with mock_aws(), mock_glue_jobs() as fake:
        _glue_here_s3_in_moto(fake)


def test_moto_inside_the_glue_fake():
    with mock_glue_jobs() as fake, mock_aws():
        _glue_here_s3_in_moto(fake)


def test_moto_inside_the_fixture(glue_jobs: GlueJobsFake):
    with mock_aws():
        _glue_here_s3_in_moto(glue_jobs)


def test_moto_answers_glue_again_once_the_fake_stops():
    with mock_aws():
        with mock_glue_jobs() as fake:
            boto3.client("glue").create_job(Name="faked", Role="GlueRole", Command=COMMAND)
        glue = boto3.client("glue", region_name="us-east-1")
        assert glue.list_jobs()["JobNames"] == []  # moto's own, empty backend
        assert fake.jobs.keys() == {"faked"}


# -- freezegun from outside -----------------------------------------------------------------------


def test_freezegun_around_calls_sets_created_on(glue_jobs: GlueJobsFake):
    glue = boto3.client("glue")
    with freezegun.freeze_time("2026-02-03 04:05:06"):
        glue.create_job(Name="frozen", Role="GlueRole", Command=COMMAND)
    glue.update_job(JobName="frozen", JobUpdate={"Role": "GlueRole", "Command": COMMAND})

    job = glue.get_job(JobName="frozen")["Job"]
    assert job["CreatedOn"] == datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    assert job["LastModifiedOn"] > job["CreatedOn"]


@freezegun.freeze_time("2026-02-03 04:05:06")
def test_freezegun_decorator_on_a_test_using_the_fixture(glue_jobs: GlueJobsFake):
    boto3.client("glue").create_job(Name="frozen", Role="GlueRole", Command=COMMAND)

    moment = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    glue_jobs.assert_job("frozen", CreatedOn=moment, LastModifiedOn=moment)


# -- pytest-xdist and syrupy, in a separate pytest process ---------------------------------------

SNAPSHOT_TESTS = """
import boto3
import pytest

@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_state(glue_jobs, count):
    glue = boto3.client("glue")
    for number in range(count):
        glue.create_job(Name=f"job-{number}", Role="GlueRole",
                        Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
    # Each test sees only its own jobs, whichever worker runs it.
    assert glue_jobs.jobs.keys() == {f"job-{number}" for number in range(count)}
    glue_jobs.assert_snapshot()
"""


def test_xdist_runs_snapshot_tests_and_writes_their_files(pytester: pytest.Pytester):
    pytester.makepyfile(test_xdist_snapshots=SNAPSHOT_TESTS)

    update = pytester.runpytest_subprocess("-n", "2", "--glue-snapshot-update")
    update.assert_outcomes(passed=4)
    written = sorted(
        path.name for path in (pytester.path / "__snapshots__" / "test_xdist_snapshots").iterdir()
    )
    assert len(written) == 4
    assert all(name.startswith("test_state") and name.endswith(".json") for name in written)

    pytester.runpytest_subprocess("-n", "2").assert_outcomes(passed=4)


def test_syrupy_compares_the_fakes_snapshot(pytester: pytest.Pytester):
    test_file = pytester.makepyfile(
        test_syrupy_state="""
        import boto3

        def test_state(glue_jobs, snapshot):
            boto3.client("glue").create_job(
                Name="nightly", Role="GlueRole", Timeout=TIMEOUT,
                Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
            assert glue_jobs.snapshot() == snapshot
        """.replace("TIMEOUT", "60")
    )

    pytester.runpytest("--snapshot-update").assert_outcomes(passed=1)
    stored = (pytester.path / "__snapshots__" / "test_syrupy_state.ambr").read_text()
    assert "'Timeout': 60" in stored
    assert "'CreatedOn': '<timestamp>'" in stored
    pytester.runpytest().assert_outcomes(passed=1)

    test_file.write_text(test_file.read_text().replace("Timeout=60", "Timeout=61"))
    changed = pytester.runpytest()
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(["*61*"])


# -- the end-of-run summary line ------------------------------------------------------------------

SUMMARY_TESTS = """
import boto3
import pytest

@pytest.mark.glue_fault("GetJob", "InternalServiceException", times=1)
def test_retried(glue_jobs):
    glue_jobs.add_job(Name="a", Role="R", Command={"Name": "glueetl", "ScriptLocation": "s3://b/a"})
    boto3.client("glue").get_job(JobName="a")  # 500, then 200 on botocore's retry

def test_two_calls(glue_jobs):
    glue = boto3.client("glue")
    glue.list_jobs()
    glue.get_jobs()

def test_without_the_fake():
    pass
"""
SUMMARY = "glue_jobs: 2 tests used the fake: 4 calls answered, 1 injected fault, "


def test_summary_line_with_verbose(pytester: pytest.Pytester):
    pytester.makepyfile(test_summary=SUMMARY_TESTS)

    result = pytester.runpytest("-v")

    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines([SUMMARY + "0 snapshot files written"])


def test_no_summary_line_without_verbose_when_all_is_well(pytester: pytest.Pytester):
    pytester.makepyfile(test_summary=SUMMARY_TESTS)

    result = pytester.runpytest()

    result.assert_outcomes(passed=3)
    result.stdout.no_fnmatch_line("*glue_jobs: *")


def test_summary_line_without_verbose_when_a_fault_never_fired(pytester: pytest.Pytester):
    pytester.makepyfile(
        SUMMARY_TESTS
        + """
@pytest.mark.glue_fault("DeleteJob")
def test_never_deletes(glue_jobs):
    boto3.client("glue").list_jobs()
"""
    )

    result = pytester.runpytest()

    result.assert_outcomes(passed=4, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "glue_jobs: 3 tests used the fake: 5 calls answered, 1 injected fault, "
            "0 snapshot files written; 1 fault never fired (see the warnings above)"
        ]
    )


def test_summary_line_counts_snapshots_written_and_the_work_of_xdist_workers(
    pytester: pytest.Pytester,
):
    pytester.makepyfile(
        test_summary=SUMMARY_TESTS
        + """
def test_snapshot(glue_jobs):
    glue_jobs.assert_snapshot()
"""
    )

    result = pytester.runpytest_subprocess("-n", "2", "--glue-snapshot-update")

    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "glue_jobs: 3 tests used the fake: 4 calls answered, 1 injected fault, "
            "1 snapshot file written"
        ]
    )
