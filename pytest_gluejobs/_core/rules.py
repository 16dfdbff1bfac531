"""Glue's semantic rules for a job definition, and the defaults Glue fills in.

Shape validation (lengths, patterns, enums, ...) happens before this, from botocore's model; what is
here is what the model cannot say: which fields go together, capacity per job command, and what
GetJob shows for fields the caller left out. Each rule names its source in docs/fidelity.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .errors import GlueError, invalid_input
from .versions import AUTO, KNOWN, GlueVersion, GlueVersions

#: Job commands Glue knows (https://docs.aws.amazon.com/glue/latest/webapi/API_JobCommand.html). Any
#: other name is accepted and treated as Python shell, as Glue does
#: (https://github.com/hashicorp/terraform-provider-aws/issues/8526).
JOB_COMMANDS: tuple[str, ...] = ("glueetl", "gluestreaming", "pythonshell", "glueray")

#: DPUs per worker, from the WorkerType documentation in the service model
#: (https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html).
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


class JobRules:
    """Glue's rules for job definitions, for one fake: its Glue versions and its default.

    With a default version that has reached end of life (0.9, Glue's original default), every
    known version is accepted, as Glue did in 2019; with a current default (``6.0``, today's),
    versions past end of life are refused for new definitions, as Glue does today.
    """

    def __init__(self, default_glue_version: str, versions: GlueVersions) -> None:
        default = versions.get(default_glue_version)
        if default is None:
            raise invalid_input(versions.unknown_message(default_glue_version))
        self.versions = versions
        self.default_glue_version = default_glue_version
        self.refuse_end_of_life = default.end_of_life is None

    def build_job(
        self,
        job: dict[str, Any],
        *,
        created_on: datetime,
        last_modified_on: datetime,
        current: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The stored Job for a CreateJob request or a JobUpdate, with Glue's defaults applied.

        ``job`` is the validated definition (no null members, no ``Tags``) with its ``Name``; it
        is completed in place and returned, so the caller hands it over. ``current`` is the job
        an UpdateJob replaces: its GlueVersion is kept when the update sends none (model:
        "retains the value from the existing job definition").
        Raises GlueError (InvalidInputException) naming every semantic rule the job breaks.
        """
        problems: list[str] = []
        command = job["Command"]
        command_name = command.get("Name")
        kind = command_kind(command_name)
        if not command_name:
            problems.append("Command name should not be null or empty")
        else:
            if not command.get("ScriptLocation"):
                problems.append(
                    f"Script location cannot be null or empty for {command_name} command"
                )
        version_name = job.get("GlueVersion")
        if version_name is None:
            kept = None if current is None else current.get("GlueVersion")
            version_name = job["GlueVersion"] = kept or self.default_glue_version
            named = kept is None
        else:
            named = True
        today = last_modified_on.date()
        version = self._version(job, version_name, kind, current, named, today, problems)

        if kind is not None:
            check_and_fill_capacity(job, kind, command_name, problems)
            if version is not None:
                _fill_timeout(job, kind, version, problems)
                if job.get("ExecutionClass") == "FLEX" and (kind != "glueetl" or not version.flex):
                    problems.append(
                        "ExecutionClass FLEX is only allowed for glueetl jobs with GlueVersion "
                        f"3.0 or later (got Command.Name '{command_name}', GlueVersion "
                        f"'{version_name}')."
                    )
            if kind == "glueray" and not command.get("Runtime"):
                problems.append("Runtime parameter is required for GlueRay command")
        if problems:
            raise _refusal(problems)
        command.setdefault("PythonVersion", "3.9" if kind == "glueray" else "2")
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

    def _version(
        self,
        job: dict[str, Any],
        name: str,
        kind: str | None,
        current: Mapping[str, Any] | None,
        named: bool,
        today: date,
        problems: list[str],
    ) -> GlueVersion | None:
        """The version whose rules apply (for ``auto``, the one the job runs on now)."""
        if name == AUTO:
            return self._auto(job, kind, current, problems)
        version = self.versions.get(name)
        if version is None:
            problems.append(self.versions.unknown_message(name))
        elif (
            named
            and self.refuse_end_of_life
            and version.end_of_life is not None
            and version.end_of_life <= today
        ):
            problems.append(
                f"Glue version {name} reached end of life on {version.end_of_life}: Glue no "
                "longer creates or updates jobs on it. Use 3.0 or later (this fake's default "
                f"is {self.default_glue_version}; a default past end of life, such as 0.9, "
                "accepts every version as Glue did before)."
            )
        return version

    def _auto(
        self,
        job: dict[str, Any],
        kind: str | None,
        current: Mapping[str, Any] | None,
        problems: list[str],
    ) -> GlueVersion | None:
        if kind is not None and kind not in _SPARK_COMMANDS:
            problems.append(
                "GlueVersion 'auto' (automatic version upgrades) is only for Spark jobs "
                f"(glueetl, gluestreaming); got Command.Name '{job['Command']['Name']}'."
            )
        retries = job.get("MaxRetries", 0)
        if retries < 1:
            problems.append(
                "GlueVersion 'auto' needs MaxRetries of 1 or more (a failed run on the upgraded "
                f"version is retried on the previous one); got MaxRetries {retries}."
            )
        # The version the job runs on until an upgrade: the one it had, else today's newest.
        source = None
        if current is not None:
            source = current.get("AutoUpgradeMetadata", {}).get("SourceVersion") or current.get(
                "GlueVersion"
            )
        if source is None or source == AUTO:
            source = KNOWN[-1].name
        job["AutoUpgradeMetadata"] = {"SourceVersion": source, "Status": "OBSERVING"}
        return self.versions.get(source)


def command_kind(command_name: object) -> str | None:
    """The command whose rules a job follows: unknown names are Python shell; None if none."""
    if not command_name or not isinstance(command_name, str):
        return None
    return command_name if command_name in JOB_COMMANDS else "pythonshell"


def _refusal(problems: list[str]) -> GlueError:
    if len(problems) == 1:
        return invalid_input(problems[0])
    listed = "; ".join(f"({number}) {text}" for number, text in enumerate(problems, 1))
    return invalid_input(f"{len(problems)} problems in this job definition: {listed}")


def check_and_fill_capacity(
    job: dict[str, Any], kind: str, command_name: str, problems: list[str]
) -> None:
    max_capacity = job.get("MaxCapacity")
    allocated = job.get("AllocatedCapacity")
    worker_type = job.get("WorkerType")
    workers = job.get("NumberOfWorkers")
    found = len(problems)

    if max_capacity is not None and allocated is not None:
        problems.append("Please set only Allocated Capacity or Max Capacity.")
    capacity = max_capacity if max_capacity is not None else allocated
    if capacity is not None and (worker_type is not None or workers is not None):
        problems.append(
            "Please do not set Max Capacity if using Worker Type and Number of Workers."
        )
    if kind == "pythonshell" and worker_type is not None:
        problems.append(f"Worker Type is not supported for Job Command {command_name}")
    if kind == "glueray" and worker_type != "Z.2X":
        problems.append(
            "Worker type cannot be null and only [Z.2X] worker types are supported for glueray jobs"
        )
    if (worker_type is None) != (workers is None):
        problems.append(
            "Please set both Worker Type and Number of Workers, or neither "
            f"(got WorkerType={worker_type!r}, NumberOfWorkers={workers!r})."
        )
    elif worker_type is not None and workers is not None:
        _check_workers(worker_type, workers, problems)
    if len(problems) > found:
        return
    if worker_type is not None and workers is not None:
        dpu = DPU_PER_WORKER.get(worker_type)
        if dpu is not None:
            _set_capacity(job, dpu * workers)
        return
    if kind == "pythonshell":
        capacity = 0.0625 if capacity is None else float(capacity)
        if capacity not in (0.0625, 1.0):
            problems.append(
                f"Max Capacity for Job Command {command_name} must be 0.0625 or 1 DPU; "
                f"got {capacity:g}."
            )
            return
    elif kind in _SPARK_COMMANDS:
        capacity = 10.0 if capacity is None else float(capacity)
        if not capacity.is_integer() or not 2 <= capacity <= 100:
            problems.append(
                f"Max Capacity for Job Command {command_name} must be a whole number of DPUs "
                f"from 2 to 100; got {capacity:g}."
            )
            return
    if capacity is not None:
        _set_capacity(job, float(capacity))


def _check_workers(worker_type: str, workers: int, problems: list[str]) -> None:
    if workers < 1:
        problems.append(
            f"To use Worker Type {worker_type}, minimum allowed value of Number of Workers is 1."
        )
    limit = MAX_WORKERS.get(worker_type)
    if limit is not None and workers > limit:
        problems.append(
            f"To use Worker Type {worker_type}, maximum allowed value of Number of Workers "
            f"is {limit}."
        )


def _set_capacity(job: dict[str, Any], dpus: float) -> None:
    # GetJob echoes both MaxCapacity (double) and the deprecated AllocatedCapacity (whole part).
    job["MaxCapacity"] = dpus
    job["AllocatedCapacity"] = int(dpus)


def _fill_timeout(
    job: dict[str, Any], kind: str, version: GlueVersion, problems: list[str]
) -> None:
    timeout = job.get("Timeout")
    if kind == "glueray":
        if timeout is not None:
            problems.append("Timeout not supported for Ray jobs")
        else:
            job["Timeout"] = 480
        return
    if timeout is None:
        if kind != "gluestreaming":
            job["Timeout"] = version.batch_timeout
        return
    if timeout >= TIMEOUT_LIMIT_MINUTES:
        problems.append(
            f"Timeout must be less than {TIMEOUT_LIMIT_MINUTES} minutes (7 days); got {timeout}."
        )


def check_tag_keys(tags: Mapping[str, str]) -> None:
    """Tag keys must not use the reserved ``aws:`` prefix (Glue developer guide, tags)."""
    for key in tags:
        if key[:4].lower() == "aws:":
            raise invalid_input(
                f"Tag key '{key}' uses the reserved prefix 'aws:'; choose another key."
            )
