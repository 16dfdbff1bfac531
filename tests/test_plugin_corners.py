"""The plugin in pytest's corners: skips and xfails, the guard beside moto, fixture order and the
environment, ways of loading the plugin, parametrized snapshot names, and unreadable snapshot files.
"""

from __future__ import annotations

import json
import os

import pytest

QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*QUIET, *args)


# -- skipped and xfail tests ----------------------------------------------------------------------

SKIPPING = """
import pytest

pytestmark = pytest.mark.glue_fault("GetJob")

@pytest.mark.skip(reason="not today")
def test_skip_marker(glue_jobs):
    pass

def test_skip_in_the_test(glue_jobs):
    pytest.skip("not today")

@pytest.fixture
def unavailable():
    pytest.skip("the service is not there")

def test_skipping_fixture(glue_jobs, unavailable):
    pass

@pytest.mark.skipif(True, reason="never here")
def test_skipif(glue_jobs):
    pass
"""


@pytest.mark.parametrize("strict", ["false", "true"])
def test_a_skipped_test_is_skipped_without_error_or_unfired_fault_warning(
    pytester: pytest.Pytester, strict: str
) -> None:
    pytester.makeini(f"[pytest]\nglue_jobs_strict_faults = {strict}\n")
    pytester.makepyfile(test_skips=SKIPPING)
    result = run(pytester, "-rA", "-v")
    result.assert_outcomes(skipped=4, errors=0, warnings=0)
    assert "GlueFaultNotFiredWarning" not in result.stdout.str()
    assert "never fired" not in result.stdout.str()


XFAIL = """
import pytest

@pytest.mark.glue_jobs(strict_faults=True)
@pytest.mark.glue_fault("GetJob")
@pytest.mark.xfail(reason="known bug")
def test_known_bug(glue_jobs):
    assert False
"""


def test_an_xfail_test_counts_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_xfail=XFAIL)
    result = run(pytester, "-v")
    result.assert_outcomes(xfailed=1, errors=0, failed=0, warnings=0)
    result.stdout.fnmatch_lines(["glue_jobs: 1 test used the fake*"])


# -- the guard beside moto -----------------------------------------------------------------------

MOTO_UNDER_THE_GUARD = """
import boto3
from moto import mock_aws

def test_moto_answers_glue():
    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_job(Name="by-moto", Role="r", Command={"Name": "glueetl"})
        assert glue.get_job(JobName="by-moto")["Job"]["Name"] == "by-moto"
"""


def test_with_the_guard_on_moto_still_answers_glue_when_no_fake_is_active(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\nglue_jobs_block_real_glue = true\n")
    pytester.makepyfile(test_moto=MOTO_UNDER_THE_GUARD)
    # In a new process, so that moto is imported while the guard is on, as in a user's run.
    pytester.runpytest_subprocess(*QUIET).assert_outcomes(passed=1)


# -- the environment, whatever the fixture order -------------------------------------------------

ENVIRONMENT = """
import os

import pytest

BEFORE = dict(os.environ)

def test_monkeypatch_first(monkeypatch, glue_jobs):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMTHETEST")
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)

def test_glue_jobs_first(glue_jobs, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "from-the-test")

@pytest.fixture
def patched_region(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")

def test_a_fixture_with_monkeypatch_first(patched_region, glue_jobs):
    pass

def test_the_environment_is_as_before():
    now = dict(os.environ)
    for changing in ("PYTEST_CURRENT_TEST", "PYTEST_VERSION"):
        now.pop(changing, None)
        BEFORE.pop(changing, None)
    assert now == BEFORE
"""


def test_the_environment_is_restored_exactly_whatever_the_fixture_order(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Values the fake changes while active, set before the run so that restoring them shows.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "sa-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDOFTHEUSER")
    monkeypatch.setenv("AWS_PROFILE", "the-users-profile")
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
    pytester.makepyfile(test_environment=ENVIRONMENT)
    run(pytester, "-p", "no:randomly").assert_outcomes(passed=4)
    assert os.environ["AWS_DEFAULT_REGION"] == "sa-east-1"


# -- ways of loading the plugin ------------------------------------------------------------------

USES_THE_FIXTURE = """
def test_fixture(glue_jobs):
    glue_jobs.add_job(Name="n", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
    assert list(glue_jobs.jobs) == ["n"]
"""


@pytest.mark.parametrize("autoload", [True, False], ids=["entry-point-too", "autoload-off"])
def test_dash_p_loads_the_plugin_once(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, autoload: bool
) -> None:
    if not autoload:
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(test_loaded=USES_THE_FIXTURE)
    result = pytester.runpytest_subprocess("-p", "pytest_gluejobs.plugin", *QUIET)
    result.assert_outcomes(passed=1)
    assert "already registered" not in result.stderr.str()


@pytest.mark.parametrize("autoload", [True, False], ids=["entry-point-too", "autoload-off"])
def test_pytest_plugins_in_a_conftest_loads_the_plugin_once(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, autoload: bool
) -> None:
    if not autoload:
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeconftest('pytest_plugins = ["pytest_gluejobs.plugin"]\n')
    pytester.makepyfile(test_loaded=USES_THE_FIXTURE)
    result = pytester.runpytest_subprocess(*QUIET)
    result.assert_outcomes(passed=1)
    assert "already registered" not in result.stderr.str()


# -- snapshot files of parametrized tests --------------------------------------------------------

PARAMETRIZED_SNAPSHOTS = """
import pytest

ROLES = [
    "arn:aws:iam::123456789012:role/Glue",
    "arn:aws:iam.123456789012:role/Glue",
    "a::b::c",
    "a.b.c",
]

@pytest.mark.parametrize("role", ROLES)
def test_role(glue_jobs, role):
    glue_jobs.add_job(Name="job", Role=role, Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
    glue_jobs.assert_snapshot()

class TestNested:
    @pytest.mark.parametrize("role", ["x::y"])
    def test_role(self, glue_jobs, role):
        glue_jobs.add_job(Name="job", Role=role, Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
        glue_jobs.assert_snapshot()
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist"])
def test_parametrized_tests_never_share_a_snapshot_file(
    pytester: pytest.Pytester, workers: list[str]
) -> None:
    pytester.makepyfile(test_params=PARAMETRIZED_SNAPSHOTS)
    written = pytester.runpytest_subprocess(*QUIET, "--glue-snapshot-update", *workers)
    written.assert_outcomes(passed=5)
    folder = pytester.path / "__snapshots__" / "test_params"
    files = sorted(folder.iterdir())
    assert len(files) == 5
    roles = {
        json.loads(path.read_text())["123456789012/us-east-1"]["job"]["Role"] for path in files
    }
    assert len(roles) == 5  # each file holds its own test's state
    pytester.runpytest_subprocess(*QUIET, *workers).assert_outcomes(passed=5)


# -- a snapshot file that cannot be read ----------------------------------------------------------


def test_a_snapshot_file_nested_too_deeply_is_reported_as_not_valid_json(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_deep="def test_state(glue_jobs):\n    glue_jobs.assert_snapshot()\n")
    folder = pytester.path / "__snapshots__" / "test_deep"
    folder.mkdir(parents=True)
    (folder / "test_state.json").write_text("[" * 100_000 + "]" * 100_000)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*The glue_jobs snapshot file __snapshots__/test_deep/test_state.json is not valid JSON*"]
    )
    assert "RecursionError" not in result.stdout.str()
