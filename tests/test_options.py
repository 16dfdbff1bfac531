"""A fake's options: one definition for GlueJobsFake, mock_glue_jobs, the marker and the ini file.

Each option is checked once, with the same message wherever it is given; fail() and Fault take the
same parameters; reset() forgets the state and keeps the options.
"""

from __future__ import annotations

import dataclasses
import inspect
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

from pytest_gluejobs import Fault, GlueJobsFake, mock_glue_jobs
from pytest_gluejobs._core.versions import DEFAULT_GLUE_VERSION
from pytest_gluejobs._options import FakeOptions

ROLE = "GlueServiceRole"
JOB = {"Role": ROLE, "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/job.py"}}

# (keyword, bad value, a fragment of the message)
BAD_OPTIONS = [
    pytest.param("region", "us east 1", "region must be an AWS region name", id="region"),
    pytest.param("account_id", "1234", "account_id must be an AWS account id", id="account"),
    pytest.param("default_glue_version", "9.9", "default_glue_version: GlueVersion '9.9'", id="v"),
    pytest.param("default_glue_version", 5.0, "default_glue_version must be a version", id="v-f"),
    pytest.param("extra_glue_versions", "6.1", "extra_glue_versions must be a list", id="extra"),
    pytest.param("extra_glue_versions", ["six"], "extra Glue version 'six'", id="extra-form"),
    pytest.param("real_retry_sleep", "yes", "real_retry_sleep must be True or False", id="sleep"),
    pytest.param("frozen_time", "not a time", "frozen_time 'not a time' is not a time", id="ft"),
    pytest.param("frozen_time", 3, "frozen_time must be a datetime", id="ft-int"),
    pytest.param("virtual_time", 1, "virtual_time must be True or False", id="virtual"),
]


@pytest.mark.parametrize(("keyword", "value", "message"), BAD_OPTIONS)
def test_each_option_is_checked_with_the_same_message_everywhere(
    keyword: str, value: Any, message: str
) -> None:
    for make in (GlueJobsFake, mock_glue_jobs, FakeOptions):
        with pytest.raises((TypeError, ValueError)) as caught:
            make(**{keyword: value})
        assert message in str(caught.value), make


def test_an_unknown_keyword_is_refused_naming_it() -> None:
    for make in (GlueJobsFake, mock_glue_jobs):
        with pytest.raises(TypeError, match="regoin"):
            make(regoin="eu-west-1")


def test_the_constructors_take_exactly_the_options() -> None:
    names = [field.name for field in dataclasses.fields(FakeOptions)]
    assert list(inspect.signature(GlueJobsFake).parameters) == names
    assert list(inspect.signature(mock_glue_jobs).parameters) == names
    assert "virtual_time" in names


def test_fail_takes_the_parameters_of_fault() -> None:
    fail = inspect.signature(GlueJobsFake.fail).parameters
    assert list(fail)[1:] == list(inspect.signature(Fault).parameters)
    assert list(fail.values())[1:] == list(inspect.signature(Fault).parameters.values())


def test_the_glue_fault_marker_describes_the_parameters_of_fault() -> None:
    from pytest_gluejobs import plugin

    signature = inspect.signature(Fault)
    bare = signature.replace(
        parameters=[p.replace(annotation=p.empty) for p in signature.parameters.values()],
        return_annotation=signature.empty,
    )
    assert plugin._GLUE_FAULT_MARKER.startswith(f"glue_fault{bare}: ")


def test_the_default_glue_version_is_the_one_constant() -> None:
    assert FakeOptions().default_glue_version == DEFAULT_GLUE_VERSION
    with mock_glue_jobs() as fake:
        assert fake.add_job(Name="bare", **JOB)["GlueVersion"] == DEFAULT_GLUE_VERSION


def test_virtual_time_is_carried_from_every_entry_point() -> None:
    assert GlueJobsFake().options.virtual_time is False
    assert GlueJobsFake(virtual_time=True).options.virtual_time is True
    with mock_glue_jobs(virtual_time=True) as fake:
        assert fake.options.virtual_time is True


def test_frozen_time_works_outside_pytest_too() -> None:
    with mock_glue_jobs(frozen_time="2024-01-31 12:00:00") as fake:
        assert datetime.now(timezone.utc) == datetime(2024, 1, 31, 12, tzinfo=timezone.utc)
        created = fake.add_job(Name="stamped", **JOB)["CreatedOn"]
        assert created == datetime(2024, 1, 31, 12, tzinfo=timezone.utc)
    assert datetime.now(timezone.utc).year > 2024


def test_the_options_object_is_passed_whole(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nglue_jobs_virtual_time = true\nglue_jobs_region = eu-west-1\n")
    pytester.makepyfile(
        """
        import pytest

        def test_ini(glue_jobs):
            assert glue_jobs.options.virtual_time is True
            assert glue_jobs.options.region == "eu-west-1"

        @pytest.mark.glue_jobs(virtual_time=False, account_id="210987654321")
        def test_marker_over_ini(glue_jobs):
            assert glue_jobs.options.virtual_time is False
            assert glue_jobs.options.region == "eu-west-1"
            assert glue_jobs.account_id == "210987654321"
        """
    )
    pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_a_bad_marker_option_fails_the_test_naming_the_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.glue_jobs(virtual_time="yes")
        def test_bad(glue_jobs):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.glue_jobs: virtual_time must be True or False; got 'yes'*"]
    )


def test_a_bad_ini_option_stops_the_run_with_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nglue_jobs_account_id = 42\n")
    pytester.makepyfile("def test_never(glue_jobs):\n    pass\n")
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*glue_jobs_*account_id must be an AWS account id*'42'*"])


# -- reset(): what it forgets, what it keeps ----------------------------------------------------


def _run_states_of(fake: GlueJobsFake, glue: Any, name: str) -> list[str]:
    run_id = glue.start_job_run(JobName=name)["JobRunId"]
    return [glue.get_job_run(JobName=name, RunId=run_id)["JobRun"]["JobRunState"] for _ in "123"]


def test_reset_forgets_jobs_tags_and_runs_in_every_partition() -> None:
    with mock_glue_jobs() as fake:
        fake.add_job(Name="here", Tags={"team": "data"}, **JOB)
        fake.add_job(Name="far", region="eu-west-1", **JOB)
        fake.client().start_job_run(JobName="here")
        fake.reset()
        assert fake.snapshot() == {}
        assert fake.runs() == []
        fake.add_job(Name="here", **JOB)
        assert fake.tags("here") == {}


def test_reset_forgets_scripted_run_states_of_a_job_and_of_every_job() -> None:
    with mock_glue_jobs() as fake:
        glue = fake.client()
        fake.run_states("one", "FAILED")
        fake.run_states("*", "WAITING")
        fake.reset()
        fake.add_job(Name="one", **JOB)
        fake.add_job(Name="two", **JOB)
        # Every run's first read shows STARTING; then the default script, not the forgotten ones.
        assert _run_states_of(fake, glue, "one") == ["STARTING", "RUNNING", "SUCCEEDED"]
        assert _run_states_of(fake, glue, "two") == ["STARTING", "RUNNING", "SUCCEEDED"]


def test_reset_forgets_faults_fired_or_not_and_calls() -> None:
    with mock_glue_jobs() as fake:
        fake.fail("GetJobs")
        fake.fail("DeleteJob")
        with pytest.raises(fake.client().exceptions.InternalServiceException):
            fake.client(config=_no_retries()).get_jobs()
        fake.reset()
        assert fake.faults == []
        assert fake.unfired_faults() == []
        assert fake.calls == []
        fake.client().get_jobs()  # answered


def test_reset_starts_run_ids_again_as_a_fresh_fake_would() -> None:
    with mock_glue_jobs() as fresh:
        fresh.add_job(Name="job", **JOB)
        first = fresh.client().start_job_run(JobName="job")["JobRunId"]
    with mock_glue_jobs() as fake:
        fake.add_job(Name="job", ExecutionProperty={"MaxConcurrentRuns": 2}, **JOB)
        fake.client().start_job_run(JobName="job")
        fake.client().start_job_run(JobName="job")
        fake.reset()
        fake.add_job(Name="job", **JOB)
        assert fake.client().start_job_run(JobName="job")["JobRunId"] == first


def test_reset_keeps_the_partition_and_the_glue_versions() -> None:
    options = {
        "region": "eu-west-1",
        "account_id": "210987654321",
        "default_glue_version": "5.0",
        "extra_glue_versions": ["9.1"],
    }
    with mock_glue_jobs(**options) as fake:
        fake.reset()
        assert (fake.region, fake.account_id) == ("eu-west-1", "210987654321")
        assert fake.options == FakeOptions(**options)
        boto3.client("glue").create_job(Name="bare", **JOB)  # the default partition
        assert fake.job("bare")["GlueVersion"] == "5.0"  # type: ignore[index]
        assert fake.add_job(Name="new", GlueVersion="9.1", **JOB)["GlueVersion"] == "9.1"


def test_reset_keeps_the_fake_active() -> None:
    with mock_glue_jobs() as fake:
        fake.reset()
        boto3.client("glue").create_job(Name="after", **JOB)
        assert list(fake.jobs) == ["after"]


def test_reset_keeps_the_frozen_clock_of_the_options_and_of_freeze_time() -> None:
    with mock_glue_jobs(frozen_time="2024-01-31 12:00:00") as fake:
        fake.reset()
        assert datetime.now(timezone.utc).year == 2024
    with mock_glue_jobs() as fake:
        clock = fake.freeze_time("2023-06-01")
        fake.reset()
        assert datetime.now().year == 2023
        clock.move_to("2023-07-01")  # the same freezer still holds the clock
        assert datetime.now().month == 7


def test_reset_keeps_retry_sleeping_and_virtual_time_settings() -> None:
    with mock_glue_jobs(real_retry_sleep=True, virtual_time=True) as fake:
        fake.reset()
        assert fake.options.real_retry_sleep is True
        assert fake._interceptor.real_retry_sleep is True
        assert fake.options.virtual_time is True


def _no_retries() -> Any:
    import botocore.config

    return botocore.config.Config(retries={"total_max_attempts": 1})
