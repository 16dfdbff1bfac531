"""``load()``: a fake's state from ``snapshot()``-shaped data, all checked before any is added.

Each job goes through CreateJob's validation and defaults on a scratch copy of the service and must
come out as given, so a snapshot loads back to itself; each run is checked against the JobRun shape
of botocore's Glue model and against what a run of the fake always has; each trigger goes through
CreateTrigger's validation and rules, its actions naming jobs loaded with it or in the fake. One
refusal, and nothing is loaded: the message names the partition, the job or trigger, the run and
the field.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from botocore.model import Shape

from ._assertions import differences
from ._core.errors import GlueError, OutsideTheFake
from ._core.jsondata import clone, plain
from ._core.model import service_model
from ._core.partitions import Partition
from ._core.runs import FINAL_STATES, RUN_STATES
from ._core.service import now as service_now
from ._core.state import JobState, NamesTaken, ServiceState
from ._core.trigger_rules import TriggerRecord, new_trigger
from ._core.validation import validate
from ._snapshots import TIMESTAMP_PLACEHOLDER, TRIGGERS

#: The members of a snapshotted job that CreateJob does not take: set by the service, not the user.
_READ_ONLY = ("CreatedOn", "LastModifiedOn")
#: What every run of the fake has, and what its run operations read.
_RUN_REQUIRED = ("Id", "JobName", "Attempt", "JobRunState", "StartedOn", "LastModifiedOn")


class _Refused(ValueError):
    """Loading stops: the message says where and why."""

    def __init__(self, where: str, problem: str) -> None:
        place = f" at {where}" if where else ""
        super().__init__(f"load(): snapshot data{place}: {problem}.")


def load(state: ServiceState, data: object) -> None:
    """Seed ``state`` from snapshot-shaped data: all of it, or nothing if any of it is refused."""
    try:
        jobs, triggers = _everything(state, data)
    except RecursionError:
        raise _Refused("", "it is nested too deeply to be snapshot data") from None
    try:
        state.seed(jobs, triggers)
    except NamesTaken as clash:
        key = f"{clash.partition[0]}/{clash.partition[1]}"
        raise _Refused(
            repr(key if clash.kind == "job" else f"{TRIGGERS} > {key}"),
            f"{clash.kind}(s) {', '.join(map(repr, clash.names))} already exist; load() adds "
            f"{clash.kind}s to the fake's state, so call reset() first to replace them",
        ) from None


def _everything(
    state: ServiceState, data: object
) -> tuple[dict[Partition, list[JobState]], dict[Partition, list[TriggerRecord]]]:
    if not isinstance(data, dict):
        raise _Refused("", f"expected a dict of partitions, got {_kind(data)}")
    scratch = state.scratch()
    loaded: dict[Partition, list[JobState]] = {}
    for key, jobs in data.items():
        if key == TRIGGERS:
            continue
        partition = _partition(key)
        if not isinstance(jobs, dict):
            raise _Refused(repr(key), f"expected a dict of jobs by name, got {_kind(jobs)}")
        loaded[partition] = [_job(scratch, partition, key, name, job) for name, job in jobs.items()]
    triggers = _triggers(state, loaded, data[TRIGGERS]) if TRIGGERS in data else {}
    return loaded, triggers


def _kind(value: object) -> str:
    return type(value).__name__


def _partition(key: object, where: str | None = None) -> Partition:
    parts = key.split("/") if isinstance(key, str) else []
    if len(parts) != 2 or not all(parts):
        raise _Refused(
            where or repr(key),
            "a partition key must be '<account_id>/<region>', e.g. '123456789012/us-east-1'"
            + ("" if where else f", or {TRIGGERS!r} for the triggers"),
        )
    return parts[0], parts[1]


def _named_fields(where: str, kind: str, name: object, given: object) -> tuple[str, dict[str, Any]]:
    """A job's or trigger's name and fields (keyed by its name in the snapshot; Name filled in)."""
    if not isinstance(name, str) or not name:
        raise _Refused(where, f"a {kind}'s key must be its name, a non-empty string")
    if not isinstance(given, dict):
        raise _Refused(where, f"expected the {kind}'s fields as a dict, got {_kind(given)}")
    if given.get("Name", name) != name:
        raise _Refused(where, f"the {kind}'s Name {given['Name']!r} differs from its key {name!r}")
    return name, {"Name": name, **plain(given)}


def _job(
    scratch: ServiceState, partition: Partition, key: str, name: object, given: object
) -> JobState:
    where = repr(f"{key} > {name}")
    name, fields = _named_fields(where, "job", name, given)
    runs = _runs(where, name, fields.pop("Runs", []))
    times = {member: fields.pop(member, TIMESTAMP_PLACEHOLDER) for member in _READ_ONLY}
    params = _create_job_params(fields)
    try:
        job = scratch.add_job(partition, params)
    except GlueError as error:
        problem = f"Glue would refuse this job ({error.code}: {error.message})"
        raise _Refused(where, problem) from None
    tags = scratch.tags(partition, name) or {}
    fields.pop("Tags", None)
    found = differences(fields, job, subset=True)
    if found:
        listed = "; ".join(f"{d.path} is {d.expected!r} but Glue shows {d.actual!r}" for d in found)
        raise _Refused(where, f"{listed} for this definition; fix or remove the field(s)")
    for member, value in times.items():
        if value != TIMESTAMP_PLACEHOLDER:
            job[member] = _timestamp(where, member, value)
    return job, tags, runs


def _create_job_params(fields: dict[str, Any]) -> dict[str, Any]:
    """The CreateJob request for a job as GetJob shows it: without what Glue derives itself."""
    params = dict(fields)
    # GetJob echoes capacity it derives (MaxCapacity from workers, AllocatedCapacity from
    # MaxCapacity) that CreateJob would refuse alongside its source; the rules derive it again.
    if "WorkerType" in params:
        params.pop("MaxCapacity", None)
        params.pop("AllocatedCapacity", None)
    elif "MaxCapacity" in params:
        params.pop("AllocatedCapacity", None)
    params.pop("AutoUpgradeMetadata", None)  # output only: Glue sets it for an `auto` job
    command = params.get("Command")
    if isinstance(command, dict) and command.get("Name") == "glueray":
        # A Ray job shows the Timeout Glue gives it, and CreateJob refuses one for Ray.
        params.pop("Timeout", None)
    return params


# -- triggers -----------------------------------------------------------------------------------

#: The states a trigger of the fake is ever in (Glue's passing states are never shown).
_TRIGGER_STATES = ("CREATED", "ACTIVATED", "DEACTIVATED")


def _triggers(
    state: ServiceState, jobs: dict[Partition, list[JobState]], given: object
) -> dict[Partition, list[TriggerRecord]]:
    """The ``"Triggers"`` of snapshot data, each checked as CreateTrigger checks a request."""
    if not isinstance(given, dict):
        raise _Refused(
            repr(TRIGGERS),
            f"expected a dict of partitions, each of triggers by name, got {_kind(given)}",
        )
    loaded: dict[Partition, list[TriggerRecord]] = {}
    for key, triggers in given.items():
        where = f"{TRIGGERS} > {key}"
        partition = _partition(key, repr(where))
        if not isinstance(triggers, dict):
            raise _Refused(
                repr(where), f"expected a dict of triggers by name, got {_kind(triggers)}"
            )
        # An action may start a job loaded with it or one the fake holds (load() adds to it).
        known = {job["Name"] for job, _, _ in jobs.get(partition, ())}
        known.update(state.job_names(partition))
        loaded[partition] = [_trigger(where, name, t, known) for name, t in triggers.items()]
    return loaded


def _trigger(partition_where: str, name: object, given: object, jobs: set[str]) -> TriggerRecord:
    where = repr(f"{partition_where} > {name}")
    name, fields = _named_fields(where, "trigger", name, given)
    tags = fields.pop("Tags", {})
    state = fields.pop("State", "CREATED")  # as CreateTrigger leaves it
    members = service_model().shape_for("Trigger").members
    for member in fields:
        if member not in members:
            raise _Refused(
                where, f"field {member} is not a Trigger field; Trigger has: {', '.join(members)}"
            )
    if "Id" in fields:
        raise _Refused(where, "field Id is set; Glue reserves it, and the fake never shows it")
    if state not in _TRIGGER_STATES:
        raise _Refused(
            where,
            f"field State is {state!r}; a trigger of the fake is {', '.join(_TRIGGER_STATES)} "
            "(Glue's passing states, such as ACTIVATING, are never shown)",
        )
    try:
        record = new_trigger(validate("CreateTrigger", {**clone(fields), "Tags": tags}), jobs)
    except OutsideTheFake as error:
        raise _Refused(where, str(error).rstrip(".")) from None
    except GlueError as error:
        raise _Refused(where, _trigger_refusal(error, fields, jobs)) from None
    found = differences(fields, record.data, subset=True)
    if found:
        listed = "; ".join(f"{d.path} is {d.expected!r} but Glue shows {d.actual!r}" for d in found)
        raise _Refused(where, f"{listed} for this definition; fix or remove the field(s)")
    if state == "ACTIVATED" and fields["Type"] == "ON_DEMAND":
        raise _Refused(
            where,
            "field State is 'ACTIVATED', but an ON_DEMAND trigger is never activated: it fires "
            "on each StartTrigger and stays CREATED",
        )
    record.data["State"] = state
    return record


def _trigger_refusal(error: GlueError, fields: dict[str, Any], jobs: set[str]) -> str:
    refusal = f"Glue would refuse this trigger ({error.code}: {error.message})"
    if error.code != "EntityNotFoundException":
        return refusal
    # The one refusal that depends on the rest of the state: an action naming a missing job.
    actions = fields["Actions"]
    index, job = next((i, a["JobName"]) for i, a in enumerate(actions) if a["JobName"] not in jobs)
    return (
        f"field Actions[{index}].JobName is {job!r}, a job neither loaded with the trigger nor in "
        f"the fake, so Glue would refuse this trigger ({error.code}). Load the job too, or remove "
        "the action (a snapshot taken after DeleteJob of a job a trigger starts holds one)"
    )


# -- runs ---------------------------------------------------------------------------------------


def _runs(job_where: str, job_name: str, given: object) -> list[dict[str, Any]]:
    """A snapshot's ``Runs`` (newest first) as run data, oldest first."""
    if not isinstance(given, list):
        raise _Refused(job_where, f"Runs must be a list of runs, got {_kind(given)}")
    shape = service_model().shape_for("JobRun")
    seen: set[str] = set()
    loaded = []
    for index, run in enumerate(given):
        run_id = run.get("Id") if isinstance(run, dict) else None
        where = f"{job_where[:-1]} > Runs[{index}]' (run {run_id!r})"
        if not isinstance(run, dict):
            raise _Refused(where, f"a run must be a dict of JobRun fields, got {_kind(run)}")
        for member in _RUN_REQUIRED:
            if member not in run:
                raise _Refused(where, f"field {member} is missing; every run has one")
        data = _value(shape, run, where, "")
        if data["JobRunState"] not in RUN_STATES:
            raise _Refused(
                where,
                f"field JobRunState is {data['JobRunState']!r}; a run's state is one of "
                f"{', '.join(RUN_STATES)}",
            )
        if data["JobName"] != job_name:
            raise _Refused(where, f"field JobName is {data['JobName']!r}, not the job's name")
        if data["Id"] in seen:
            raise _Refused(where, "another run of this job has the same Id")
        seen.add(data["Id"])
        if data["Attempt"] < 0:
            raise _Refused(where, f"field Attempt is {data['Attempt']}; it counts from 0")
        ended = data["JobRunState"] in FINAL_STATES
        if ended != ("CompletedOn" in data):
            problem = "is missing; a run that ended has one" if ended else "is set; the run"
            raise _Refused(
                where,
                f"field CompletedOn {problem}"
                + ("" if ended else f" is {data['JobRunState']}, it has not ended"),
            )
        loaded.append(data)
    return loaded[::-1]


def _value(shape: Shape, value: Any, where: str, path: str) -> Any:
    """``value`` checked against ``shape`` (botocore's model), timestamps made datetimes.

    Types only: the values of a run's job fields (WorkerType, ...) were checked as the job's.
    """
    kind = shape.type_name
    field = f"field {path}" if path else "the run"
    if kind == "structure":
        if not isinstance(value, dict):
            raise _Refused(where, f"{field} must be a dict, got {_kind(value)}")
        members = shape.members
        checked = {}
        for name, item in value.items():
            inner = f"{path}.{name}" if path else str(name)
            if name not in members:
                raise _Refused(
                    where,
                    f"field {inner} is not a JobRun field; JobRun has: {', '.join(members)}",
                )
            checked[name] = _value(members[name], item, where, inner)
        return checked
    if kind == "list":
        if not isinstance(value, list):
            raise _Refused(where, f"{field} must be a list, got {_kind(value)}")
        member = shape.member
        return [_value(member, item, where, f"{path}[{i}]") for i, item in enumerate(value)]
    if kind == "map":
        if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
            raise _Refused(where, f"{field} must be a map of strings, got {_kind(value)}")
        item_shape = shape.value
        return {k: _value(item_shape, v, where, f"{path}[{k!r}]") for k, v in value.items()}
    if kind == "timestamp":
        return service_now() if value == TIMESTAMP_PLACEHOLDER else _timestamp(where, path, value)
    wanted = _SCALARS.get(kind)
    if wanted is not None:
        types, words = wanted
        is_bool = isinstance(value, bool)  # a bool is an int to Python, never to Glue
        if not (is_bool if kind == "boolean" else isinstance(value, types) and not is_bool):
            raise _Refused(where, f"{field} must be {words}, got {value!r} ({_kind(value)})")
    return value


#: Python types a scalar of the model may have, and how a message names them.
_SCALARS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "string": (str, "a string"),
    "integer": (int, "a whole number"),
    "long": (int, "a whole number"),
    "double": ((int, float), "a number"),
    "float": ((int, float), "a number"),
    "boolean": (bool, "true or false"),
}


def _timestamp(where: str, member: str, value: object) -> datetime:
    text = value[:-1] + "+00:00" if isinstance(value, str) and value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise _Refused(
            where,
            f"field {member} is {value!r}; expected an ISO-8601 time with a UTC offset, e.g. "
            f"'2024-01-31T12:00:00+00:00', or {TIMESTAMP_PLACEHOLDER!r} for the current time",
        )
    return parsed.astimezone(timezone.utc)
