"""gluedeploy: make an account's Glue jobs match a declarative spec — the demo's code under test.

A spec maps job names to job definitions (CreateJob's parameters without ``Name``; ``Tags`` are
applied when the job is created). ``deploy(spec)`` creates the jobs that are missing, updates the
ones whose definition differs, and deletes the jobs it created earlier that the spec no longer
names. It only ever touches jobs carrying its ``managed-by`` tag, so hand-made jobs are safe.

Two Glue facts shape the code:

- UpdateJob replaces the whole definition ("unspecified configuration is removed or reset to
  default values"), so the update sent is the spec's definition itself, never a patched copy of
  what GetJob returned.
- GetJob echoes both ``MaxCapacity`` and the deprecated ``AllocatedCapacity``, and Glue refuses a
  definition that sets both; another reason never to send GetJob's output back.

Retries are botocore's (standard mode, 3 attempts): a 500 InternalServiceException or a throttle is
retried with back-off. An OperationTimeoutException is not retried by botocore; ``deploy`` stops at
the first failed call and raises ``DeployError`` saying what was done. Deploying is idempotent, so
running it again finishes the job.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError

#: The tag that marks a job as ours; jobs without it are never updated or deleted.
MANAGED_BY = ("managed-by", "gluedeploy")

RETRY_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 3})

# Fields Glue fills in when a definition leaves them out (GetJob shows its defaults): a spec that
# omits one accepts whatever Glue chose (to return to a default after setting one, set it).
_FILLED_BY_GLUE = frozenset(
    {
        "GlueVersion",
        "Timeout",
        "MaxCapacity",
        "AllocatedCapacity",
        "WorkerType",
        "NumberOfWorkers",
        "ExecutionProperty",
        "MaxRetries",
        "JobMode",
        "JobRunQueuingEnabled",
    }
)
# Members Glue fills in inside nested structures.
_FILLED_MEMBERS = {"Command": {"PythonVersion"}, "ExecutionProperty": {"MaxConcurrentRuns"}}
# What GetJob returns that is not part of a definition.
_READ_ONLY = frozenset({"Name", "CreatedOn", "LastModifiedOn", "ProfileName"})

Spec = dict[str, dict[str, Any]]


@dataclass
class Plan:
    """What ``deploy`` would do, by job name (each list sorted)."""

    create: list[str] = field(default_factory=list)
    update: dict[str, list[str]] = field(default_factory=dict)  # name -> differences
    delete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What ``deploy`` did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class DeployError(Exception):
    """A Glue call failed: ``job`` and ``operation`` say which, ``report`` what was done before.

    ``job`` is None when the failed call was a read of the whole account (while planning).
    """

    def __init__(self, message: str, *, job: str | None, operation: str, report: Report) -> None:
        super().__init__(message)
        self.job = job
        self.operation = operation
        self.report = report


def load_spec(path: str | Path) -> Spec:
    """Read a spec file, ``{"jobs": {name: definition}}``; definitions need Role and Command."""
    data = json.loads(Path(path).read_text())
    jobs = data.get("jobs")
    if not isinstance(jobs, dict):
        raise ValueError(f"{path}: expected an object with a 'jobs' mapping of name -> definition")
    for name, definition in jobs.items():
        missing = [key for key in ("Role", "Command") if key not in definition]
        if missing or "Name" in definition:
            raise ValueError(
                f"{path}: job {name!r} must give Role and Command (missing: {missing}) "
                "and no Name (the key is the name)"
            )
    return jobs


def glue_client() -> BaseClient:
    """The Glue client deploy uses when given none: default credentials, explicit retry policy."""
    return boto3.client("glue", config=RETRY_CONFIG)


def differences(definition: dict[str, Any], job: dict[str, Any]) -> list[str]:
    """How a job as GetJob returns it differs from a spec definition, one line per field."""
    found = []
    for key in sorted((set(definition) | set(job)) - _READ_ONLY - {"Tags"}):
        have = job.get(key)
        if key not in definition:
            if key not in _FILLED_BY_GLUE:
                found.append(f"{key}: {have!r} -> (removed)")
            continue
        want = definition[key]
        filled = _FILLED_MEMBERS.get(key)
        if filled and isinstance(want, dict) and isinstance(have, dict):
            # Glue's own fill-ins (e.g. Command.PythonVersion) only count if the spec names them.
            have = {k: v for k, v in have.items() if k in want or k not in filled}
        if want != have:
            found.append(f"{key}: {have!r} -> {want!r}")
    return found


def plan(spec: Spec, client: BaseClient) -> Plan:
    """Compare the spec with the account; raises DeployError for a spec job we do not manage."""
    with _giving_up(None, Report()):
        managed = set(_managed_job_names(client))
        current = _current_jobs(client, sorted(spec)) if spec else {}
    result = Plan(delete=sorted(managed - set(spec)))
    for name in sorted(spec):
        job = current.get(name)
        if job is None:
            result.create.append(name)
        elif name not in managed:
            raise DeployError(
                f"Job {name!r} exists but was not created by gluedeploy (no "
                f"{MANAGED_BY[0]}={MANAGED_BY[1]} tag); refusing to take it over. Delete or rename "
                "it, or remove it from the spec.",
                job=name,
                operation="plan",
                report=Report(),
            )
        elif changes := differences(spec[name], job):
            result.update[name] = changes
        else:
            result.unchanged.append(name)
    return result


def deploy(spec: Spec, client: BaseClient | None = None) -> Report:
    """Make the account's managed Glue jobs match ``spec``; returns what was done."""
    client = client or glue_client()
    todo = plan(spec, client)
    report = Report(unchanged=list(todo.unchanged))
    for name in todo.create:
        definition = dict(spec[name])
        tags = {**definition.pop("Tags", {}), MANAGED_BY[0]: MANAGED_BY[1]}
        with _giving_up(name, report):
            client.create_job(Name=name, Tags=tags, **definition)
        report.created.append(name)
    for name in todo.update:
        update = {key: value for key, value in spec[name].items() if key != "Tags"}
        with _giving_up(name, report):
            client.update_job(JobName=name, JobUpdate=update)
        report.updated.append(name)
    for name in todo.delete:
        with _giving_up(name, report):
            client.delete_job(JobName=name)
        report.deleted.append(name)
    return report


@contextmanager
def _giving_up(job: str | None, report: Report) -> Iterator[None]:
    """Turn a Glue call that failed (after botocore's retries) into a DeployError."""
    try:
        yield
    except ClientError as error:
        code = error.response["Error"]["Code"]
        attempts = error.response["ResponseMetadata"].get("RetryAttempts", 0) + 1
        hint = (
            "Glue timed out; the change may or may not have been applied."
            if code == "OperationTimeoutException"
            else f"{code}: {error.response['Error'].get('Message', '')}"
        )
        subject = "reading the account" if job is None else f"job {job!r}"
        raise DeployError(
            f"{error.operation_name} for {subject} failed after {attempts} attempt(s). {hint} "
            f"Done before it: created {report.created}, updated {report.updated}, deleted "
            f"{report.deleted}. Deploying again is safe: it picks up where this stopped.",
            job=job,
            operation=error.operation_name,
            report=report,
        ) from error


def _managed_job_names(client: BaseClient) -> list[str]:
    pages = client.get_paginator("list_jobs").paginate(Tags=dict([MANAGED_BY]))
    return [name for page in pages for name in page["JobNames"]]


def _current_jobs(client: BaseClient, names: list[str]) -> dict[str, dict[str, Any]]:
    found = client.batch_get_jobs(JobNames=names)["Jobs"]
    return {job["Name"]: job for job in found}
