"""gluerun: start a Glue job run and wait for its outcome — the demo's orchestration code.

``run_job`` starts a run with the given arguments and polls GetJobRun until the run reaches a
final state, sleeping between polls (with ``sleep``, ``time.sleep`` unless a caller passes its
own: the tests pass one that only counts). It returns the final run when it SUCCEEDED and raises
``JobRunFailed`` otherwise, with Glue's ErrorMessage. A run refused because the job is already
running (ConcurrentRunsExceededException) raises ``JobAlreadyRunning``; ``stop_runs`` stops every
active run of a job, as an orchestrator's "kill" does.

Three Glue facts shape the code: a run's Arguments are only what StartJobRun sent (the job's
DefaultArguments are merged by Glue inside the script, not in the API); STOPPED, TIMEOUT and
ERROR end a run just as FAILED does (a poller that waits only for SUCCEEDED/FAILED hangs); and a
failed run may be retried by Glue as a new run ``<id>_attempt_<n>``, so the run polled here may
end FAILED while Glue keeps trying.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError

FINAL_STATES = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR", "EXPIRED")
ACTIVE_STATES = ("STARTING", "RUNNING", "STOPPING", "WAITING")


class JobRunFailed(RuntimeError):
    """The run ended in a state other than SUCCEEDED."""

    def __init__(self, run: dict[str, Any]) -> None:
        self.run = run
        message = run.get("ErrorMessage", "no error message")
        super().__init__(f"{run['JobName']} run {run['Id']} ended {run['JobRunState']}: {message}")


class JobAlreadyRunning(RuntimeError):
    """Glue refused the run: the job is at its MaxConcurrentRuns."""


def run_job(
    glue: BaseClient,
    job_name: str,
    arguments: dict[str, str] | None = None,
    *,
    poll_seconds: float = 30,
    max_polls: int = 240,
    sleep: Callable[[float], object] = time.sleep,
) -> dict[str, Any]:
    """Start ``job_name`` and wait for the run to end; the SUCCEEDED run, or JobRunFailed."""
    try:
        started = glue.start_job_run(JobName=job_name, Arguments=arguments or {})
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConcurrentRunsExceededException":
            raise JobAlreadyRunning(error.response["Error"]["Message"]) from error
        raise
    run_id = started["JobRunId"]
    for _ in range(max_polls):
        run: dict[str, Any] = glue.get_job_run(JobName=job_name, RunId=run_id)["JobRun"]
        if run["JobRunState"] == "SUCCEEDED":
            return run
        if run["JobRunState"] in FINAL_STATES:
            raise JobRunFailed(run)
        sleep(poll_seconds)
    raise TimeoutError(f"{job_name} run {run_id} did not finish in {max_polls} polls")


def stop_runs(glue: BaseClient, job_name: str) -> list[str]:
    """Stop every active run of ``job_name``; the ids Glue accepted to stop."""
    active = [
        run["Id"]
        for page in glue.get_paginator("get_job_runs").paginate(JobName=job_name)
        for run in page["JobRuns"]
        if run["JobRunState"] in ACTIVE_STATES
    ]
    stopped: list[str] = []
    for start in range(0, len(active), 25):  # BatchStopJobRun takes 25 ids at a time
        answer = glue.batch_stop_job_run(JobName=job_name, JobRunIds=active[start : start + 25])
        stopped += [entry["JobRunId"] for entry in answer["SuccessfulSubmissions"]]
    return stopped
