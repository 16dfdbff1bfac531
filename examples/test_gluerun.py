"""The demo's orchestration tests: gluerun.run_job against the fake's job runs.

The poller sleeps between reads; the tests give it a sleep that only counts, and the fake moves a
run one step per read, so a "30-second" poll loop runs in microseconds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from gluerun import JobAlreadyRunning, JobRunFailed, run_job, stop_runs

from pytest_gluejobs import GlueJobsFake

JOB = {
    "Name": "orders-nightly",
    "Role": "GlueETLRole",
    "Command": {"Name": "glueetl", "ScriptLocation": "s3://acme-glue/scripts/orders_nightly.py"},
    "DefaultArguments": {"--env": "prod"},
    "Timeout": 60,
}


class Sleeps:
    """A sleep the test does not pay for: it counts, and may move the fake's clock."""

    def __init__(self, clock: Any = None) -> None:
        self.count = 0
        self.clock = clock

    def __call__(self, seconds: float) -> None:
        self.count += 1
        if self.clock is not None:
            self.clock.tick(timedelta(seconds=seconds))


@pytest.mark.glue_jobs(jobs=[JOB])
def test_a_run_that_succeeds(glue_jobs: GlueJobsFake) -> None:
    sleeps = Sleeps()
    run = run_job(boto3.client("glue"), "orders-nightly", {"--day": "2026-12-01"}, sleep=sleeps)
    assert run["JobRunState"] == "SUCCEEDED"
    assert sleeps.count == 2  # STARTING, RUNNING, then SUCCEEDED
    # The run shows only what StartJobRun sent, not the job's DefaultArguments.
    assert run["Arguments"] == {"--day": "2026-12-01"}
    glue_jobs.assert_called(
        "StartJobRun", JobName="orders-nightly", Arguments={"--day": "2026-12-01"}
    )


@pytest.mark.glue_jobs(jobs=[{**JOB, "MaxRetries": 1}])
def test_a_failed_run_reports_glues_message_and_glue_retries_it(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states(
        "orders-nightly",
        "RUNNING",
        "FAILED",
        error_message="AnalysisException: Path does not exist",
    )
    with pytest.raises(
        JobRunFailed, match="ended FAILED: AnalysisException: Path does not exist"
    ) as caught:
        run_job(boto3.client("glue"), "orders-nightly", sleep=Sleeps())
    first = caught.value.run["Id"]
    # MaxRetries 1: Glue starts a new run for the failed one.
    assert [run["Id"] for run in glue_jobs.runs("orders-nightly")] == [f"{first}_attempt_1", first]


@pytest.mark.glue_jobs(jobs=[JOB])
def test_a_run_that_hangs_ends_timeout(glue_jobs: GlueJobsFake) -> None:
    # The sleeps move the fake's clock: after 60 minutes of polling the run passes its Timeout.
    glue_jobs.run_states("orders-nightly", "RUNNING")
    clock = glue_jobs.freeze_time("2026-12-01 02:00:00")
    sleeps = Sleeps(clock)
    with pytest.raises(JobRunFailed, match="ended TIMEOUT"):
        run_job(boto3.client("glue"), "orders-nightly", sleep=sleeps)
    assert sleeps.count == 120  # 120 sleeps of 30 s: the read at 60 minutes finds it TIMEOUT


@pytest.mark.glue_jobs(jobs=[JOB])
def test_a_second_run_while_one_is_running_is_refused(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    glue.start_job_run(JobName="orders-nightly")  # MaxConcurrentRuns defaults to 1
    with pytest.raises(JobAlreadyRunning, match="Concurrent runs exceeded for orders-nightly"):
        run_job(glue, "orders-nightly", sleep=Sleeps())


@pytest.mark.glue_jobs(jobs=[{**JOB, "ExecutionProperty": {"MaxConcurrentRuns": 3}}])
def test_stopping_every_active_run(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    ids = [glue.start_job_run(JobName="orders-nightly")["JobRunId"] for _ in range(3)]
    glue_jobs.finish_run(ids[0])
    assert sorted(stop_runs(glue, "orders-nightly")) == sorted(ids[1:])
    states = {run["Id"]: run["JobRunState"] for run in glue_jobs.runs("orders-nightly")}
    assert states == {ids[0]: "SUCCEEDED", ids[1]: "STOPPING", ids[2]: "STOPPING"}
    run = glue.get_job_run(JobName="orders-nightly", RunId=ids[1])["JobRun"]
    assert run["JobRunState"] == "STOPPED"
