"""Glue's worker types and job commands as data: the one table the job and run rules read.

CreateJob, UpdateJob and StartJobRun all take their worker and command rules from here (through
``rules.py``); nothing else in the fake knows a worker type's DPUs or a command's Python versions.
Each row names its source in docs/fidelity.md ("Worker types", "Job commands").

A worker type in the installed botocore's model that this table does not list (a newer botocore)
is derived from its name: ``<family>.<n>X[.<variant>]`` has n DPUs and, when the table lists
``<family>.<n>X``, that type's rules (``G.2X.GRAVITON`` follows ``G.2X``). So capacity is always
derived, and a new botocore needs no new release to be usable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

#: Every job command Glue documents (model ``JobCommand.Name``).
SPARK = ("glueetl", "gluestreaming")


@dataclass(frozen=True)
class WorkerType:
    """One worker type: its size, how many a job may have, and which jobs may use it."""

    name: str
    #: DPUs per worker (M-DPUs for R.* and Z.2X): MaxCapacity = this x NumberOfWorkers.
    dpu: float
    #: Job commands whose definitions accept the type.
    commands: tuple[str, ...]
    #: The first Glue version that accepts it.
    since: tuple[int, ...] = (0, 9)
    #: Glue versions that refuse it although they come after ``since``.
    not_on: tuple[str, ...] = ()
    min_workers: int = 2
    max_workers: int | None = None
    #: Commands whose definitions accept the type but whose runs fail as Glue's executor fails
    #: them (the type is not for that command).
    runs_fail_on: tuple[str, ...] = ()


_ROWS: tuple[WorkerType, ...] = (
    # Standard x 1 on Glue 2.0 is accepted (terraform-provider-aws #23372, PR #36458).
    WorkerType("Standard", 1.0, SPARK, min_workers=1),
    # G.1X: "minimum allowed value of Number of Workers is 2" (aws-samples/cql-replicator #181);
    # 299 and 149: the 2019 API reference's maxima.
    WorkerType("G.1X", 1.0, SPARK, max_workers=299),
    WorkerType("G.2X", 2.0, SPARK, max_workers=149),
    # G.025X: "only available for Glue version 3.0 or later streaming jobs" (model); at most 299
    # (cql-replicator #98); a glueetl job is accepted and its run fails (cql-replicator #160).
    WorkerType(
        "G.025X",
        0.25,
        SPARK,
        since=(3, 0),
        max_workers=299,
        runs_fail_on=("glueetl",),
    ),
    # G.4X / G.8X: "only for Glue version 3.0 or later Spark ETL jobs" (model); "Worker type G.4X
    # is not supported for Glue Version 5.0" (terraform-provider-aws #44420).
    WorkerType("G.4X", 4.0, ("glueetl",), since=(3, 0), not_on=("5.0",)),
    WorkerType("G.8X", 8.0, ("glueetl",), since=(3, 0)),
    # G.12X, G.16X, R.*: "only for Glue version 4.0 or later Spark ETL jobs" (model, worker types
    # page).
    WorkerType("G.12X", 12.0, ("glueetl",), since=(4, 0)),
    WorkerType("G.16X", 16.0, ("glueetl",), since=(4, 0)),
    WorkerType("R.1X", 1.0, ("glueetl",), since=(4, 0)),
    WorkerType("R.2X", 2.0, ("glueetl",), since=(4, 0)),
    WorkerType("R.4X", 4.0, ("glueetl",), since=(4, 0)),
    WorkerType("R.8X", 8.0, ("glueetl",), since=(4, 0)),
    # Z.2X: "Accepts the value Z.2X for Ray jobs" (model); Ray needs Glue 4.0 or later.
    WorkerType("Z.2X", 2.0, ("glueray",), since=(4, 0)),
)

#: The Graviton variants botocore 1.44.18's model lists; each follows its x86 type's rules.
GRAVITON_BASES = ("G.1X", "G.2X", "G.4X", "G.8X", "G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X")

WORKER_TYPES: dict[str, WorkerType] = {row.name: row for row in _ROWS}
for _base in GRAVITON_BASES:
    WORKER_TYPES[f"{_base}.GRAVITON"] = replace(WORKER_TYPES[_base], name=f"{_base}.GRAVITON")

_NAME = re.compile(r"([A-Z])\.(025|[1-9][0-9]*)X(?:\.[A-Z0-9]+)?", re.ASCII)


@cache
def worker_type(name: str) -> WorkerType | None:
    """The rules of ``name``; a type the table lacks is derived from its name (None if it can't)."""
    known = WORKER_TYPES.get(name)
    if known is not None:
        return known
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    family, size = match.groups()
    base = WORKER_TYPES.get(f"{family}.{size}X")
    if base is not None:
        return replace(base, name=name)
    # A size this table has never seen: its DPUs, and no rule the table cannot source.
    dpu = 0.25 if size == "025" else float(size)
    commands = ("glueray",) if family == "Z" else SPARK
    return WorkerType(name, dpu, commands, since=(0, 0), min_workers=1)


@dataclass(frozen=True)
class JobCommand:
    """What one job command accepts and what Glue fills in for it."""

    name: str
    #: Command.PythonVersion values accepted, and the one a job without one gets.
    python_versions: tuple[str, ...]
    default_python_version: str
    #: Python versions no longer accepted from this date on (version support policy).
    python_end_of_life: tuple[tuple[str, date], ...] = ()
    #: The PythonVersion a job without one got before the Python versions above ended.
    era_python_version: str | None = None
    #: The first Glue version that runs it.
    since: tuple[int, ...] = (0, 9)
    #: MaxCapacity without workers: the allowed values (None: whole DPUs in ``capacity_range``).
    capacities: tuple[float, ...] | None = None
    capacity_range: tuple[int, int] = (2, 100)
    default_capacity: float | None = 10.0
    #: Worker types: allowed at all, required (Ray).
    workers: bool = True
    workers_required: bool = False
    #: Default Timeout: the version's batch rule, or none (streaming), or a fixed value (Ray).
    default_timeout: str = "version"
    timeout_allowed: bool = True
    #: Command.Runtime values (Ray); None: the command takes no Runtime.
    runtimes: tuple[str, ...] | None = None
    maintenance_window: bool = False
    flex: bool = False


_PYTHON_2_END = date(2026, 4, 1)

COMMANDS: dict[str, JobCommand] = {
    # PythonVersion on Spark: "Choose from one of the following: [2, 3]"
    # (terraform-provider-aws #29123); a barest job reads "2" (recorded GetJob answers).
    "glueetl": JobCommand("glueetl", ("2", "3"), "2", flex=True),
    "gluestreaming": JobCommand(
        "gluestreaming", ("2", "3"), "2", default_timeout="none", maintenance_window=True
    ),
    # Python shell: Python 3.9 and 3.6 ("3"); Python 2 reached end of life on 2026-04-01
    # (add-job-python page, version support policy). 0.0625 or 1 DPU, 0.0625 by default (model).
    "pythonshell": JobCommand(
        "pythonshell",
        ("3.9", "3", "2"),
        "3.9",
        python_end_of_life=(("2", _PYTHON_2_END),),
        era_python_version="2",
        capacities=(0.0625, 1.0),
        default_capacity=0.0625,
        workers=False,
    ),
    # Ray: Glue 4.0 or later, Runtime Ray2.4, Z.2X workers, no Timeout (480 by default) (model,
    # ray-jobs-section page).
    "glueray": JobCommand(
        "glueray",
        ("3.9",),
        "3.9",
        since=(4, 0),
        default_capacity=None,
        workers_required=True,
        default_timeout="480",
        timeout_allowed=False,
        runtimes=("Ray2.4",),
    ),
}


def job_command(name: object) -> JobCommand | None:
    """The command whose rules a job follows: unknown names are Python shell; None if none."""
    if not name or not isinstance(name, str):
        return None
    return COMMANDS.get(name, COMMANDS["pythonshell"])
