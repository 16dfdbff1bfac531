"""With job run queuing, waiting runs start oldest first, however the test reads them.

Glue documents that, with queuing enabled, a run that would exceed a limit such as the job's
MaxConcurrentRuns waits in the WAITING state and starts when resources free up:
https://docs.aws.amazon.com/glue/latest/dg/job-run-statuses.html and
https://aws.amazon.com/blogs/big-data/introducing-job-queuing-to-scale-your-aws-glue-workloads/
It does not say in which order waiting runs start; the fake serves them as a queue does, first
in, first out: a waiting run starts only when a slot is free for it after every older waiting run
of the job has had one. A run still moves only when it is read, so an older waiting run keeps its
claim until it is read.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import job_params

from pytest_gluejobs import GlueJobsFake


def start(glue: Any) -> str:
    run_id: str = glue.start_job_run(JobName="nightly")["JobRunId"]
    return run_id


def state(glue: Any, run_id: str) -> str:
    run: dict[str, Any] = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]
    return str(run["JobRunState"])


def states_listed(glue: Any) -> dict[str, str]:
    """Every run's state after one GetJobRuns page (which reads, so moves, newest first)."""
    runs = glue.get_job_runs(JobName="nightly")["JobRuns"]
    return {run["Id"]: run["JobRunState"] for run in runs}


@pytest.fixture
def queued(glue_jobs: GlueJobsFake, glue: Any) -> tuple[str, list[str]]:
    """A job limited to one run at a time: one run going, then three waiting, oldest first."""
    glue.create_job(
        **job_params(JobRunQueuingEnabled=True, ExecutionProperty={"MaxConcurrentRuns": 1})
    )
    going = start(glue)
    waiting = [start(glue) for _ in range(3)]
    assert [state(glue, run_id) for run_id in waiting] == ["WAITING"] * 3
    return going, waiting


def test_a_listing_starts_the_oldest_waiting_run_not_the_newest(
    glue_jobs: GlueJobsFake, glue: Any, queued: tuple[str, list[str]]
) -> None:
    going, (first, second, third) = queued
    glue_jobs.finish_run(going)
    # GetJobRuns lists, and so moves, the newest run first; the slot still goes to the oldest,
    # which leaves WAITING for STARTING, every run's first state.
    listed = states_listed(glue)
    assert (listed[first], listed[second], listed[third]) == ("STARTING", "WAITING", "WAITING")


def test_reading_only_the_newest_waiting_run_does_not_let_it_jump_the_queue(
    glue_jobs: GlueJobsFake, glue: Any, queued: tuple[str, list[str]]
) -> None:
    going, (first, second, third) = queued
    glue_jobs.finish_run(going)
    assert state(glue, third) == "WAITING"
    assert state(glue, second) == "WAITING"
    assert state(glue, first) == "STARTING"
    glue_jobs.finish_run(first)
    assert state(glue, third) == "WAITING"
    assert state(glue, second) == "STARTING"
    glue_jobs.finish_run(second)
    assert state(glue, third) == "STARTING"


def test_with_two_slots_the_two_oldest_waiting_runs_start(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(
        **job_params(JobRunQueuingEnabled=True, ExecutionProperty={"MaxConcurrentRuns": 2})
    )
    going = [start(glue), start(glue)]
    waiting = [start(glue) for _ in range(4)]
    for run_id in going:
        glue_jobs.finish_run(run_id)
    listed = states_listed(glue)
    assert [listed[run_id] for run_id in waiting] == ["STARTING", "STARTING", "WAITING", "WAITING"]


def test_a_stopped_waiting_run_leaves_the_queue(
    glue_jobs: GlueJobsFake, glue: Any, queued: tuple[str, list[str]]
) -> None:
    going, (first, second, third) = queued
    glue.batch_stop_job_run(JobName="nightly", JobRunIds=[first])
    assert state(glue, first) == "STOPPED"
    glue_jobs.finish_run(going)
    assert state(glue, third) == "WAITING"
    assert state(glue, second) == "STARTING"
