"""Job bookmarks: GetJobBookmark and ResetJobBookmark, and the entry successful runs advance.

Shapes: https://docs.aws.amazon.com/glue/latest/webapi/API_GetJobBookmark.html and
API_JobBookmarkEntry.html. A job that has never recorded a bookmark answers
EntityNotFoundException "Continuation for job <name> not found" (recorded for ResetJobBookmark, see
NO_ENTRY below; the API reference lists EntityNotFoundException for both operations, and
https://alchemy.run/providers/aws/glue/getjobbookmark says GetJobBookmark "Fails with the typed
EntityNotFoundException when the job has never recorded a bookmark"). Which runs advance the entry:
https://docs.aws.amazon.com/glue/latest/dg/monitor-continuations.html (job-bookmark-enable
advances it; pause and disable do not).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import glue_error, job_params

from pytest_gluejobs import GlueJobsFake

ENABLE = {"--job-bookmark-option": "job-bookmark-enable"}


def _run_to_the_end(glue: Any, name: str = "nightly", **start: Any) -> str:
    run_id: str = glue.start_job_run(JobName=name, **start)["JobRunId"]
    while glue.get_job_run(JobName=name, RunId=run_id)["JobRun"]["JobRunState"] not in (
        "SUCCEEDED",
        "FAILED",
        "STOPPED",
        "TIMEOUT",
        "ERROR",
    ):
        pass
    return run_id


# Glue's answer to `aws glue reset-job-bookmark` for a job created with job-bookmark-enable that had
# not run yet, as a user pasted it: "An error occurred (EntityNotFoundException) when calling the
# ResetJobBookmark operation: Continuation for job MeterMeasurementsHudiCompactionJob not found"
# https://github.com/nikhilpenmetsa/glue-hudi/blob/46eacde697fd14976d1250c4cd05ce8919111a81/runJob.sh
# (the job is defined in lib/cdk-glue-test-stack.ts of the same repository). GetJobBookmark reads
# the same entry; its answer is not on record and is taken to be the same.
NO_ENTRY = "Continuation for job {} not found"


def test_a_job_that_never_recorded_a_bookmark_has_no_entry(glue: Any) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    for call in (glue.reset_job_bookmark, glue.get_job_bookmark):
        with glue_error(glue, "EntityNotFoundException") as caught:
            call(JobName="nightly")
        assert caught.value.response["Error"]["Message"] == NO_ENTRY.format("nightly")


def test_a_job_that_does_not_exist_has_no_entry(glue: Any) -> None:
    # Not on record: the fake answers as for a job with no entry (unverified).
    for call in (glue.get_job_bookmark, glue.reset_job_bookmark):
        with glue_error(glue, "EntityNotFoundException") as caught:
            call(JobName="missing")
        assert caught.value.response["Error"]["Message"] == NO_ENTRY.format("missing")


def test_a_successful_run_with_bookmarks_enabled_advances_the_entry(glue: Any) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    first = _run_to_the_end(glue)
    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"] == {
        "JobName": "nightly",
        "Version": 1,
        "Run": 1,
        "Attempt": 0,
        "RunId": first,
        "JobBookmark": "{}",
    }
    second = _run_to_the_end(glue)
    entry = glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]
    assert (entry["Run"], entry["RunId"], entry["PreviousRunId"]) == (2, second, first)


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"--job-bookmark-option": "job-bookmark-disable"},
        {"--job-bookmark-option": "job-bookmark-pause"},
    ],
)
def test_runs_without_bookmarks_enabled_leave_the_entry_alone(
    glue: Any, arguments: dict[str, str]
) -> None:
    glue.create_job(**job_params())
    _run_to_the_end(glue, Arguments=arguments)
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job_bookmark(JobName="nightly")


def test_the_run_arguments_override_the_jobs_default_arguments(glue: Any) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    _run_to_the_end(glue, Arguments={"--job-bookmark-option": "job-bookmark-disable"})
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job_bookmark(JobName="nightly")
    glue.delete_job(JobName="nightly")
    glue.create_job(**job_params())
    run_id = _run_to_the_end(glue, Arguments=ENABLE)
    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]["RunId"] == run_id


def test_a_failed_run_does_not_advance_the_entry(glue: Any, glue_jobs: GlueJobsFake) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    kept = _run_to_the_end(glue)
    glue_jobs.run_states("nightly", "RUNNING", "FAILED")
    _run_to_the_end(glue)
    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]["RunId"] == kept


def test_reset_keeps_the_entry_with_an_empty_state_and_runs_count_on(glue: Any) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    first = _run_to_the_end(glue)
    reset = glue.reset_job_bookmark(JobName="nightly")["JobBookmarkEntry"]
    assert (reset["Version"], reset["Run"], reset["RunId"], reset["JobBookmark"]) == (
        2,
        1,
        first,
        "{}",
    )
    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"] == reset
    _run_to_the_end(glue)
    entry = glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]
    assert (entry["Version"], entry["Run"], entry["PreviousRunId"]) == (3, 2, first)


def test_a_run_id_reads_and_rewinds_to_the_entry_that_run_left(glue: Any) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    first = _run_to_the_end(glue)
    _run_to_the_end(glue)
    as_first_left_it = glue.get_job_bookmark(JobName="nightly", RunId=first)["JobBookmarkEntry"]
    assert (as_first_left_it["Run"], as_first_left_it["RunId"]) == (1, first)
    rewound = glue.reset_job_bookmark(JobName="nightly", RunId=first)["JobBookmarkEntry"]
    assert (rewound["Run"], rewound["RunId"], rewound["Version"]) == (1, first, 3)
    # A RunId that recorded no entry: not on record; code and wording are the fake's (unverified).
    with glue_error(glue, "EntityNotFoundException", "jr_unknown"):
        glue.get_job_bookmark(JobName="nightly", RunId="jr_unknown")
    with glue_error(glue, "EntityNotFoundException", "jr_unknown"):
        glue.reset_job_bookmark(JobName="nightly", RunId="jr_unknown")


def test_deleting_the_job_deletes_its_entry(glue: Any) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    _run_to_the_end(glue)
    glue.delete_job(JobName="nightly")
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job_bookmark(JobName="nightly")


def test_each_partition_keeps_its_own_entries(glue: Any, glue_jobs: GlueJobsFake) -> None:
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    _run_to_the_end(glue)
    other = glue_jobs.client(region_name="eu-west-1")
    other.create_job(**job_params(DefaultArguments=ENABLE))
    with glue_error(other, "EntityNotFoundException"):
        other.get_job_bookmark(JobName="nightly")
