"""The pytest plugin seen from a user's test suite (pytester), and mock_glue_jobs outside pytest.

Covers DESIGN.md §2 "Markers, options, non-pytest use" and the reliability bar of §6: the patch
on ``Endpoint._send`` and the environment are undone after a test fails, a fixture errors or the
run is interrupted; a machine with no AWS configuration works; unfired faults are reported.
Runs that depend on the process environment use a subprocess.
"""

from __future__ import annotations

import json
import os
import textwrap
import unittest
from pathlib import Path
from typing import Any

import boto3
import pytest
from helpers import job_params

from pytest_gluejobs import GlueJobsFake, UnsupportedOperation, mock_glue_jobs
from pytest_gluejobs._transport.activation import is_patched

pytest_plugins = ["pytester"]


# Hypothesis's plugin imports much of hypothesis for its terminal summary: seconds per inner run.
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--strict-markers")


def run_inline(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*QUIET, *args)


def run_subprocess(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*QUIET, *args)


# -- markers and options ---------------------------------------------------------------------------


def test_both_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, "--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.glue_jobs(region=..., account_id=..., jobs=*",
            "@pytest.mark.glue_fault(operation, error='InternalServiceException', *",
        ]
    )


def test_markers_pass_strict_markers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.mark.glue_jobs(region="eu-west-1")
        @pytest.mark.glue_fault("GetJobs", "OperationTimeout", times=1)
        def test_marked(glue_jobs):
            glue = boto3.client("glue")
            try:
                glue.get_jobs()
            except glue.exceptions.OperationTimeoutException:
                pass
            assert glue.get_jobs()["Jobs"] == []
            assert [c.region for c in glue_jobs.calls] == ["eu-west-1"] * 2
        """
    )
    run_inline(pytester).assert_outcomes(passed=1)


def test_ini_options_configure_the_fake(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        glue_jobs_region = eu-central-1
        glue_jobs_account_id = 210987654321
        glue_jobs_default_glue_version = 4.0
        """
    )
    pytester.makepyfile(
        """
        import boto3

        def test_defaults_from_ini(glue_jobs):
            assert (glue_jobs.region, glue_jobs.account_id) == ("eu-central-1", "210987654321")
            glue = boto3.client("glue")  # the region comes from the fake's environment
            glue.create_job(Name="n", Role="R",
                            Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py"})
            assert glue.get_job(JobName="n")["Job"]["GlueVersion"] == "4.0"
            assert list(glue_jobs.jobs) == ["n"]
            call = glue_jobs.calls[0]
            assert (call.account_id, call.region) == ("210987654321", "eu-central-1")
        """
    )
    run_inline(pytester).assert_outcomes(passed=1)


def test_marker_options_nearest_scope_wins_key_by_key(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        glue_jobs_region = us-west-2
        glue_jobs_account_id = 999999999999
        """
    )
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.glue_jobs(region="eu-west-1", account_id="111111111111",
                                           default_glue_version="3.0")

        def test_module_scope(glue_jobs):
            assert (glue_jobs.region, glue_jobs.account_id) == ("eu-west-1", "111111111111")

        @pytest.mark.glue_jobs(region="ap-south-1")
        class TestClass:
            def test_class_scope(self, glue_jobs):
                assert (glue_jobs.region, glue_jobs.account_id) == ("ap-south-1", "111111111111")

            @pytest.mark.glue_jobs(
                account_id="222222222222",
                jobs=[{"Name": "seeded", "Role": "R",
                       "Command": {"Name": "pythonshell", "ScriptLocation": "s3://b/s.py"}}],
                frozen_time="2026-01-02T03:04:05Z",
            )
            def test_function_scope(self, glue_jobs):
                assert (glue_jobs.region, glue_jobs.account_id) == ("ap-south-1", "222222222222")
                job = glue_jobs.job("seeded")
                assert job["GlueVersion"] == "3.0"
                assert job["CreatedOn"].isoformat() == "2026-01-02T03:04:05+00:00"
        """
    )
    run_inline(pytester).assert_outcomes(passed=3)


MISUSED_MARKERS = {
    "glue_jobs": (
        """
        import pytest

        @pytest.mark.glue_jobs(regoin="eu-west-1")
        def test_typo(glue_jobs):
            pass

        @pytest.mark.glue_jobs("eu-west-1")
        def test_positional(glue_jobs):
            pass
        """,
        [
            "*@pytest.mark.glue_jobs got unknown keyword(s) regoin; it takes: region, account_id*",
            "*@pytest.mark.glue_jobs takes keywords only; got positional ('eu-west-1',)*",
        ],
    ),
    "glue_fault": (
        """
        import pytest

        @pytest.mark.glue_fault("GetJob", tims=1)
        def test_typo():
            pass

        @pytest.mark.glue_fault("GetJob", "NoSuchError")
        def test_bad_error():
            pass
        """,
        [
            "*unexpected keyword argument 'tims'*",
            "*'NoSuchError' is not an error GetJob declares. Choose one of: *",
        ],
    ),
}


@pytest.mark.parametrize("marker", sorted(MISUSED_MARKERS))
def test_a_misspelt_marker_argument_fails_naming_it(pytester: pytest.Pytester, marker: str) -> None:
    source, messages = MISUSED_MARKERS[marker]
    pytester.makepyfile(source)
    result = run_inline(pytester)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(messages)


def test_a_marked_test_gets_the_fake_first(pytester: pytest.Pytester) -> None:
    # Active during the test's other fixtures too, not only in its body.
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.fixture
        def deployed():
            boto3.client("glue").create_job(
                Name="n", Role="R", Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py"})

        @pytest.mark.glue_jobs()
        def test_uses_it(request, deployed):
            # Wider-scoped fixtures (a plugin's session fixtures) still come first.
            names = request.fixturenames
            assert names.index("glue_jobs") < names.index("deployed")
            assert request.getfixturevalue("glue_jobs").job("n") is not None
        """
    )
    run_inline(pytester).assert_outcomes(passed=1)


def test_glue_fault_markers_apply_module_class_function_top_to_bottom(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        pytestmark = pytest.mark.glue_fault("GetJobs", "InvalidInput", times=1)

        @pytest.mark.glue_fault("GetJobs", "EntityNotFound", times=1)
        class TestOrder:
            @pytest.mark.glue_fault("GetJobs", "OperationTimeout", times=1)
            @pytest.mark.glue_fault("GetJobs", "Throttling", times=1)
            def test_order(self, glue_jobs):
                glue = boto3.client("glue")
                outcomes = []
                for _ in range(4):
                    try:
                        glue.get_jobs()
                        outcomes.append("ok")
                    except glue.exceptions.ClientError as error:
                        outcomes.append(error.response["Error"]["Code"])
                # Throttling is retried by botocore: its attempt and the next are one call.
                assert outcomes == ["InvalidInputException", "EntityNotFoundException",
                                    "OperationTimeoutException", "ok"]
                assert [c.error for c in glue_jobs.calls] == [
                    "InvalidInputException", "EntityNotFoundException",
                    "OperationTimeoutException", "ThrottlingException", None]
        """
    )
    run_inline(pytester).assert_outcomes(passed=1)


# -- unfired faults ------------------------------------------------------------------------------

UNFIRED_TESTS = """
    import boto3
    import pytest

    @pytest.mark.glue_fault("DeleteJob", "OperationTimeout", job_name="nightly")
    def test_marker_fault_never_fires(glue_jobs):
        boto3.client("glue").get_jobs()

    def test_fail_never_fires(glue_jobs):
        glue_jobs.fail("GetJob", after=3)

    @pytest.mark.glue_fault("GetJobs", "OperationTimeout", times=1)
    def test_fired_fault_is_quiet(glue_jobs):
        glue = boto3.client("glue")
        with pytest.raises(glue.exceptions.OperationTimeoutException):
            glue.get_jobs()
"""


def test_an_unfired_fault_is_a_warning_naming_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(UNFIRED_TESTS)
    result = run_inline(pytester)
    result.assert_outcomes(passed=3, warnings=2)
    result.stdout.fnmatch_lines(
        [
            "*test_marker_fault_never_fires*",
            "*GlueFaultNotFiredWarning: 1 glue fault(s) never fired*",
            "*- Fault('DeleteJob', 'OperationTimeoutException', job_name='nightly', fired=0)",
            "*test_fail_never_fires*",
            "*- Fault('GetJob', 'InternalServiceException', after=3, fired=0)",
        ]
    )
    assert "test_fired_fault_is_quiet" not in result.stdout.str().split("warnings summary")[1]


def test_strict_faults_marker_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        "import pytest\npytestmark = pytest.mark.glue_jobs(strict_faults=True)\n"
        + textwrap.dedent(UNFIRED_TESTS)
    )
    result = run_inline(pytester)
    result.assert_outcomes(passed=3, errors=2, warnings=0)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_marker_fault_never_fires*",
            "*1 glue fault(s) never fired*",
            "*(strict_faults is on: unfired faults fail the test)*",
        ]
    )


def test_strict_faults_spare_a_test_that_failed_already(pytester: pytest.Pytester) -> None:
    # Its own failure says what went wrong; an extra teardown error for the faults it never
    # reached would only bury it. The unfired fault is still reported, as a warning on the test.
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.glue_jobs(strict_faults=True)
        @pytest.mark.glue_fault("GetJob")
        def test_breaks_before_reaching_glue(glue_jobs):
            assert 1 == 2
        """
    )
    result = run_inline(pytester)
    result.assert_outcomes(failed=1, errors=0, warnings=1)
    result.stdout.fnmatch_lines(
        ["*test_strict_faults_spare_a_test_that_failed_already.py:3: GlueFaultNotFiredWarning*"]
    )


def test_strict_faults_ini_fails_the_test_and_a_marker_can_relax_it(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\nglue_jobs_strict_faults = true\n")
    pytester.makepyfile(
        textwrap.dedent(UNFIRED_TESTS)
        + textwrap.dedent(
            """
            @pytest.mark.glue_jobs(strict_faults=False)
            def test_relaxed(glue_jobs):
                glue_jobs.fail("GetJob")
            """
        )
    )
    result = run_inline(pytester)
    result.assert_outcomes(passed=4, errors=2, warnings=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_fail_never_fires*"])


# -- teardown always happens -----------------------------------------------------------------------

TEARDOWN_TESTS = """
    import json
    import os

    import boto3
    import pytest

    from pytest_gluejobs._transport.activation import is_patched

    AWS_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
                "AWS_PROFILE", "AWS_SESSION_TOKEN")

    def outside():
        return {"patched": is_patched(), **{key: os.environ.get(key) for key in AWS_KEYS}}

    def test_fails(glue_jobs):
        boto3.client("glue").get_jobs()
        assert is_patched()
        assert False, "the test failed"

    def test_after_a_failing_test():
        assert outside() == EXPECTED

    @pytest.fixture
    def broken_setup(glue_jobs):
        raise RuntimeError("the fixture failed")

    def test_fixture_errors(broken_setup):
        pass

    def test_after_an_erroring_fixture():
        assert outside() == EXPECTED

    @pytest.fixture
    def broken_teardown(glue_jobs):
        yield
        raise RuntimeError("the fixture's teardown failed")

    def test_teardown_errors(broken_teardown):
        pass

    def test_after_an_erroring_teardown():
        assert outside() == EXPECTED

    @pytest.mark.glue_fault("GetJobs", "InternalServiceException")
    def test_fails_inside_a_fault(glue_jobs):
        with pytest.raises(ZeroDivisionError):
            1 / 0
        boto3.client("glue").get_jobs()

    def test_after_a_fault_test():
        assert outside() == EXPECTED
"""

OUTER_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "outer-key",
    "AWS_SECRET_ACCESS_KEY": None,
    "AWS_DEFAULT_REGION": None,
    "AWS_PROFILE": "outer-profile",
    "AWS_SESSION_TOKEN": "outer-token",
}


def set_outer_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in OUTER_ENVIRONMENT.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)


def test_patch_and_environment_are_undone_after_failures_and_errors(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_outer_environment(monkeypatch)
    expected = {"patched": False, **OUTER_ENVIRONMENT}
    pytester.makepyfile(f"EXPECTED = {expected!r}\n" + textwrap.dedent(TEARDOWN_TESTS))
    result = run_subprocess(pytester)
    result.assert_outcomes(passed=5, failed=2, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_fixture_errors*",
            "*ERROR at teardown of test_teardown_errors*",
        ]
    )


def test_patch_and_environment_are_undone_when_the_run_is_interrupted(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_outer_environment(monkeypatch)
    pytester.makeconftest(
        """
        import json
        import os

        import pytest

        from pytest_gluejobs._transport.activation import is_patched

        @pytest.hookimpl(wrapper=True)
        def pytest_sessionfinish(session):
            # After every other implementation, pytest's fixture teardown included.
            yield
            state = {"patched": is_patched(), "key": os.environ.get("AWS_ACCESS_KEY_ID"),
                     "profile": os.environ.get("AWS_PROFILE")}
            with open("after-session.json", "w") as out:
                json.dump(state, out)
        """
    )
    pytester.makepyfile(
        """
        def test_interrupted(glue_jobs):
            raise KeyboardInterrupt
        """
    )
    result = run_subprocess(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    state = json.loads((pytester.path / "after-session.json").read_text())
    assert state == {"patched": False, "key": "outer-key", "profile": "outer-profile"}


def test_a_machine_with_no_aws_configuration_works(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "missing" / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "missing" / "credentials"))
    pytester.makepyfile(
        """
        import boto3
        import botocore.exceptions
        import pytest

        def test_the_machine_really_is_bare():
            with pytest.raises(botocore.exceptions.NoRegionError):
                boto3.session.Session().client("glue")

        def test_boto3_works_with_the_fake(glue_jobs):
            glue = boto3.client("glue")
            glue.create_job(Name="n", Role="R",
                            Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py"})
            assert glue.get_job(JobName="n")["Job"]["Name"] == "n"
            assert glue.list_jobs()["JobNames"] == ["n"]
            assert [(c.account_id, c.region) for c in glue_jobs.calls] == [
                ("123456789012", "us-east-1")] * 3

        def test_and_bare_again_afterwards():
            with pytest.raises(botocore.exceptions.NoRegionError):
                boto3.session.Session().client("glue")
        """
    )
    run_subprocess(pytester).assert_outcomes(passed=3)


# -- operations outside the seven ------------------------------------------------------------------


def test_an_unsupported_glue_operation_raises_naming_it(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    with pytest.raises(UnsupportedOperation, match="GetCrawler was called") as caught:
        glue.get_crawler(Name="nightly")
    assert isinstance(caught.value, NotImplementedError)
    assert "Nothing was sent to AWS" in str(caught.value)
    with pytest.raises(UnsupportedOperation, match="GetDatabases was called"):
        glue.get_databases()
    assert glue_jobs.calls == []


# -- mock_glue_jobs without pytest --------------------------------------------------------------


def test_mock_glue_jobs_as_a_context_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "outer-key")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with mock_glue_jobs(region="eu-west-1", account_id="111111111111") as fake:
        assert isinstance(fake, GlueJobsFake)
        assert is_patched()
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
        glue = boto3.client("glue")
        glue.create_job(**job_params("nightly"))
        fake.fail("GetJob", "EntityNotFound", times=1)
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_job(JobName="nightly")
        assert (fake.region, fake.account_id) == ("eu-west-1", "111111111111")
        assert list(fake.jobs) == ["nightly"]
    assert not is_patched()
    assert os.environ["AWS_ACCESS_KEY_ID"] == "outer-key"
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_mock_glue_jobs_nests_and_each_block_gets_a_fresh_fake() -> None:
    mock = mock_glue_jobs()
    with mock as outer:
        boto3.client("glue", region_name="us-east-1").create_job(**job_params("outer"))
        with mock as inner:
            glue = boto3.client("glue", region_name="us-east-1")
            assert glue.list_jobs()["JobNames"] == []  # the innermost fake answers
            glue.create_job(**job_params("inner"))
        assert is_patched()
        assert list(outer.jobs) == ["outer"]
        assert list(inner.jobs) == ["inner"]
    assert not is_patched()


def test_mock_glue_jobs_as_a_function_decorator() -> None:
    @mock_glue_jobs(region="ap-south-1")
    def deploy(name: str) -> list[str]:
        glue = boto3.client("glue")
        glue.create_job(**job_params(name))
        assert glue.meta.region_name == "ap-south-1"
        return list(glue.list_jobs()["JobNames"])

    assert deploy("first") == ["first"]
    assert deploy("second") == ["second"]  # a fresh fake per call
    assert not is_patched()


def test_mock_glue_jobs_stops_when_the_function_raises() -> None:
    @mock_glue_jobs()
    def broken() -> None:
        assert is_patched()
        raise LookupError("inside")

    with pytest.raises(LookupError):
        broken()
    assert not is_patched()


def test_mock_glue_jobs_on_a_unittest_test_case() -> None:
    seen: list[Any] = []

    @mock_glue_jobs(region="eu-north-1")
    class DeployTests(unittest.TestCase):
        def setUp(self) -> None:
            # The fake is already active in setUp.
            boto3.client("glue").create_job(**job_params("from-setup"))

        def test_one(self) -> None:
            seen.append(self.glue_jobs)  # type: ignore[attr-defined]
            self.assertTrue(is_patched())
            self.assertEqual(list(self.glue_jobs.jobs), ["from-setup"])  # type: ignore[attr-defined]

        def test_two(self) -> None:
            seen.append(self.glue_jobs)  # type: ignore[attr-defined]
            self.assertEqual(self.glue_jobs.region, "eu-north-1")  # type: ignore[attr-defined]
            boto3.client("glue").create_job(**job_params("second"))
            self.assertEqual(len(self.glue_jobs.jobs), 2)  # type: ignore[attr-defined]

    suite = unittest.defaultTestLoader.loadTestsFromTestCase(DeployTests)
    result = unittest.TestResult()
    suite.run(result)
    assert (result.errors, result.failures, result.testsRun) == ([], [], 2)
    assert len(seen) == 2 and seen[0] is not seen[1]
    assert not is_patched()


def test_mock_glue_jobs_refuses_what_it_cannot_decorate() -> None:
    with pytest.raises(TypeError, match=r"functions and unittest\.TestCase classes"):
        mock_glue_jobs()(type("Plain", (), {}))


def test_a_run_whose_tests_do_not_use_the_fake_does_not_import_it(
    pytester: pytest.Pytester,
) -> None:
    # pytest loads the plugin in every run where the package is installed; botocore and freezegun
    # (about a quarter of a second) are imported when a test first asks for the fake, not before.
    pytester.makepyfile(
        test_imports="""
        import sys

        HEAVY = ("botocore", "freezegun", "wrapt", "pytest_gluejobs._fake")

        def test_without_the_fake():
            assert [name for name in HEAVY if name in sys.modules] == []

        def test_with_the_fake(glue_jobs):
            assert [name for name in HEAVY if name in sys.modules] == list(HEAVY)

        def test_after_it():
            assert "pytest_gluejobs._fake" in sys.modules
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
