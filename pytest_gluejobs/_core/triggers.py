"""Glue triggers: the nine trigger operations, and triggers that fire.

Sources: https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-trigger.html and
docs/triggers.md. An ON_DEMAND trigger fires on StartTrigger; an activated CONDITIONAL trigger fires
when the runs its predicate watches end in the watched states (``run_ended``, a JobRuns listener);
an activated SCHEDULED trigger fires at each time its cron expression names on the fake's clock,
caught up by ``catch_up`` on the next request or controller read. A firing starts a run of each
action's job as StartJobRun would, at the firing's own time, with ``TriggerName`` on it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cache
from typing import Any

from .cron import Cron, parse
from .errors import GlueError, invalid_input
from .jsondata import clone
from .pagination import decode_token, encode_token
from .partitions import Partition
from .run_records import Run
from .runs import JobRuns, RunEnd
from .store import JobStore, PartitionJobs
from .trigger_rules import TriggerRecord, check_definition, new_trigger

Params = dict[str, Any]
#: Page size when MaxResults is omitted (as GetJobs; undocumented).
DEFAULT_PAGE_SIZE = 100
#: The most firings of one trigger one catch-up makes: a clock moved years on under a
#: once-a-minute schedule must not hang the test (docs/triggers.md).
MAX_CATCH_UP = 1000
#: Action members a run takes over, as StartJobRun's parameters of the same names.
_RUN_PARAMETERS = ("Arguments", "Timeout", "SecurityConfiguration", "NotificationProperty")
#: When a loaded ACTIVATED trigger counts as activated: before any run it is loaded with ended.
_LONG_AGO = datetime.min.replace(tzinfo=timezone.utc)
#: A key no tag can have (tag keys are printable), so a DependentJobName filter scopes tokens.
_DEPENDENT = "\x00DependentJobName"


def _not_found(name: str) -> GlueError:
    # Unverified wording (docs/fidelity.md, "Triggers").
    return GlueError("EntityNotFoundException", f"Trigger {name} not found.")


class Triggers:
    """The trigger operations over one store; each takes the store's lock itself."""

    def __init__(self, store: JobStore) -> None:
        self.store = store
        self.runs: JobRuns | None = None
        #: Activated SCHEDULED triggers, so a request without any costs one truth test.
        self.scheduled: set[tuple[Partition, str]] = set()

    def use(self, runs: JobRuns) -> None:
        """Start runs through ``runs``."""
        self.runs = runs

    # -- writes --

    def create(self, params: Params, partition: Partition, now: datetime) -> dict[str, Any]:
        name = params["Name"]
        start = params.pop("StartOnCreation", False)
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            record = new_trigger(params, jobs.jobs)  # input errors first, as CreateJob's
            if name in jobs.triggers:
                raise GlueError(
                    "AlreadyExistsException", f"Trigger with name {name} already exists."
                )
            jobs.triggers[name] = record
            if start and params["Type"] != "ON_DEMAND":
                self._activate(record, partition, now)
        return {"Name": name}

    def update(self, params: Params, partition: Partition, now: datetime) -> dict[str, Any]:
        name = params["Name"]
        update = {k: v for k, v in params["TriggerUpdate"].items() if k != "Name"}
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            record = self._get(jobs, name)
            data = {**record.data, **update}
            check_definition(data, jobs.jobs)
            record.data = data
            if "Schedule" in update and record.data["State"] == "ACTIVATED":
                self._activate(record, partition, now)
            return {"Trigger": clone(record.data)}

    def delete(self, params: Params, partition: Partition) -> dict[str, Any]:
        # DeleteTrigger declares no EntityNotFoundException: deleting a missing one succeeds.
        with self.store.lock:
            self.store.jobs_of(partition).triggers.pop(params["Name"], None)
            self.scheduled.discard((partition, params["Name"]))
        return {"Name": params["Name"]}

    def start(self, params: Params, partition: Partition, now: datetime) -> dict[str, Any]:
        name = params["Name"]
        with self.store.lock:
            record = self._get(self.store.jobs_of(partition), name)
            if record.data["Type"] == "ON_DEMAND":
                # Fires now and stays CREATED; a run it cannot start is StartTrigger's error.
                self._fire(record, partition, now, [], strict=True)
            else:
                self._activate(record, partition, now)
        return {"Name": name}

    def stop(self, params: Params, partition: Partition) -> dict[str, Any]:
        name = params["Name"]
        with self.store.lock:
            record = self._get(self.store.jobs_of(partition), name)
            if record.data["State"] == "CREATED":
                # Glue's answer, reproduced live for any type of trigger never activated:
                # https://github.com/hashicorp/terraform-provider-aws/pull/49408
                raise invalid_input(
                    "The operation is not allowed when trigger is in state: CREATED"
                )
            record.data["State"] = "DEACTIVATED"
            record.next_fire = record.activated_on = None
            self.scheduled.discard((partition, name))
        return {"Name": name}

    def restore(
        self,
        jobs: PartitionJobs,
        partition: Partition,
        records: list[TriggerRecord],
        counted_out: set[str],
        now: datetime,
    ) -> None:
        """Store triggers load() checked, with the firing state snapshot data cannot carry.

        An ACTIVATED SCHEDULED trigger fires at its times after ``now``: Glue fires a schedule
        from its activation on, never a backlog. An ACTIVATED CONDITIONAL trigger counts every
        run of the partition that ended, except ``counted_out`` (runs in the fake before the
        load, which ended before the trigger existed) and the runs that its firings used, read
        back from the PredecessorRuns of the runs it started.
        """
        used: dict[str, set[str]] = {}
        for job_runs in jobs.runs.values():
            for run in job_runs:
                trigger = run.data.get("TriggerName")
                if trigger is not None:
                    used.setdefault(trigger, set()).update(
                        p["RunId"] for p in run.data.get("PredecessorRuns", ()) if "RunId" in p
                    )
        for record in records:
            name = record.data["Name"]
            jobs.triggers[name] = record
            record.consumed = counted_out | used.get(name, set())
            if record.data["State"] == "ACTIVATED":
                self._activate(record, partition, now)
                record.activated_on = _LONG_AGO  # the loaded runs ended while it was active

    # -- reads --

    def get(self, params: Params, partition: Partition) -> dict[str, Any]:
        with self.store.lock:
            return {"Trigger": clone(self._get(self.store.jobs_of(partition), params["Name"]).data)}

    def batch_get(self, params: Params, partition: Partition) -> dict[str, Any]:
        requested = list(dict.fromkeys(params["TriggerNames"]))
        with self.store.lock:
            triggers = self.store.jobs_of(partition).triggers
            found = [clone(triggers[name].data) for name in requested if name in triggers]
            missing = [name for name in requested if name not in triggers]
        return {"Triggers": found, "TriggersNotFound": missing}

    def page(self, operation: str, params: Params, partition: Partition) -> dict[str, Any]:
        """GetTriggers or ListTriggers: one page in name order, filtered before paging."""
        tags: dict[str, str] = params.get("Tags") or {}
        dependent = params.get("DependentJobName")
        scope = {**tags, _DEPENDENT: dependent} if dependent else tags
        limit = params.get("MaxResults") or DEFAULT_PAGE_SIZE
        token = params.get("NextToken")
        after = None if token is None else decode_token(token, operation, partition, scope or None)
        with self.store.lock:
            triggers = self.store.jobs_of(partition).triggers
            names = sorted(
                name for name, record in triggers.items() if tags.items() <= record.tags.items()
            )
            if dependent:
                starting = [n for n in names if _starts(triggers[n], dependent)]
                # Documented: "If there is no such trigger, all triggers are returned."
                names = starting or names
            names = [n for n in names if after is None or n > after]
            page, more = names[:limit], len(names) > limit
            fields: dict[str, Any] = (
                {"Triggers": [clone(triggers[n].data) for n in page]}
                if operation == "GetTriggers"
                else {"TriggerNames": page}
            )
        if more:
            fields["NextToken"] = encode_token(operation, partition, scope or None, page[-1])
        return fields

    def all_of(self, partition: Partition, now: datetime) -> dict[str, dict[str, Any]]:
        """Every trigger of the partition by name, as GetTrigger shows it (for the controller)."""
        self.catch_up(now)
        with self.store.lock:
            triggers = self.store.jobs_of(partition).triggers
            return {name: clone(triggers[name].data) for name in sorted(triggers)}

    # -- firing --

    def catch_up(self, now: datetime) -> None:
        """Fire every activated SCHEDULED trigger whose times up to ``now`` have come, in order."""
        if not self.scheduled:
            return
        with self.store.lock:
            fired: dict[tuple[Partition, str], int] = {}
            while True:
                due = self._next_due(now)
                if due is None:
                    return
                key, record, at = due
                fired[key] = fired.get(key, 0) + 1
                if fired[key] > MAX_CATCH_UP:
                    record.next_fire = _cron_of(record).next_after(now)
                    continue
                record.next_fire = _cron_of(record).next_after(at)
                self._fire(record, key[0], at, [], strict=False)

    def _next_due(
        self, now: datetime
    ) -> tuple[tuple[Partition, str], TriggerRecord, datetime] | None:
        earliest = None
        for key in sorted(self.scheduled):
            partition, name = key
            record = self.store.jobs_of(partition).triggers.get(name)
            if record is None or record.data["State"] != "ACTIVATED" or record.next_fire is None:
                self.scheduled.discard(key)
                continue
            if record.next_fire <= now and (earliest is None or record.next_fire < earliest[2]):
                earliest = (key, record, record.next_fire)
        return earliest

    def _activate(self, record: TriggerRecord, partition: Partition, now: datetime) -> None:
        record.data["State"] = "ACTIVATED"
        record.activated_on = now
        if record.data["Type"] == "SCHEDULED":
            record.next_fire = _cron_of(record).next_after(now)
            self.scheduled.add((partition, record.data["Name"]))

    def run_ended(self, end: RunEnd) -> None:
        """A run ended: unless its job retries it, fire each activated CONDITIONAL trigger its
        end completes."""
        jobs, name, run, at = end.jobs, end.name, end.run, end.at
        if end.retried or not jobs.triggers:
            return
        partition = self._partition_of(jobs)
        for record in list(jobs.triggers.values()):
            data = record.data
            if data["Type"] != "CONDITIONAL" or data["State"] != "ACTIVATED":
                continue
            predecessors = self._satisfied(jobs, record, name, run)
            if predecessors:
                record.consumed.update(r.data["Id"] for r in predecessors)
                self._fire(record, partition, at, predecessors, strict=False)

    def _satisfied(
        self, jobs: PartitionJobs, record: TriggerRecord, name: str, ended: Run
    ) -> list[Run]:
        """The runs that satisfy the predicate now that ``ended`` has ended ([] if none)."""
        predicate = record.data["Predicate"]
        conditions = predicate["Conditions"]
        matching = [c for c in conditions if c["JobName"] == name and c["State"] == ended.state]
        if not matching or ended.data["Id"] in record.consumed:
            return []
        if predicate.get("Logical") == "ANY" or len(conditions) == 1:
            return [ended]
        chosen = [ended]
        for condition in conditions:
            if condition is matching[0]:
                continue
            found = self._latest(jobs, record, condition, chosen)
            if found is None:
                return []
            chosen.append(found)
        return chosen

    @staticmethod
    def _latest(
        jobs: PartitionJobs, record: TriggerRecord, condition: dict[str, Any], chosen: list[Run]
    ) -> Run | None:
        """The newest run of the condition's job that ended in its state since activation."""
        for run in reversed(jobs.runs.get(condition["JobName"], [])):
            if (
                run.state == condition["State"]
                and run.data["Id"] not in record.consumed
                and run not in chosen
                and record.activated_on is not None
                and run.data.get("CompletedOn", run.data["StartedOn"]) >= record.activated_on
            ):
                return run
        return None

    def _fire(
        self,
        record: TriggerRecord,
        partition: Partition,
        at: datetime,
        predecessors: list[Run],
        *,
        strict: bool,
    ) -> None:
        """Start a run of each action's job at ``at``, as StartJobRun would."""
        jobs = self.store.jobs_of(partition)
        for action in record.data["Actions"]:
            params = {"JobName": action["JobName"]}
            params.update({k: clone(action[k]) for k in _RUN_PARAMETERS if k in action})
            assert self.runs is not None
            try:
                self.runs.start(params, partition, at)
            except GlueError:
                if strict:
                    raise
                continue  # a job deleted or at its concurrency limit: no run (docs/triggers.md)
            data = jobs.runs[action["JobName"]][-1].data
            data["TriggerName"] = record.data["Name"]
            data["PredecessorRuns"] = [
                {"JobName": r.data["JobName"], "RunId": r.data["Id"]} for r in predecessors
            ]

    def _partition_of(self, jobs: PartitionJobs) -> Partition:
        with self.store.all_partitions() as partitions:
            return next(key for key, value in partitions.items() if value is jobs)

    @staticmethod
    def _get(jobs: PartitionJobs, name: str) -> TriggerRecord:
        record = jobs.triggers.get(name)
        if record is None:
            raise _not_found(name)
        return record


def _starts(record: TriggerRecord, job: str) -> bool:
    return any(action.get("JobName") == job for action in record.data["Actions"])


def _cron_of(record: TriggerRecord) -> Cron:
    return _parse(record.data["Schedule"])


@cache
def _parse(schedule: str) -> Cron:
    return parse(schedule)
