"""Glue's semantic rules for job definitions and job runs, and the defaults Glue fills in.

Shape validation (lengths, patterns, enums, ...) happens before this, from botocore's model; what is
here is what the model cannot say: which fields go together, capacity per job command, and what
GetJob shows for fields the caller left out. Worker types and job commands come from the table in
``workers.py``. Glue answers one sentence for a definition that breaks several rules, so each
check raises at once, in the order Glue is known (or, where unknown, chosen) to check them.
Each rule names its source in docs/fidelity.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .errors import invalid_input
from .sizing import CAPACITY_WITH_WORKERS, check_sizing, fill_capacity
from .versions import AUTO, KNOWN, GlueVersion, GlueVersions
from .workers import JobCommand, job_command, worker_type

#: Job commands Glue knows (https://docs.aws.amazon.com/glue/latest/webapi/API_JobCommand.html). Any
#: other name is accepted and treated as Python shell, as Glue does
#: (https://github.com/hashicorp/terraform-provider-aws/issues/8526).
JOB_COMMANDS: tuple[str, ...] = ("glueetl", "gluestreaming", "pythonshell", "glueray")

#: Model doc of Timeout: "Jobs must have timeout values less than 7 days or 10080 minutes."
TIMEOUT_LIMIT_MINUTES = 10080

_SIZING = ("MaxCapacity", "AllocatedCapacity", "WorkerType", "NumberOfWorkers")


class JobRules:
    """Glue's rules for job definitions and runs, for one fake: its Glue versions and its default.

    With today's default (a version that has not reached end of life) versions and Python
    runtimes past end of life are refused, as Glue does today; with a default that has (0.9, the
    API reference's era) every known version is accepted, as Glue did then.
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
        Raises GlueError (InvalidInputException) for the first rule the job breaks.
        """
        command = job["Command"]
        command_name = command.get("Name")
        kind = job_command(command_name)
        if kind is None:
            raise invalid_input("Command name should not be null or empty")
        if not command.get("ScriptLocation"):
            raise invalid_input(
                f"Script location cannot be null or empty for {command_name} command"
            )
        version_name = job.get("GlueVersion")
        named = version_name is not None
        if version_name is None:
            kept = None if current is None else current.get("GlueVersion")
            version_name = job["GlueVersion"] = kept or self.default_glue_version
            named = kept is None
        today = last_modified_on.date()
        version = self._version(job, version_name, kind, current, named, today)

        check_sizing(job, kind, command_name, version)
        fill_capacity(job, kind, command_name)
        self._check_command(job, kind, command_name, version, today)
        _fill_timeout(job, kind, version)
        if job.get("ExecutionClass") == "FLEX":
            _check_flex(kind, command_name, version)
        _check_counts(job)
        details = job.get("SourceControlDetails")
        if details is not None:
            # A personal access token is never read back (what Glue does is unrecorded).
            details.pop("AuthToken", None)
        command.setdefault("PythonVersion", self._default_python_version(kind))
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

    def check_run(
        self, job: Mapping[str, Any], params: Mapping[str, Any], today: date
    ) -> dict[str, Any]:
        """The sizing of a StartJobRun on ``job``, after the rules a run must follow.

        What the run sends replaces the job's value: a worker count alone keeps the job's type.
        Workers on a job sized by MaxCapacity, or a MaxCapacity on a job sized by workers, are
        refused as Glue refuses capacity with workers. Raises GlueError for the first rule broken.
        """
        kind = job_command(job["Command"].get("Name")) or job_command("pythonshell")
        assert kind is not None
        command_name = job["Command"].get("Name") or kind.name
        version_name = job.get("GlueVersion")
        if version_name == AUTO:  # a run uses the version the job runs on, never auto
            version_name = job.get("AutoUpgradeMetadata", {}).get("SourceVersion")
        version = self.versions.get(version_name) if version_name else None
        if self._ended(version, today):
            # The one real wording for a version a run cannot use (cql-replicator #160).
            raise invalid_input(f"Given GlueVersion [{version_name}] is not valid.")
        sent = {member: params[member] for member in _SIZING if params.get(member) is not None}
        if not sent:
            sizing = {member: job[member] for member in _SIZING if job.get(member) is not None}
        else:
            job_workers = job.get("WorkerType") is not None
            sends_workers = "WorkerType" in sent or "NumberOfWorkers" in sent
            sends_capacity = "MaxCapacity" in sent or "AllocatedCapacity" in sent
            if (sends_workers and not job_workers and kind.workers) or (
                sends_capacity and job_workers
            ):
                raise invalid_input(CAPACITY_WITH_WORKERS)
            sizing = dict(sent)
            if sends_workers:
                for member in ("WorkerType", "NumberOfWorkers"):
                    if member not in sizing and job.get(member) is not None:
                        sizing[member] = job[member]
            check_sizing(sizing, kind, command_name, version)
            fill_capacity(sizing, kind, command_name)
        timeout = params.get("Timeout")
        if timeout is not None and not kind.timeout_allowed:
            raise invalid_input("Timeout not supported for Ray jobs")
        timeout = job.get("Timeout") if timeout is None else timeout
        if timeout is not None:
            _check_timeout(timeout)
        execution_class = params.get("ExecutionClass", job.get("ExecutionClass"))
        if execution_class == "FLEX":
            _check_flex(kind, command_name, version)
        return sizing

    def run_fails_at_launch(self, job: Mapping[str, Any], sizing: Mapping[str, Any]) -> bool:
        """Whether Glue accepts the run but its executor fails it (e.g. G.025X on glueetl)."""
        kind = job_command(job["Command"].get("Name"))
        workers = sizing.get("WorkerType")
        row = worker_type(workers) if isinstance(workers, str) else None
        return kind is not None and row is not None and kind.name in row.runs_fail_on

    # -- the steps of build_job --

    def _ended(self, version: GlueVersion | None, today: date) -> bool:
        return (
            version is not None
            and self.refuse_end_of_life
            and version.end_of_life is not None
            and version.end_of_life <= today
        )

    def _version(
        self,
        job: dict[str, Any],
        name: str,
        kind: JobCommand,
        current: Mapping[str, Any] | None,
        named: bool,
        today: date,
    ) -> GlueVersion:
        """The version whose rules apply (for ``auto``, the one the job runs on now)."""
        if name == AUTO:
            return self._auto(job, kind, current)
        version = self.versions.get(name)
        if version is None:
            raise invalid_input(self.versions.unknown_message(name))
        if named and self._ended(version, today):
            raise invalid_input(
                f"Glue version {name} reached end of life on {version.end_of_life}: Glue no "
                "longer creates jobs on it. Use 3.0 or later (this fake answers as today's "
                f'Glue, default {self.default_glue_version}; default_glue_version = "0.9" '
                "answers as Glue did before)."
            )
        return version

    def _auto(
        self, job: dict[str, Any], kind: JobCommand, current: Mapping[str, Any] | None
    ) -> GlueVersion:
        if kind.name not in ("glueetl", "gluestreaming"):
            raise invalid_input(
                "GlueVersion 'auto' (automatic version upgrades) is only for Spark jobs "
                f"(glueetl, gluestreaming); got Command.Name '{job['Command']['Name']}'."
            )
        retries = job.get("MaxRetries", 0)
        if retries < 1:
            raise invalid_input(
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
        version = self.versions.get(source)
        assert version is not None
        return version

    def _check_command(
        self,
        job: dict[str, Any],
        kind: JobCommand,
        command_name: str,
        version: GlueVersion,
        today: date,
    ) -> None:
        command = job["Command"]
        if version.number < kind.since:
            since = ".".join(str(part) for part in kind.since)
            raise invalid_input(
                f"Glue version {version.name} is not supported for Job Command {command_name}: "
                f"use GlueVersion {since} or later."
            )
        runtime = command.get("Runtime")
        if kind.runtimes is not None:
            if not runtime:
                raise invalid_input("Runtime parameter is required for GlueRay command")
            if runtime not in kind.runtimes:
                raise invalid_input(
                    f"Runtime {runtime} is not supported. Choose from one of the following: "
                    f"[{', '.join(kind.runtimes)}]"
                )
        python = command.get("PythonVersion")
        if python is not None:
            ends = dict(kind.python_end_of_life)
            if python not in kind.python_versions or self._python_ended(ends.get(python), today):
                allowed = [
                    v for v in kind.python_versions if not self._python_ended(ends.get(v), today)
                ]
                raise invalid_input(
                    f"PythonVersion {python} is not supported. Choose from one of the "
                    f"following: [{', '.join(allowed)}]"
                )
        if job.get("MaintenanceWindow") is not None and not kind.maintenance_window:
            raise invalid_input(
                "MaintenanceWindow is only for streaming jobs (Command.Name gluestreaming); "
                f"got Command.Name '{command_name}'."
            )

    def _python_ended(self, end_of_life: date | None, today: date) -> bool:
        return self.refuse_end_of_life and end_of_life is not None and end_of_life <= today

    def _default_python_version(self, kind: JobCommand) -> str:
        if not self.refuse_end_of_life and kind.era_python_version is not None:
            return kind.era_python_version
        return kind.default_python_version


def command_kind(command_name: object) -> str | None:
    """The name of the command whose rules a job follows (unknown names: pythonshell)."""
    kind = job_command(command_name)
    return None if kind is None else kind.name


def _fill_timeout(job: dict[str, Any], kind: JobCommand, version: GlueVersion) -> None:
    timeout = job.get("Timeout")
    if timeout is not None:
        if not kind.timeout_allowed:
            raise invalid_input("Timeout not supported for Ray jobs")
        _check_timeout(timeout)
    elif kind.default_timeout == "version":
        job["Timeout"] = version.batch_timeout
    elif kind.default_timeout != "none":
        job["Timeout"] = int(kind.default_timeout)


def _check_timeout(timeout: int) -> None:
    if timeout >= TIMEOUT_LIMIT_MINUTES:
        raise invalid_input(
            f"Timeout must be less than {TIMEOUT_LIMIT_MINUTES} minutes (7 days); got {timeout}."
        )


def _check_flex(kind: JobCommand, command_name: str, version: GlueVersion | None) -> None:
    # Model (CreateJob and StartJobRun alike): "Only jobs with Glue version 3.0 and above and
    # command type glueetl will be allowed to set ExecutionClass to FLEX."
    if not kind.flex or version is None or not version.flex:
        raise invalid_input(
            "ExecutionClass FLEX is only allowed for glueetl jobs with GlueVersion 3.0 or later "
            f"(got Command.Name '{command_name}', GlueVersion "
            f"'{version.name if version else None}')."
        )


def _check_counts(job: Mapping[str, Any]) -> None:
    # Neither has a minimum in the model; a negative retry count or no run at all can only be a
    # mistake, so the fake refuses them (Glue's answer is unrecorded).
    retries = job.get("MaxRetries")
    if retries is not None and retries < 0:
        raise invalid_input(f"MaxRetries must be 0 or more; got {retries}.")
    runs = job.get("ExecutionProperty", {}).get("MaxConcurrentRuns")
    if runs is not None and runs < 1:
        raise invalid_input(
            f"ExecutionProperty.MaxConcurrentRuns must be 1 or more; got {runs} (a job that "
            "may never run could not start a run)."
        )


def check_tag_keys(tags: Mapping[str, str]) -> None:
    """Tag keys must not use the reserved ``aws:`` prefix (Glue developer guide, tags)."""
    for key in tags:
        if key[:4].lower() == "aws:":
            raise invalid_input(
                f"Tag key '{key}' uses the reserved prefix 'aws:'; choose another key."
            )
