"""Glue's semantic rules for a job definition, and the defaults Glue fills in.

Shape validation (lengths, patterns, enums, ...) happens before this, from botocore's model; what is
here is what the model cannot say: which fields go together, capacity per job command, and what
GetJob shows for fields the caller left out. Each rule names its source in docs/fidelity.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._errors import GlueError, invalid_input

#: Job commands Glue knows (seed: JobCommand.Name; research §2.3 for streaming and Ray).
JOB_COMMANDS: tuple[str, ...] = ("glueetl", "gluestreaming", "pythonshell", "glueray")

#: Glue versions a job may name (research: DG-V release notes).
GLUE_VERSIONS: tuple[str, ...] = ("0.9", "1.0", "2.0", "3.0", "4.0", "5.0", "5.1")

#: DPUs per worker, from the WorkerType documentation in the service model (research §2.6).
DPU_PER_WORKER: dict[str, float] = {
    "Standard": 1.0,
    "G.025X": 0.25,
    "G.1X": 1.0,
    "G.2X": 2.0,
    "G.4X": 4.0,
    "G.8X": 8.0,
    "G.12X": 12.0,
    "G.16X": 16.0,
    "R.1X": 1.0,
    "R.2X": 2.0,
    "R.4X": 4.0,
    "R.8X": 8.0,
    "Z.2X": 2.0,
}

#: Seed: "The maximum number of workers you can define are 299 for G.1X, and 149 for G.2X."
MAX_WORKERS: dict[str, int] = {"G.1X": 299, "G.2X": 149}

#: Model doc of Timeout: "Jobs must have timeout values less than 7 days or 10080 minutes."
TIMEOUT_LIMIT_MINUTES = 10080

_SPARK_COMMANDS = ("glueetl", "gluestreaming")


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


#: Each Glue version as numbers, for comparisons (parsed once: every write compares).
_VERSION_NUMBERS: dict[str, tuple[int, ...]] = {v: version_tuple(v) for v in GLUE_VERSIONS}


def check_glue_version(version: str) -> None:
    if version not in _VERSION_NUMBERS:
        raise _unknown_glue_version(version)


def _unknown_glue_version(version: str) -> GlueError:
    return invalid_input(
        f"GlueVersion '{version}' is not a valid Glue version. "
        f"Valid versions: {', '.join(GLUE_VERSIONS)}."
    )


def build_job(
    job: dict[str, Any],
    *,
    created_on: datetime,
    last_modified_on: datetime,
    default_glue_version: str,
) -> dict[str, Any]:
    """The stored Job for a CreateJob request or a JobUpdate, with Glue's defaults applied.

    ``job`` is the validated definition (no null members, no ``Tags``) with its ``Name``; it is
    completed in place and returned, so the caller hands it over.
    Raises GlueError (InvalidInputException) when a semantic rule is broken.
    """
    # The checks are written out here rather than called: every write runs them.
    command = job["Command"]
    command_name = command.get("Name")
    if command_name not in JOB_COMMANDS:
        raise _unknown_command(command_name)
    version = job.setdefault("GlueVersion", default_glue_version)
    if version not in _VERSION_NUMBERS:
        raise _unknown_glue_version(version)

    _check_and_fill_capacity(job, command_name)
    _fill_timeout(job, command_name, version)
    if job.get("ExecutionClass") == "FLEX":
        _check_flex(command_name, version)
    if command_name == "glueray" and not command.get("Runtime"):
        raise invalid_input("Runtime parameter is required for GlueRay command")
    command.setdefault("PythonVersion", "3.9" if command_name == "glueray" else "2")

    execution_property = job.get("ExecutionProperty")
    if execution_property is None:
        job["ExecutionProperty"] = {"MaxConcurrentRuns": 1}
    else:
        execution_property.setdefault("MaxConcurrentRuns", 1)
    job.setdefault("MaxRetries", 0)
    job.setdefault("JobMode", "SCRIPT")
    job.setdefault("JobRunQueuingEnabled", False)
    job["CreatedOn"] = created_on
    job["LastModifiedOn"] = last_modified_on
    return job


def _unknown_command(name: object) -> GlueError:
    shown = "missing" if name is None else f"'{name}'"
    return invalid_input(f"Command.Name is {shown}; it must be one of {', '.join(JOB_COMMANDS)}.")


def _check_and_fill_capacity(job: dict[str, Any], command_name: str) -> None:
    max_capacity = job.get("MaxCapacity")
    allocated = job.get("AllocatedCapacity")
    worker_type = job.get("WorkerType")
    workers = job.get("NumberOfWorkers")

    if max_capacity is not None and allocated is not None:
        raise invalid_input("Please set only Allocated Capacity or Max Capacity.")
    capacity = max_capacity if max_capacity is not None else allocated
    if capacity is not None and (worker_type is not None or workers is not None):
        raise invalid_input(
            "Please do not set Max Capacity if using Worker Type and Number of Workers."
        )
    if command_name == "pythonshell" and worker_type is not None:
        raise invalid_input("Worker Type is not supported for Job Command pythonshell")
    if command_name == "glueray" and worker_type != "Z.2X":
        raise invalid_input(
            "Worker type cannot be null and only [Z.2X] worker types are supported for glueray jobs"
        )
    if (worker_type is None) != (workers is None):
        raise invalid_input(
            "Please set both Worker Type and Number of Workers, or neither "
            f"(got WorkerType={worker_type!r}, NumberOfWorkers={workers!r})."
        )

    if worker_type is not None and workers is not None:
        _check_workers(worker_type, workers)
        dpu = DPU_PER_WORKER.get(worker_type)
        if dpu is not None:
            _set_capacity(job, dpu * workers)
        return
    if command_name == "pythonshell":
        capacity = 0.0625 if capacity is None else float(capacity)
        if capacity not in (0.0625, 1.0):
            raise invalid_input(
                f"Max Capacity for Job Command pythonshell must be 0.0625 or 1 DPU; "
                f"got {capacity:g}."
            )
    elif command_name in _SPARK_COMMANDS:
        capacity = 10.0 if capacity is None else float(capacity)
        if not capacity.is_integer() or not 2 <= capacity <= 100:
            raise invalid_input(
                f"Max Capacity for Job Command {command_name} must be a whole number of DPUs "
                f"from 2 to 100; got {capacity:g}."
            )
    if capacity is not None:
        _set_capacity(job, float(capacity))


def _check_workers(worker_type: str, workers: int) -> None:
    if workers < 1:
        raise invalid_input(
            f"To use Worker Type {worker_type}, minimum allowed value of Number of Workers is 1."
        )
    limit = MAX_WORKERS.get(worker_type)
    if limit is not None and workers > limit:
        raise invalid_input(
            f"To use Worker Type {worker_type}, maximum allowed value of Number of Workers "
            f"is {limit}."
        )


def _set_capacity(job: dict[str, Any], dpus: float) -> None:
    # GetJob echoes both MaxCapacity (double) and the deprecated AllocatedCapacity (whole part).
    job["MaxCapacity"] = dpus
    job["AllocatedCapacity"] = int(dpus)


def _fill_timeout(job: dict[str, Any], command_name: str, version: str) -> None:
    timeout = job.get("Timeout")
    if command_name == "glueray":
        if timeout is not None:
            raise invalid_input("Timeout not supported for Ray jobs")
        job["Timeout"] = 480
        return
    if timeout is None:
        if command_name != "gluestreaming":
            job["Timeout"] = 480 if _VERSION_NUMBERS[version] >= (5, 0) else 2880
        return
    if timeout >= TIMEOUT_LIMIT_MINUTES:
        raise invalid_input(
            f"Timeout must be less than {TIMEOUT_LIMIT_MINUTES} minutes (7 days); got {timeout}."
        )


def _check_flex(command_name: str, version: str) -> None:
    if command_name != "glueetl" or _VERSION_NUMBERS[version] < (3, 0):
        raise invalid_input(
            "ExecutionClass FLEX is only allowed for glueetl jobs with GlueVersion 3.0 or "
            f"later (got Command.Name '{command_name}', GlueVersion '{version}')."
        )


def check_tag_keys(tags: Mapping[str, str]) -> None:
    """Tag keys must not use the reserved ``aws:`` prefix (Glue developer guide, tags)."""
    for key in tags:
        if key[:4].lower() == "aws:":
            raise invalid_input(
                f"Tag key '{key}' uses the reserved prefix 'aws:'; choose another key."
            )
