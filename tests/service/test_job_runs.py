"""Job runs as Glue makes them (research/glue-job-runs.md; §n and "open question n" cite it)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from helpers import command, glue_error, job_params, read_run, start_run

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
RUN_ID = re.compile(r"jr_[0-9a-f]{64}")


# -- ids and the default path --


def test_run_ids_are_glue_shaped_and_the_same_in_every_run_of_a_test(glue: Any) -> None:
    # §2 (REC): jr_ + 64 lowercase hex. Deterministic within a fake (issue 13).
    def ids() -> list[str]:
        with mock_glue_jobs() as fake:
            fake.add_job(**job_params())
            fake.add_job(**job_params("other"))
            first = start_run(glue)
            fake.finish_run(first)
            return [first, start_run(glue), start_run(glue, "other")]

    once, again = ids(), ids()
    assert once == again
    assert all(RUN_ID.fullmatch(run_id) for run_id in once)
    assert len(set(once)) == 3


def test_a_run_moves_one_step_per_read_to_success(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §0.2, §0.3: STARTING -> RUNNING -> SUCCEEDED; CompletedOn only when final, = LastModifiedOn.
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params(WorkerType="G.1X", NumberOfWorkers=2, GlueVersion="4.0"))
    run_id = start_run(glue)
    assert glue_jobs.runs("nightly")[0]["JobRunState"] == "STARTING"
    # The first read shows STARTING (https://docs.aws.amazon.com/glue/latest/dg/job-run-statuses.html:
    # STARTING is every run's first state).
    assert read_run(glue, run_id)["JobRunState"] == "STARTING"
    clock.tick(timedelta(seconds=5))
    running = read_run(glue, run_id)
    assert running["JobRunState"] == "RUNNING"
    assert "CompletedOn" not in running and running["ExecutionTime"] == 0
    clock.tick(timedelta(seconds=70))
    done = read_run(glue, run_id)
    assert done["JobRunState"] == "SUCCEEDED"
    assert done["CompletedOn"] == done["LastModifiedOn"] == T0 + timedelta(seconds=75)
    assert done["ExecutionTime"] == 75
    assert read_run(glue, run_id)["JobRunState"] == "SUCCEEDED"  # final states stay
    # §3.2 (REC): the fields every run carries, and those of a Spark run.
    assert done["Id"] == run_id and done["Attempt"] == 0 and done["JobName"] == "nightly"
    assert done["StartedOn"] == T0 and done["PredecessorRuns"] == []
    assert (done["JobMode"], done["JobRunQueuingEnabled"]) == ("SCRIPT", False)
    assert (done["WorkerType"], done["NumberOfWorkers"]) == ("G.1X", 2)
    assert (done["MaxCapacity"], done["AllocatedCapacity"]) == (2.0, 2)
    assert (done["GlueVersion"], done["Timeout"], done["LogGroupName"]) == (
        "4.0",
        2880,
        "/aws-glue/jobs",
    )
    assert "Arguments" not in done and "ErrorMessage" not in done


def test_a_python_shell_run(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §3.2 (REC, R-SP 2026): no workers, 0.0625 / 0, the python-jobs log group.
    glue.create_job(**job_params(kind="pythonshell"))
    run = read_run(glue, start_run(glue))
    assert "WorkerType" not in run and "NumberOfWorkers" not in run
    assert (run["MaxCapacity"], run["AllocatedCapacity"]) == (0.0625, 0)
    assert run["LogGroupName"] == "/aws-glue/python-jobs"


@pytest.mark.parametrize(
    ("sent", "shown"), [({"--day": "2026-12-01"}, {"--day": "2026-12-01"}), ({}, None)]
)
def test_arguments_are_only_what_start_job_run_sent(
    glue_jobs: GlueJobsFake, glue: Any, sent: dict[str, str], shown: dict[str, str] | None
) -> None:
    # §0.4 (REC): never the job's DefaultArguments; no key for no (or empty) arguments.
    glue.create_job(**job_params(DefaultArguments={"--env": "prod"}))
    run = read_run(glue, start_run(glue, Arguments=sent))
    assert run.get("Arguments") == shown
    glue_jobs.assert_called("StartJobRun", JobName="nightly", Arguments=sent)


def test_start_job_run_overrides_the_jobs_settings(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §4.4: Timeout, NotificationProperty and workers of the run win (REC for the first two).
    glue.create_job(**job_params(WorkerType="G.1X", NumberOfWorkers=10, Timeout=60))
    run = read_run(
        glue,
        start_run(glue, Timeout=6, NumberOfWorkers=4, NotificationProperty={"NotifyDelayAfter": 6}),
    )
    assert (run["Timeout"], run["WorkerType"], run["NumberOfWorkers"]) == (6, "G.1X", 4)
    assert (run["MaxCapacity"], run["NotificationProperty"]) == (4.0, {"NotifyDelayAfter": 6})
    with glue_error(glue, "InvalidInputException", "Please do not set Max Capacity"):
        start_run(glue, MaxCapacity=10.0, WorkerType="G.2X", NumberOfWorkers=2)


# -- scripted states, failures, retries, timeouts --


def test_scripted_failure_carries_the_error_message(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params())
    glue_jobs.run_states("nightly", "RUNNING", "FAILED", error_message="AnalysisException: boom")
    run_id = start_run(glue)
    assert read_run(glue, run_id)["JobRunState"] == "STARTING"
    assert read_run(glue, run_id)["JobRunState"] == "RUNNING"
    failed = read_run(glue, run_id)
    assert (failed["JobRunState"], failed["ErrorMessage"]) == ("FAILED", "AnalysisException: boom")


def test_a_failed_run_without_a_message_still_has_one(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # REC: FAILED runs carry ErrorMessage; Prefect reads it by key (§6).
    glue.create_job(**job_params())
    glue_jobs.run_states("nightly", "FAILED")
    run_id = start_run(glue)
    read_run(glue, run_id)  # STARTING
    assert read_run(glue, run_id)["ErrorMessage"]


def test_failed_runs_are_retried_as_attempts(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §4.6 (REC): <first id>_attempt_<n>, Attempt n, PreviousRunId the attempt before.
    glue.create_job(**job_params(MaxRetries=2))
    glue_jobs.run_states("nightly", "FAILED", error_message="S3 AccessDenied")
    first = start_run(glue)
    read_run(glue, first)  # STARTING
    for _ in range(5):  # a listing reads each run too: each attempt shows STARTING, then FAILED
        runs = glue.get_job_runs(JobName="nightly")["JobRuns"]
    assert [run["Id"] for run in runs] == [f"{first}_attempt_2", f"{first}_attempt_1", first]
    assert [run["Attempt"] for run in runs] == [2, 1, 0]
    assert [run.get("PreviousRunId") for run in runs] == [f"{first}_attempt_1", first, None]
    assert {run["JobRunState"] for run in runs} == {"FAILED"}


def test_a_run_that_outlives_its_timeout_ends_timeout(glue_jobs: GlueJobsFake, glue: Any) -> None:
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params(Timeout=10))
    glue_jobs.run_states("nightly", "RUNNING")  # it would run for ever
    run_id = start_run(glue)
    read_run(glue, run_id)  # STARTING
    assert read_run(glue, run_id)["JobRunState"] == "RUNNING"
    clock.tick(timedelta(minutes=11))
    run = read_run(glue, run_id)
    assert run["JobRunState"] == "TIMEOUT"
    assert run["CompletedOn"] == T0 + timedelta(minutes=10)
    assert "timed out" in run["ErrorMessage"]  # open question 6: ours, unverified


def test_finish_run(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params())
    run_id = start_run(glue)
    run = glue_jobs.finish_run(run_id, "ERROR", error_message="job was deleted")
    assert (run["JobRunState"], run["ErrorMessage"]) == ("ERROR", "job was deleted")
    assert read_run(glue, run_id)["JobRunState"] == "ERROR"
    with pytest.raises(ValueError, match="already ended ERROR"):
        glue_jobs.finish_run(run_id)
    with pytest.raises(ValueError, match="not a final state"):
        glue_jobs.finish_run(start_run(glue), "RUNNING")
    with pytest.raises(KeyError, match="no run 'jr_nope'"):
        glue_jobs.finish_run("jr_nope")


@pytest.mark.parametrize("states", [(), ("Running",), ("STOPPING",)])
def test_run_states_refuses_what_no_run_goes_through(
    glue_jobs: GlueJobsFake, states: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match="run_states"):
        glue_jobs.run_states("nightly", *states)


@pytest.mark.glue_jobs(run_states=("RUNNING", "FAILED"), jobs=[job_params()])
def test_the_marker_scripts_every_job(glue_jobs: GlueJobsFake, glue: Any) -> None:
    run_id = start_run(glue)
    read_run(glue, run_id)  # STARTING
    read_run(glue, run_id)
    assert read_run(glue, run_id)["JobRunState"] == "FAILED"


# -- concurrency and queuing --


def test_concurrent_runs_beyond_the_limit_are_refused(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §4.1 (REC): ConcurrentRunsExceededException "Concurrent runs exceeded for <JobName>".
    glue.create_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 2}))
    first = start_run(glue)
    start_run(glue)
    with glue_error(glue, "ConcurrentRunsExceededException") as caught:
        start_run(glue)
    assert caught.value.response["Error"]["Message"] == "Concurrent runs exceeded for nightly"
    assert len(glue_jobs.runs("nightly")) == 2
    glue_jobs.finish_run(first)
    start_run(glue)


def test_with_queuing_a_run_waits_for_a_free_slot(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §4.2: with queuing, WAITING instead of an error; StateDetail says why (text ours).
    glue.create_job(**job_params(JobRunQueuingEnabled=True))
    first = start_run(glue)
    queued = start_run(glue)
    waiting = read_run(glue, queued)
    assert waiting["JobRunState"] == "WAITING" and "concurrent runs" in waiting["StateDetail"]
    assert read_run(glue, queued)["JobRunState"] == "WAITING"
    glue_jobs.finish_run(first)
    moving = read_run(glue, queued)
    assert moving["JobRunState"] == "STARTING" and "StateDetail" not in moving
    assert read_run(glue, queued)["JobRunState"] == "RUNNING"


def test_runs_of_every_job_come_newest_first_even_at_one_frozen_instant(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue_jobs.freeze_time(T0)
    glue.create_job(**job_params("a", ExecutionProperty={"MaxConcurrentRuns": 5}))
    glue.create_job(**job_params("b"))
    started = [start_run(glue, "a"), start_run(glue, "b"), start_run(glue, "a")]
    assert [run["Id"] for run in glue_jobs.runs()] == started[::-1]


# -- errors and stopping --


def test_missing_jobs_and_runs(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §4.3 (LIVE) for StartJobRun; open question 9 for the reads (ours, unverified).
    with glue_error(
        glue, "EntityNotFoundException", "Failed to start job run due to missing metadata."
    ):
        start_run(glue, "missing")
    with glue_error(glue, "EntityNotFoundException", "Job not found."):
        read_run(glue, "jr_" + "0" * 64, job="missing")
    with glue_error(glue, "EntityNotFoundException", "Job not found."):
        glue.get_job_runs(JobName="missing")
    glue.create_job(**job_params())
    with glue_error(glue, "EntityNotFoundException", "Job run jr_x not found."):
        read_run(glue, "jr_x")


def test_batch_stop_job_run(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §4.8: HTTP 200 with both lists; STOPPING then STOPPED; unknown ids in Errors.
    glue.create_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 2}))
    running, done = start_run(glue), start_run(glue)
    glue_jobs.finish_run(done)
    answer = glue.batch_stop_job_run(JobName="nightly", JobRunIds=[running, done, "jr_x"])
    assert answer["SuccessfulSubmissions"] == [{"JobName": "nightly", "JobRunId": running}]
    errors = {error["JobRunId"]: error["ErrorDetail"]["ErrorCode"] for error in answer["Errors"]}
    assert errors == {done: "InvalidInputException", "jr_x": "EntityNotFoundException"}
    assert glue_jobs.runs("nightly")[1]["JobRunState"] == "STOPPING"
    stopped = read_run(glue, running)
    assert stopped["JobRunState"] == "STOPPED" and "ErrorMessage" not in stopped
    quiet = glue.batch_stop_job_run(JobName="nightly", JobRunIds=[done])
    assert quiet["SuccessfulSubmissions"] == [] and len(quiet["Errors"]) == 1
    missing_job = glue.batch_stop_job_run(JobName="missing", JobRunIds=[running])
    assert missing_job["Errors"][0]["ErrorDetail"]["ErrorCode"] == "EntityNotFoundException"


def test_more_than_25_run_ids_are_refused(glue_jobs: GlueJobsFake, raw_glue: Any) -> None:
    with glue_error(raw_glue, "InvalidInputException", "length less than or equal to 25"):
        raw_glue.batch_stop_job_run(JobName="nightly", JobRunIds=[f"jr_{i}" for i in range(26)])


# -- listing --


def test_get_job_runs_lists_newest_first_and_pages_through_each_run_once(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 20}))
    started = [start_run(glue) for _ in range(7)]
    pages = glue.get_paginator("get_job_runs").paginate(
        JobName="nightly", PaginationConfig={"PageSize": 3}
    )
    listed = [run["Id"] for page in pages for run in page["JobRuns"]]
    assert listed == started[::-1]


def test_get_job_runs_max_results_is_1_to_200(glue_jobs: GlueJobsFake, raw_glue: Any) -> None:
    raw_glue.create_job(**job_params())
    with glue_error(raw_glue, "InvalidInputException", "less than or equal to 200"):
        raw_glue.get_job_runs(JobName="nightly", MaxResults=201)


def test_deleting_a_job_drops_its_runs(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # Open question 7 (ours): a job created again starts with no history.
    glue.create_job(**job_params())
    start_run(glue)
    glue.delete_job(JobName="nightly")
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job_runs(JobName="nightly")
    glue.create_job(**job_params())
    assert glue.get_job_runs(JobName="nightly")["JobRuns"] == []


# -- versions --


def test_a_run_of_an_auto_job_shows_the_version_it_ran_on(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # U.2 (DOC): GetJobRun's GlueVersion "never shows auto".
    glue.create_job(**job_params(GlueVersion="auto", MaxRetries=1))
    assert read_run(glue, start_run(glue))["GlueVersion"] == "6.0"


@pytest.mark.glue_jobs(default_glue_version="6.0")
def test_a_run_on_an_end_of_life_version_is_refused(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # Open question 8: the only real wording, at StartJobRun (ours: loud).
    clock = glue_jobs.freeze_time(datetime(2026, 3, 1, tzinfo=timezone.utc))
    glue.create_job(**job_params(GlueVersion="2.0"))
    start_run(glue)
    clock.move_to(datetime(2026, 5, 1, tzinfo=timezone.utc))
    with glue_error(glue, "InvalidInputException", "Given GlueVersion [2.0] is not valid."):
        start_run(glue)


# -- faults, snapshots --


def test_faults_on_the_run_operations(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params())
    glue_jobs.fail("StartJobRun", "ConcurrentRunsExceeded", times=1, job_name="nightly")
    with glue_error(glue, "ConcurrentRunsExceededException"):
        start_run(glue)
    run_id = start_run(glue)
    glue_jobs.fail("GetJobRun", "InternalServiceException", times=1)
    assert read_run(glue, run_id)["JobRunState"] == "STARTING"  # retried by botocore
    assert [call.status for call in glue_jobs.calls[-2:]] == [500, 200]


def test_runs_appear_in_snapshots_only_for_jobs_that_have_some(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(**job_params())
    glue.create_job(**job_params("idle", Command=command()))
    run_id = start_run(glue)
    read_run(glue, run_id)  # STARTING
    read_run(glue, run_id)
    data = glue_jobs.snapshot()
    jobs = data["123456789012/us-east-1"]
    assert "Runs" not in jobs["idle"]
    (run,) = jobs["nightly"]["Runs"]
    assert run["JobRunState"] == "RUNNING" and run["StartedOn"] == "<timestamp>"
    glue_jobs.reset()
    glue_jobs.load(data)
    assert glue_jobs.snapshot() == data
    assert glue_jobs.runs("nightly")[0]["Id"] == run["Id"]
