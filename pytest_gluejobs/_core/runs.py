"""Job runs: StartJobRun, GetJobRun, GetJobRuns and BatchStopJobRun, as Glue makes and reports runs.

Sources: https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html, recorded runs, and
the choices where Glue documents nothing, all listed in docs/fidelity.md ("Job runs").
A run moves one step per read (GetJobRun, or a GetJobRuns page that lists it) through the states
its job was scripted with (default RUNNING then SUCCEEDED), so pollers that really sleep make
progress without the wall clock; the fake's clock decides only timeouts and timestamps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import run_logs as _run_logs
from .errors import GlueError, invalid_input
from .pagination import decode_token, encode_token
from .partitions import Partition
from .rules import JobRules, command_kind
from .run_fields import bills_dpu_seconds, executor_failure, log_group
from .run_records import FINAL_STATES as FINAL_STATES  # re-exported: the controller reads it
from .run_records import RUN_STATES as RUN_STATES  # re-exported: snapshots read it
from .run_records import Run as Run  # re-exported: snapshots build runs
from .run_records import Script
from .store import JobStore, PartitionJobs
from .versions import AUTO

#: States a test may script (STOPPING comes from BatchStopJobRun). Every run begins in STARTING,
#: which its first read shows; a script that starts with STARTING holds it for more reads.
SCRIPTABLE_STATES = ("STARTING", "RUNNING", "WAITING", *FINAL_STATES)
#: Final states that carry an ErrorMessage (STOPPED carries none; docs/fidelity.md).
_WITH_ERROR_MESSAGE = ("FAILED", "TIMEOUT", "ERROR")
#: GetJobRuns page size when MaxResults is omitted (undocumented; docs/fidelity.md).
DEFAULT_PAGE_SIZE = 100

#: Members a run takes from its job unless StartJobRun sends its own (model ``JobRun``; a
#: streaming run shows its job's MaintenanceWindow).
_RUN_MEMBERS_FROM_JOB = (
    "SecurityConfiguration",
    "NotificationProperty",
    "ExecutionClass",
    "MaintenanceWindow",
)


def make_script(
    states: tuple[str, ...], error_message: str | None = None, logs: object = None
) -> Script:
    """A Script from a test's words; ValueError naming what is wrong."""
    if not states:
        raise ValueError(
            f"run_states needs at least one state, e.g. ('RUNNING', 'FAILED'); the states a run "
            f"may be scripted through: {', '.join(SCRIPTABLE_STATES)}."
        )
    for state in states:
        if state not in SCRIPTABLE_STATES:
            near = [s for s in SCRIPTABLE_STATES if s.lower() == str(state).lower()]
            hint = f" Did you mean {near[0]!r}?" if near else ""
            raise ValueError(
                f"run_states: {state!r} is not a state a run can be scripted through "
                f"({', '.join(SCRIPTABLE_STATES)}; STOPPING comes from BatchStopJobRun).{hint}"
            )
    if error_message is not None and not isinstance(error_message, str):
        raise TypeError(f"run_states: error_message must be a str, got {error_message!r}.")
    return Script(tuple(states), error_message, _run_logs.scripted_lines(logs))


def default_error_message(state: str, data: Mapping[str, Any]) -> str:
    """The ErrorMessage of a run that ended ``state`` without a scripted one (ours: unverified)."""
    if state == "TIMEOUT":
        return f"Job run timed out after {data.get('Timeout')} minutes (pytest-gluejobs)."
    return f"Job run {data['Id']} ended {state} as scripted (pytest-gluejobs run_states)."


@dataclass(frozen=True)
class RunEnd:
    """A run that has just ended, as each of ``JobRuns.listeners`` is told of it."""

    jobs: PartitionJobs
    name: str
    run: Run
    #: Its job's definition ({} if the job is gone).
    job: Mapping[str, Any]
    at: datetime
    #: Whether the job retries it (a FAILED run under MaxRetries): its job has not ended for good.
    retried: bool


class JobRuns:
    """The run operations over one store; the service holds the store's lock around each call."""

    def __init__(self, store: JobStore, rules: JobRules) -> None:
        self.store = store
        self.rules = rules
        self.default_script = Script()
        self._sequence = 0
        #: Told of each run that ends, in order, before a retry starts (the service fills it).
        self.listeners: list[Callable[[RunEnd], object]] = []

    # -- StartJobRun --

    def start(self, params: dict[str, Any], partition: Partition, now: datetime) -> dict[str, Any]:
        name = params["JobName"]
        jobs = self.store.jobs_of(partition)
        record = jobs.jobs.get(name)
        if record is None:
            # Reported against the real service: the text names no job (docs/fidelity.md).
            raise GlueError(
                "EntityNotFoundException", "Failed to start job run due to missing metadata."
            )
        job = record.data
        data = self._new_run_data(job, params, now)
        runs = jobs.runs.setdefault(name, [])
        limit = job.get("ExecutionProperty", {}).get("MaxConcurrentRuns", 1)
        if len(jobs.run_index(name).unfinished) >= limit:
            if not data["JobRunQueuingEnabled"]:
                # Recorded: no period, the job's name (docs/fidelity.md).
                raise GlueError(
                    "ConcurrentRunsExceededException", f"Concurrent runs exceeded for {name}"
                )
            data["JobRunState"] = "WAITING"
            data["StateDetail"] = (
                f"Job run is waiting: concurrent runs exceeded for {name} "
                f"(MaxConcurrentRuns {limit}; pytest-gluejobs)"
            )
        index = jobs.run_index(name)
        while True:
            # Drawn from the fake's sequence; a loaded snapshot (from another fake, or from before
            # reset()) may hold the next id already, and a run id names one run.
            self._sequence += 1
            data["Id"] = (
                "jr_"
                + hashlib.sha256(
                    f"{partition[0]}/{partition[1]}/{name}/{self._sequence}".encode()
                ).hexdigest()
            )
            if index.find(data["Id"]) is None:
                break
        runs.append(Run(data, self._launch(jobs, name, data), self._sequence))
        return {"JobRunId": data["Id"]}

    def _launch(self, jobs: PartitionJobs, name: str, data: Mapping[str, Any]) -> Script:
        """The states a new run goes through: STARTING first (its first read shows it)."""
        script = jobs.scripts.get(name, self.default_script)
        if self.rules.run_fails_at_launch(jobs.jobs[name].data, data):
            script = Script(("FAILED",), executor_failure(data))
        if script.states[0] != "STARTING":
            script = Script(("STARTING", *script.states), script.error_message, script.logs)
        return script

    def _new_run_data(
        self, job: Mapping[str, Any], params: Mapping[str, Any], now: datetime
    ) -> dict[str, Any]:
        command = job["Command"]
        kind = command_kind(command.get("Name")) or "pythonshell"
        version = job.get("GlueVersion")
        if version == AUTO:  # a run shows the version it really used, never auto
            # (https://docs.aws.amazon.com/glue/latest/dg/auto-version-upgrades.html)
            version = job.get("AutoUpgradeMetadata", {}).get("SourceVersion")
        sizing = self.rules.check_run(job, params, now.date())
        timeout = params.get("Timeout", job.get("Timeout"))
        queuing = params.get("JobRunQueuingEnabled")
        if queuing is None:
            queuing = bool(job.get("JobRunQueuingEnabled", False))
        data: dict[str, Any] = {
            "Attempt": 0,
            "JobName": job["Name"],
            "JobMode": job.get("JobMode", "SCRIPT"),
            "JobRunQueuingEnabled": queuing,
            "StartedOn": now,
            "LastModifiedOn": now,
            "JobRunState": "STARTING",
            "PredecessorRuns": [],
            "ExecutionTime": 0,
            "LogGroupName": log_group(job, params, kind),
        }
        if params.get("JobRunId"):
            data["PreviousRunId"] = params["JobRunId"]
        if params.get("Arguments"):
            # Recorded (https://github.com/aws/aws-cli/blob/develop/awscli/examples/glue/get-job-run.rst):
            # only what StartJobRun sent, never the job's DefaultArguments;
            # no key at all for no (or empty) arguments (open question 4).
            data["Arguments"] = dict(params["Arguments"])
        data.update(sizing)
        if timeout is not None:
            data["Timeout"] = timeout
        if version:
            data["GlueVersion"] = version
        for member in _RUN_MEMBERS_FROM_JOB:
            value = params.get(member, job.get(member))
            if value is not None:
                data[member] = value
        if params.get("ExecutionRoleSessionPolicy") is not None:
            data["ExecutionRoleSessionPolicy"] = params["ExecutionRoleSessionPolicy"]
        return data

    # -- reading runs: each read is one step --

    def get(self, params: dict[str, Any], partition: Partition, now: datetime) -> Run:
        name, run_id = params["JobName"], params["RunId"]
        jobs = self.store.jobs_of(partition)
        if name not in jobs.jobs:
            raise _job_not_found()
        run = jobs.run_index(name).find(run_id)
        if run is None:
            raise GlueError("EntityNotFoundException", f"Job run {run_id} not found.")
        self.step(jobs, name, run, now)
        return run

    def page(
        self, params: dict[str, Any], partition: Partition, now: datetime
    ) -> tuple[list[Run], str | None]:
        name = params["JobName"]
        jobs = self.store.jobs_of(partition)
        if name not in jobs.jobs:
            raise _job_not_found()
        index = jobs.run_index(name)
        limit = params.get("MaxResults") or DEFAULT_PAGE_SIZE
        scope = {"JobName": name}
        token = params.get("NextToken")
        # Pages run newest first: this one ends (exclusive) at the run the last one ended with.
        end = len(index.runs)
        if token is not None:
            after = decode_token(token, "GetJobRuns", partition, scope)
            position = index.position(after)
            if position is None:
                raise invalid_input(
                    f"Invalid NextToken for GetJobRuns: run {after} is gone (its job was deleted "
                    "and created again); start again without a NextToken."
                )
            end = position
        begin = max(0, end - limit)
        page = index.runs[begin:end][::-1]
        for run in page:
            self.step(jobs, name, run, now)
        more = begin > 0
        next_token = (
            encode_token("GetJobRuns", partition, scope, page[-1].data["Id"]) if more else None
        )
        return page, next_token

    def step(self, jobs: PartitionJobs, name: str, run: Run, now: datetime) -> None:
        """Move ``run`` one step on, as a read of it does."""
        state = run.state
        if state in FINAL_STATES:
            return
        data = run.data
        if state in ("STARTING", "RUNNING") and self._timed_out(data, now):
            self.finish(jobs, name, run, "TIMEOUT", at=_deadline(data))
            return
        if state == "STOPPING":
            self.finish(jobs, name, run, "STOPPED", at=now)
            return
        if state == "WAITING" and not self._has_room(jobs, name, run):
            return
        data.pop("StateDetail", None)
        if not run.steps:
            return  # scripted to stay in this state
        following = run.steps.pop(0)
        if following in FINAL_STATES:
            self.finish(jobs, name, run, following, at=now)
        else:
            data["JobRunState"] = following
            data["LastModifiedOn"] = now
            if following == "RUNNING":
                _run_logs.run_running(jobs.logs, data, jobs.jobs[name].data, run.logs, now)

    def finish(
        self,
        jobs: PartitionJobs,
        name: str,
        run: Run,
        state: str,
        *,
        at: datetime,
        error_message: str | None = None,
    ) -> None:
        """End ``run`` in ``state``; a FAILED run is retried while the job's MaxRetries allow."""
        data = run.data
        run.steps.clear()
        data.pop("StateDetail", None)
        data["JobRunState"] = state
        data["LastModifiedOn"] = data["CompletedOn"] = at
        data["ExecutionTime"] = max(0, int((at - data["StartedOn"]).total_seconds()))
        jobs.run_index(name).ended(run)
        if state in _WITH_ERROR_MESSAGE:
            data["ErrorMessage"] = (
                error_message or run.error_message or default_error_message(state, data)
            )
        record = jobs.jobs.get(name)
        job = record.data if record is not None else {}
        if bills_dpu_seconds(data, job):
            # Model: set "for either job runs with execution class FLEX or when Auto Scaling is
            # enabled"; the fake bills every worker for the whole run (an upper bound).
            data["DPUSeconds"] = float(data["ExecutionTime"] * data.get("MaxCapacity", 0.0))
        retried = state == "FAILED" and data["Attempt"] < job.get("MaxRetries", 0)
        end = RunEnd(jobs, name, run, job, at, retried)
        for listener in self.listeners:
            listener(end)
        if retried:
            self._retry(jobs, name, run, at)

    def _retry(self, jobs: PartitionJobs, name: str, failed: Run, at: datetime) -> None:
        # Recorded: a new run <first id>_attempt_<n>, PreviousRunId the attempt before.
        data = failed.data
        attempt = data["Attempt"] + 1
        base = data["Id"].split("_attempt_")[0]
        retry = {
            key: value
            for key, value in data.items()
            if key not in ("CompletedOn", "ErrorMessage", "PreviousRunId", "DPUSeconds")
        }
        retry.update(
            Id=f"{base}_attempt_{attempt}",
            Attempt=attempt,
            PreviousRunId=data["Id"],
            StartedOn=at,
            LastModifiedOn=at,
            JobRunState="STARTING",
            ExecutionTime=0,
        )
        self._sequence += 1
        jobs.runs[name].append(Run(retry, self._launch(jobs, name, retry), self._sequence))

    def _timed_out(self, data: Mapping[str, Any], now: datetime) -> bool:
        return data.get("Timeout") is not None and now >= _deadline(data)

    def _has_room(self, jobs: PartitionJobs, name: str, waiting: Run) -> bool:
        """Whether ``waiting`` may start: a slot is free once every older waiting run has one.

        Queued runs start oldest first, as a queue serves them; Glue's documentation says that
        waiting runs start when resources free up, not in which order.
        """
        record = jobs.jobs[name]
        limit: int = record.data.get("ExecutionProperty", {}).get("MaxConcurrentRuns", 1)
        taken = 0  # runs going (STARTING, RUNNING, STOPPING) and waiting runs ahead of this one
        ahead = True
        for run in jobs.run_index(name).unfinished:
            if run is waiting:
                ahead = False
            elif ahead or run.state != "WAITING":
                taken += 1
        return taken < limit

    # -- BatchStopJobRun --

    def stop(self, params: dict[str, Any], partition: Partition, now: datetime) -> dict[str, Any]:
        name = params["JobName"]
        jobs = self.store.jobs_of(partition)
        index = jobs.run_index(name)
        stopped: list[dict[str, str]] = []
        errors: list[dict[str, Any]] = []
        for run_id in params["JobRunIds"]:
            run = index.find(run_id)
            if name not in jobs.jobs or run is None:
                code, message = "EntityNotFoundException", f"Job run {run_id} not found."
                if name not in jobs.jobs:
                    message = "Job not found."
                errors.append(_stop_error(name, run_id, code, message))
            elif run.state in FINAL_STATES or run.state == "STOPPING":
                errors.append(
                    _stop_error(
                        name,
                        run_id,
                        "InvalidInputException",
                        f"Job run {run_id} is in state {run.state} and cannot be stopped.",
                    )
                )
            else:
                run.steps.clear()
                run.data.pop("StateDetail", None)
                run.data["JobRunState"] = "STOPPING"
                run.data["LastModifiedOn"] = now
                stopped.append({"JobName": name, "JobRunId": run_id})
        # Recorded: both keys always, as lists (Airflow reads them by key); docs/fidelity.md.
        return {"SuccessfulSubmissions": stopped, "Errors": errors}


def _stop_error(name: str, run_id: str, code: str, message: str) -> dict[str, Any]:
    return {
        "JobName": name,
        "JobRunId": run_id,
        "ErrorDetail": {"ErrorCode": code, "ErrorMessage": message},
    }


def _deadline(data: Mapping[str, Any]) -> datetime:
    started: datetime = data["StartedOn"]
    return started + timedelta(minutes=data["Timeout"])


def _job_not_found() -> GlueError:
    # GetJob's recorded text (unverified for the run operations; docs/fidelity.md).
    return GlueError("EntityNotFoundException", "Job not found.")
