"""``load()``: a fake's state from ``snapshot()``-shaped data, all checked before any is added.

Each job goes through CreateJob's validation and defaults on a scratch copy of the service and must
come out as given, so a snapshot loads back to itself; each run is checked against the JobRun shape
of botocore's Glue model and against what a run of the fake always has. One refusal, and nothing is
loaded: the message names the partition, the job, the run and the field.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from botocore.model import Shape

from ._assertions import differences
from ._core.errors import GlueError
from ._core.jsondata import plain
from ._core.model import service_model
from ._core.runs import FINAL_STATES, RUN_STATES
from ._core.service import now as service_now
from ._core.state import JobsExist, JobState, ServiceState
from ._core.store import Partition
from ._snapshots import TIMESTAMP_PLACEHOLDER

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
        loaded = _everything(state.scratch(), data)
    except RecursionError:
        raise _Refused("", "it is nested too deeply to be snapshot data") from None
    try:
        state.seed(loaded)
    except JobsExist as clash:
        raise _Refused(
            repr(f"{clash.partition[0]}/{clash.partition[1]}"),
            f"job(s) {', '.join(map(repr, clash.names))} already exist; load() adds jobs to the "
            "fake's state, so call reset() first to replace them",
        ) from None


def _everything(scratch: ServiceState, data: object) -> dict[Partition, list[JobState]]:
    if not isinstance(data, dict):
        raise _Refused("", f"expected a dict of partitions, got {_kind(data)}")
    loaded: dict[Partition, list[JobState]] = {}
    for key, jobs in data.items():
        partition = _partition(key)
        if not isinstance(jobs, dict):
            raise _Refused(repr(key), f"expected a dict of jobs by name, got {_kind(jobs)}")
        loaded[partition] = [_job(scratch, partition, key, name, job) for name, job in jobs.items()]
    return loaded


def _kind(value: object) -> str:
    return type(value).__name__


def _partition(key: object) -> Partition:
    parts = key.split("/") if isinstance(key, str) else []
    if len(parts) != 2 or not all(parts):
        raise _Refused(
            repr(key),
            "a partition key must be '<account_id>/<region>', e.g. '123456789012/us-east-1'",
        )
    return parts[0], parts[1]


def _job(
    scratch: ServiceState, partition: Partition, key: str, name: object, given: object
) -> JobState:
    where = repr(f"{key} > {name}")
    if not isinstance(name, str) or not name:
        raise _Refused(where, "a job's key must be its name, a non-empty string")
    if not isinstance(given, dict):
        raise _Refused(where, f"expected the job's fields as a dict, got {_kind(given)}")
    if given.get("Name", name) != name:
        raise _Refused(where, f"the job's Name {given['Name']!r} differs from its key {name!r}")
    fields = {"Name": name, **plain(given)}
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
