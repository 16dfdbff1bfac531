"""Messages a user trips on (issue 14): suggestions, type errors that name the argument, errors
that point at the test, a report section of the calls a failed test made, and readable names.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from helpers import job_params

import pytest_gluejobs
from pytest_gluejobs import GlueJobsFake, UnsupportedOperation


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (("create_job",), "Did you mean 'CreateJob'?"),
        (("getjob",), "Did you mean 'GetJob'?"),
        (("GetJob", "OperationTimeOut"), "Did you mean 'OperationTimeoutException'?"),
        (("GetJob", "throttling"), "Did you mean 'ThrottlingException'?"),
        (("GetJob", "entity_not_found"), "Did you mean 'EntityNotFoundException'?"),
    ],
)
def test_a_near_miss_gets_a_suggestion(
    glue_jobs: GlueJobsFake, args: tuple[str, ...], suggestion: str
) -> None:
    with pytest.raises(ValueError, match=suggestion):
        glue_jobs.fail(*args)


@pytest.mark.parametrize(
    ("keywords", "named"),
    [
        ({"times": "1"}, "times"),
        ({"times": True}, "times"),
        ({"after": 1.5}, "after"),
        ({"probability": "0.5"}, "probability"),
        ({"job_name": 7}, "job_name"),
        ({"message": 3}, "message"),
    ],
)
def test_a_wrong_type_names_its_argument(
    glue_jobs: GlueJobsFake, keywords: dict[str, Any], named: str
) -> None:
    with pytest.raises(TypeError, match=f"Fault {named} must be"):
        glue_jobs.fail("GetJob", **keywords)


def test_a_bad_marker_fails_its_test_with_one_readable_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.glue_fault("GetJob", "OperationTimeOut", times="1")
        def test_marked(glue_jobs):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.glue_fault('GetJob', 'OperationTimeOut', times='1') on "
            "test_a_bad_marker_fails_its_test_with_one_readable_line.py::test_marked: "
            "Fault times must be*"
        ]
    )
    assert "raised in repr()" not in result.stdout.str()
    assert "pytest_gluejobs/_core" not in result.stdout.str()  # no plugin frames


def test_a_failed_test_reports_the_calls_glue_saw(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_deploy(glue_jobs):
            glue = boto3.client("glue")
            glue.create_job(Name="nightly", Role="R", Command={"Name": "glueetl", "ScriptLocation": "s3://b/n.py"})
            glue_jobs.fail("GetJobs", times=1)
            glue.get_jobs()
            try:
                glue.get_job(JobName="missing")
            except glue.exceptions.EntityNotFoundException:
                pass
            assert len(glue_jobs.jobs) == 2
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*glue_jobs calls (call)*",
            "  1. CreateJob nightly -> 200",
            "  2. GetJobs - -> 500 InternalServiceException (injected)",
            "  3. GetJobs - -> 200",
            "  4. GetJob missing -> 400 EntityNotFoundException",
        ]
    )


def test_a_passing_test_has_no_calls_section(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_ok(glue_jobs):\n    assert glue_jobs.calls == []\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=1)
    assert "glue_jobs calls" not in result.stdout.str()


def test_the_fake_has_a_readable_repr(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(**job_params())
    boto3.client("glue").get_job(JobName="nightly")
    fault = glue_jobs.fail("GetJob", "EntityNotFound", times=1)
    assert repr(glue_jobs) == (
        "<GlueJobsFake 123456789012/us-east-1 active: 1 job(s) (nightly), 1 call(s), 1 fault(s)>"
    )
    with pytest.raises(boto3.client("glue").exceptions.EntityNotFoundException):
        boto3.client("glue").get_job(JobName="nightly")
    assert fault.fired == 1


def test_public_names_are_importable_and_shown_as_such() -> None:
    for name in ("UnsupportedOperation", "RealGlueBlocked", "GlueFaultNotFiredWarning"):
        exported = getattr(pytest_gluejobs, name)
        assert exported.__module__ == "pytest_gluejobs"
    from pytest_gluejobs import GlueFaultNotFiredWarning

    assert GlueFaultNotFiredWarning is pytest_gluejobs.GlueFaultNotFiredWarning
    assert set(dir(pytest_gluejobs)) >= set(pytest_gluejobs.__all__)


def test_unsupported_operation_says_how_to_make_the_call_anyway(glue_jobs: GlueJobsFake) -> None:
    with pytest.raises(UnsupportedOperation) as caught:
        boto3.client("glue").get_crawler(Name="nightly")
    message = str(caught.value)
    assert "Nothing was sent to AWS" in message
    assert "glue_jobs.stop()" in message and "unittest.mock.patch" in message
