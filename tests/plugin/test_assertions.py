"""assert_job, assert_no_job, assert_job_names, assert_called and assert_not_called.

The messages are pinned by their essential content: the job's name and partition, the dotted path of
each differing field with its expected and actual values, and the nearest candidates, closest first.
They are read from ``str(error)``, which is what a user sees without pytest's assertion rewriting.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import ROLE, SCRIPT, command, job_params

from pytest_gluejobs import mock_glue_jobs

HERE = "123456789012/us-east-1"


def failure(check: Any, *args: Any, **kwargs: Any) -> str:
    """Run an assertion helper that must fail, and return its message."""
    with pytest.raises(AssertionError) as caught:
        check(*args, **kwargs)
    return str(caught.value)


def lines_in_order(message: str, *fragments: str) -> None:
    """Each fragment appears in ``message``, in this order."""
    positions = [message.index(fragment) for fragment in fragments]
    assert positions == sorted(positions), message


# -- assert_job ----------------------------------------------------------------------------------


def test_assert_job_passes_on_matching_fields_and_returns_the_job(
    glue_jobs: Any, glue: Any
) -> None:
    glue.create_job(
        **job_params("nightly", MaxRetries=2, DefaultArguments={"--a": "1", "--b": "2"})
    )

    job = glue_jobs.assert_job(
        "nightly",
        Role=ROLE,
        MaxRetries=2,
        Command={"ScriptLocation": SCRIPT},  # a nested dict matches as a subset
        DefaultArguments={"--b": "2"},
    )

    assert job == glue.get_job(JobName="nightly")["Job"]


def test_assert_job_names_each_differing_field_by_its_path(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"))

    message = failure(
        glue_jobs.assert_job,
        "nightly",
        Command={"Name": "glueetl", "ScriptLocation": "s3://bucket/scripts/other.py"},
        MaxRetries=3,
    )

    assert f"Glue job 'nightly' in {HERE} does not match: 2 field(s) differ." in message
    lines_in_order(
        message,
        "Command.ScriptLocation:",
        "expected: 's3://bucket/scripts/other.py'",
        f"actual:   {SCRIPT!r}",
        "MaxRetries:",
        "expected: 3",
        "actual:   0",  # Glue's default MaxRetries (research §2, REC)
    )
    assert "Command.Name" not in message  # it matched
    assert '"Name": "nightly"' in message  # the whole job follows, to see the rest of it


def test_assert_job_compares_lists_exactly(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly", Connections={"Connections": ["a", "b"]}))

    glue_jobs.assert_job("nightly", Connections={"Connections": ["a", "b"]})
    message = failure(glue_jobs.assert_job, "nightly", Connections={"Connections": ["a"]})

    assert "Connections.Connections:" in message
    assert "expected: ['a']" in message
    assert "actual:   ['a', 'b']" in message


def test_assert_job_suggests_the_field_a_misspelt_one_meant(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"))

    message = failure(glue_jobs.assert_job, "nightly", Comand={"Name": "glueetl"})
    nested = failure(glue_jobs.assert_job, "nightly", Command={"ScriptLocaton": SCRIPT})

    assert "actual:   <absent> (did you mean 'Command'?)" in message
    assert "Command.ScriptLocaton:" in nested
    assert "did you mean 'ScriptLocation'?" in nested


def test_assert_job_tells_an_unset_job_field_from_a_misspelt_one(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"))

    message = failure(glue_jobs.assert_job, "nightly", Description="nightly ETL")

    assert "Description:" in message
    assert "actual:   <absent>" in message
    assert "(not set on this job)" in message
    assert "did you mean" not in message


def test_assert_job_matches_tags_as_a_subset(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly", Tags={"team": "data", "cost": "etl"}))

    glue_jobs.assert_job("nightly", Tags={"team": "data"})
    message = failure(glue_jobs.assert_job, "nightly", Tags={"team": "platform"})

    assert "Tags.team:" in message
    assert "expected: 'platform'" in message
    assert "actual:   'data'" in message


def test_missing_job_lists_the_names_there_closest_first(glue_jobs: Any) -> None:
    for name in ("weekly-report", "nightly-etl", "monthly"):
        glue_jobs.add_job(**job_params(name))

    message = failure(glue_jobs.assert_job, "nightly", Role=ROLE)

    assert f"No Glue job named 'nightly' in {HERE}." in message
    assert "Jobs there (3), closest name first:" in message
    lines_in_order(message, "'nightly-etl'", "'monthly'", "'weekly-report'")


def test_missing_job_points_at_the_partition_that_has_it(glue_jobs: Any) -> None:
    glue_jobs.add_job(region="eu-west-1", **job_params("nightly"))

    message = failure(glue_jobs.assert_job, "nightly")

    assert "That partition has no jobs." in message
    assert "A job named 'nightly' exists in 123456789012/eu-west-1" in message
    glue_jobs.assert_job("nightly", region="eu-west-1", Role=ROLE)


def test_missing_job_says_when_no_call_reached_the_fake(glue_jobs: Any) -> None:
    message = failure(glue_jobs.assert_job, "nightly")

    assert "No Glue call has reached the fake" in message


def test_assertion_messages_are_complete_without_pytest_rewriting() -> None:
    # mock_glue_jobs is how unittest and plain scripts use the fake: no pytest involved.
    with mock_glue_jobs() as fake:
        fake.add_job(**job_params("nightly"))
        try:
            fake.assert_job("nightly", MaxRetries=5)
        except AssertionError as error:
            message = str(error)
        else:
            pytest.fail("assert_job should have failed")

    assert "MaxRetries:" in message
    assert "expected: 5" in message


# -- assert_no_job, assert_job_names ------------------------------------------------------------


def test_assert_no_job(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"))
    glue_jobs.assert_no_job("weekly")
    glue_jobs.assert_no_job("nightly", region="eu-west-1")

    message = failure(glue_jobs.assert_no_job, "nightly")

    assert f"Glue job 'nightly' exists in {HERE}, but it should not." in message
    assert '"ScriptLocation": "s3://bucket/scripts/job.py"' in message


def test_assert_job_names_ignores_order(glue_jobs: Any) -> None:
    for name in ("b", "a", "c"):
        glue_jobs.add_job(**job_params(name))

    glue_jobs.assert_job_names("c", "a", "b")
    glue_jobs.assert_job_names(region="eu-west-1")  # no jobs there


def test_assert_job_names_shows_missing_and_unexpected_names(glue_jobs: Any) -> None:
    for name in ("nightly-etl", "weekly"):
        glue_jobs.add_job(**job_params(name))

    message = failure(glue_jobs.assert_job_names, "nightly", "weekly")

    assert f"The jobs in {HERE} are not the expected ones." in message
    assert "missing:    'nightly' (closest unexpected name: 'nightly-etl')" in message
    assert "unexpected: 'nightly-etl'" in message
    assert "expected: ['nightly', 'weekly']" in message
    assert "actual:   ['nightly-etl', 'weekly']" in message


# -- the call log --------------------------------------------------------------------------------


def test_the_call_log_gives_the_same_call_objects_on_every_read(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("a"))
    first = glue_jobs.calls
    glue.get_job(JobName="a")
    second = glue_jobs.calls
    assert second[0] is first[0]  # a retry_delay or a change a test made to it stays put
    assert [(call.operation, call.status, call.error) for call in second] == [
        ("CreateJob", 200, None),
        ("GetJob", 200, None),
    ]
    assert second[1].response is not None and second[1].response["Job"]["Name"] == "a"


# -- assert_called, assert_not_called -----------------------------------------------------------


def test_assert_called_matches_params_as_nested_subsets_and_returns_the_calls(
    glue_jobs: Any, glue: Any
) -> None:
    glue.create_job(**job_params("a"))
    glue.create_job(**job_params("b"))
    glue.get_job(JobName="a")

    calls = glue_jobs.assert_called("CreateJob", times=2, Command={"Name": "glueetl"})
    only_b = glue_jobs.assert_called("CreateJob", times=1, Name="b")

    assert [call.params["Name"] for call in calls] == ["a", "b"]
    assert [call.params["Name"] for call in only_b] == ["b"]
    glue_jobs.assert_called("GetJob")
    glue_jobs.assert_called("DeleteJob", times=0)


def test_assert_called_lists_the_calls_made_closest_first(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(Name="x", Role="Other", Command=command(ScriptLocation="s3://else/where.py"))
    glue.create_job(**job_params("nightly", Command=command(ScriptLocation="s3://b/n2.py")))

    message = failure(
        glue_jobs.assert_called,
        "CreateJob",
        Name="nightly",
        Role=ROLE,
        Command={"ScriptLocation": "s3://b/n.py"},
    )

    assert "Expected CreateJob to be called at least once with params matching" in message
    assert "0 of the 2 CreateJob call(s) match." in message
    # call #2 differs in one field, call #1 in three: #2 first
    lines_in_order(
        message,
        "#2 CreateJob -> 200 OK in 123456789012/us-east-1",
        "Command.ScriptLocation:",
        "expected: 's3://b/n.py'",
        "actual:   's3://b/n2.py'",
        "#1 CreateJob -> 200 OK",
        "Name:",
        "Role:",
    )


def test_assert_called_with_times_shows_the_matching_calls(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("a"))
    glue.create_job(**job_params("b"))

    message = failure(glue_jobs.assert_called, "CreateJob", times=1)

    assert "Expected CreateJob to be called exactly 1 time(s); 2 of the 2" in message
    lines_in_order(message, "Matching calls:", "#1 CreateJob", "#2 CreateJob")


def test_assert_called_names_the_operations_that_were_called(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("a"))
    glue.get_job(JobName="a")
    glue.get_job(JobName="a")

    message = failure(glue_jobs.assert_called, "UpdateJob")

    assert "0 of the 0 UpdateJob call(s) match." in message
    assert "Calls that reached the fake: CreateJob x1, GetJob x2." in message


def test_assert_called_says_when_no_call_reached_the_fake(glue_jobs: Any) -> None:
    message = failure(glue_jobs.assert_called, "CreateJob")

    assert "No Glue call reached the fake at all" in message


@pytest.mark.glue_fault("CreateJob", "InternalServiceException", times=1)
def test_assert_called_counts_every_attempt_retries_included(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("a"))  # botocore retries the 500 once

    calls = glue_jobs.assert_called("CreateJob", times=2, Name="a")

    assert [(call.status, call.injected) for call in calls] == [(500, True), (200, False)]
    message = failure(glue_jobs.assert_called, "CreateJob", times=1)
    assert "#1 CreateJob -> 500 InternalServiceException, injected" in message


def test_assert_not_called(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("a"))
    glue_jobs.assert_not_called("DeleteJob")

    message = failure(glue_jobs.assert_not_called, "CreateJob")

    assert "Expected no CreateJob call, but 1 reached the fake:" in message
    assert "#1 CreateJob -> 200 OK" in message
    assert "'Name': 'a'" in message


@pytest.mark.parametrize("check", ["assert_called", "assert_not_called"])
def test_an_unknown_operation_is_an_error_naming_the_seven(glue_jobs: Any, check: str) -> None:
    with pytest.raises(ValueError) as caught:
        getattr(glue_jobs, check)("create_job")

    message = str(caught.value)
    assert "'create_job' is not one of the Glue operations the fake records" in message
    for operation in (
        "CreateJob",
        "UpdateJob",
        "GetJob",
        "GetJobs",
        "DeleteJob",
        "ListJobs",
        "BatchGetJobs",
    ):
        assert operation in message
    assert "Did you mean 'CreateJob'?" in message


def test_a_glue_operation_the_fake_does_not_implement_is_named_as_such(glue_jobs: Any) -> None:
    with pytest.raises(ValueError, match="GetCrawler is a Glue operation the fake does not"):
        glue_jobs.assert_not_called("GetCrawler")


def test_assert_called_refuses_negative_times(glue_jobs: Any) -> None:
    with pytest.raises(ValueError, match="times must be 0 or more; got -1"):
        glue_jobs.assert_called("CreateJob", times=-1)
