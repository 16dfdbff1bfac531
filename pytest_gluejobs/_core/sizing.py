"""How a job or a run is sized: capacity with or without workers, checked and filled in.

CreateJob, UpdateJob and StartJobRun size a job the same way: the checks here read the worker
and command table (``workers.py``) and raise the first rule broken, as Glue answers one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import invalid_input
from .versions import GlueVersion
from .workers import JobCommand, worker_type

#: Recorded for a job definition and for StartJobRun (go-to-k/cdk-real-drift; an Airflow DAG).
CAPACITY_WITH_WORKERS = "Please do not set Max Capacity if using Worker Type and Number of Workers."


def check_sizing(
    job: Mapping[str, Any],
    kind: JobCommand,
    command_name: str,
    version: GlueVersion | None,
) -> None:
    """Raise GlueError for the first sizing rule ``job`` (a definition or a run's sizing) breaks."""
    capacity = job.get("MaxCapacity")
    allocated = job.get("AllocatedCapacity")
    workers_type = job.get("WorkerType")
    workers = job.get("NumberOfWorkers")
    # A worker job read back with GetJob (both capacities and workers) is answered with the
    # workers rule (cdk-real-drift, "proven live").
    if (capacity is not None or allocated is not None) and (
        workers_type is not None or workers is not None
    ):
        raise invalid_input(CAPACITY_WITH_WORKERS)
    if capacity is not None and allocated is not None:
        raise invalid_input("Please set only Allocated Capacity or Max Capacity.")
    if not kind.workers and workers_type is not None:
        raise invalid_input(f"Worker Type is not supported for Job Command {command_name}")
    if kind.workers_required and workers_type != "Z.2X":
        raise invalid_input(
            "Worker type cannot be null and only [Z.2X] worker types are supported for glueray jobs"
        )
    if (workers_type is None) != (workers is None):
        raise invalid_input(
            "Please set both Worker Type and Number of Workers, or neither "
            f"(got WorkerType={workers_type!r}, NumberOfWorkers={workers!r})."
        )
    if workers_type is not None and workers is not None:
        _check_workers(workers_type, workers, kind, command_name, version)


def _check_workers(
    name: str,
    workers: int,
    kind: JobCommand,
    command_name: str,
    version: GlueVersion | None,
) -> None:
    row = worker_type(name)
    if row is None:
        return
    if kind.name not in row.commands:
        raise invalid_input(f"Worker type {name} is not supported for Job Command {command_name}")
    if version is not None and (version.number < row.since or version.name in row.not_on):
        # terraform-provider-aws #44420 (REC): the wording for G.4X on 5.0.
        raise invalid_input(f"Worker type {name} is not supported for Glue Version {version.name}")
    if workers < row.min_workers:
        raise invalid_input(
            f"To use Worker Type {name}, minimum allowed value of Number of Workers is "
            f"{row.min_workers}."
        )
    if row.max_workers is not None and workers > row.max_workers:
        raise invalid_input(
            f"To use Worker Type {name}, maximum allowed value of Number of Workers "
            f"is {row.max_workers}."
        )


def fill_capacity(job: dict[str, Any], kind: JobCommand, command_name: str) -> None:
    """MaxCapacity and AllocatedCapacity as GetJob shows them (both, always)."""
    workers_type = job.get("WorkerType")
    if workers_type is not None:
        row = worker_type(workers_type)
        if row is not None:
            _set_capacity(job, row.dpu * job["NumberOfWorkers"])
        return
    sent = job.get("MaxCapacity", job.get("AllocatedCapacity"))
    capacity = kind.default_capacity if sent is None else float(sent)
    if capacity is None:
        return
    if kind.capacities is not None:
        if capacity not in kind.capacities:
            allowed = " or ".join(f"{value:g}" for value in kind.capacities)
            raise invalid_input(
                f"Max Capacity for Job Command {command_name} must be {allowed} DPU; "
                f"got {capacity:g}."
            )
    else:
        low, high = kind.capacity_range
        if not capacity.is_integer() or not low <= capacity <= high:
            raise invalid_input(
                f"Max Capacity for Job Command {command_name} must be a whole number of DPUs "
                f"from {low} to {high}; got {capacity:g}."
            )
    _set_capacity(job, capacity)


def _set_capacity(job: dict[str, Any], dpus: float) -> None:
    # GetJob echoes both MaxCapacity (double) and the deprecated AllocatedCapacity (whole part).
    job["MaxCapacity"] = dpus
    job["AllocatedCapacity"] = int(dpus)
