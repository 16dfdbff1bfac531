"""TagResource, UntagResource and GetTags on job ARNs: the same tags CreateJob sets.

Sources: https://docs.aws.amazon.com/glue/latest/webapi/API_TagResource.html and docs/fidelity.md.
Tags live in the job's record, so ListJobs' tag filter sees every change. Only jobs are faked: an
ARN of another kind of resource is OutsideTheFake, which the transport raises as
UnsupportedOperation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session
from botocore.exceptions import UnknownRegionError

from .errors import GlueError, OutsideTheFake, invalid_input
from .partitions import Partition
from .rules import check_tag_keys
from .store import JobRecord, JobStore, PartitionJobs

#: The most tags a resource may have (Glue developer guide, tags; model map maximum).
MAX_TAGS = 50

#: A tagged resource's name, its tags, and how to store its new tags.
_Tagged = tuple[str, dict[str, str], Callable[[dict[str, str]], None]]

_ARN = re.compile(r"arn:(aws(?:-cn|-us-gov|-iso(?:-[bef])?)?):glue:([^:]*):([^:]*):(.*)", re.DOTALL)

#: ``<resource type>/<name>``: anything else is not an ARN of a Glue resource at all.
_RESOURCE = re.compile(r"[a-z][a-zA-Z-]*/.+", re.DOTALL)


@cache
def aws_partition(region: str) -> str:
    """The AWS partition a region belongs to (``aws``, ``aws-cn``, ``aws-us-gov``, ...).

    From botocore's own endpoint data; a region botocore does not know is in ``aws``.
    """
    try:
        return str(botocore.session.get_session().get_partition_for_region(region))
    except UnknownRegionError:
        return "aws"


def resource_arn(partition: Partition, resource: str) -> str:
    """The ARN of a Glue resource (``job/<name>``, ``trigger/<name>``) in ``partition``."""
    account, region = partition
    return f"arn:{aws_partition(region)}:glue:{region}:{account}:{resource}"


def job_name_of(arn: object) -> str | None:
    """The job an ARN names, or None (for fault rules restricted to a job)."""
    match = _ARN.fullmatch(arn) if isinstance(arn, str) else None
    if match is None or not match.group(4).startswith("job/"):
        return None
    return match.group(4)[len("job/") :]


def _target(store: JobStore, arn: str, partition: Partition) -> _Tagged:
    """The job or trigger an ARN names: its name, tags and how to store new tags."""
    if _ARN.fullmatch(arn) and arn.startswith(resource_arn(partition, "trigger/")):
        name = arn[len(resource_arn(partition, "trigger/")) :]
        trigger = store.jobs_of(partition).triggers.get(name)
        if trigger is None:
            raise GlueError("EntityNotFoundException", f"Trigger {name} not found.")
        return name, trigger.tags, lambda tags: setattr(trigger, "tags", tags)
    jobs, name, record = _job(store, arn, partition)
    return name, record.tags, lambda tags: jobs.put(name, record.data, tags)


def _job(store: JobStore, arn: str, partition: Partition) -> tuple[PartitionJobs, str, JobRecord]:
    match = _ARN.fullmatch(arn)
    if match is None:
        # The model's pattern passed, so the ARN is a Glue one whose parts are missing.
        raise invalid_input(
            f"Invalid ResourceArn {arn[:200]!r}: "
            "expected arn:<partition>:glue:<region>:<account>:job/<name>."
        )
    arn_partition, region, account, resource = match.groups()
    if not (region and account and _RESOURCE.fullmatch(resource)):
        raise invalid_input(
            f"Invalid ResourceArn {arn[:200]!r}: "
            "expected arn:<partition>:glue:<region>:<account>:job/<name>."
        )
    if not resource.startswith("job/"):
        raise OutsideTheFake(
            "pytest-gluejobs fakes tags on Glue jobs and triggers only "
            f"(arn:aws:glue:<region>:<account>:job/<name> or trigger/<name>); {arn[:200]} names "
            "another kind of resource."
        )
    name = resource[len("job/") :]
    expected = resource_arn(partition, resource)
    if arn != expected:
        # A job of another partition, region or account is not one this request can reach
        # (Glue's answer is unrecorded; the fake refuses it as a job that is not there).
        raise GlueError(
            "EntityNotFoundException",
            f"Job not found. The ResourceArn names partition {arn_partition}, region {region}, "
            f"account {account}, but the request was made to {expected.split(':')[1]}, region "
            f"{partition[1]}, account {partition[0]}: use {expected[:300]}.",
        )
    jobs = store.jobs_of(partition)
    record = jobs.jobs.get(name)
    if record is None:
        # GetJob's recorded text, as for every operation on a job that is not there.
        raise GlueError("EntityNotFoundException", "Job not found.")
    return jobs, name, record


def tag_resource(store: JobStore, params: dict[str, Any], partition: Partition) -> dict[str, Any]:
    name, current, store_tags = _target(store, params["ResourceArn"], partition)
    added: dict[str, str] = params["TagsToAdd"]
    check_tag_keys(added)
    tags = {**current, **added}  # merged key by key, as observed of the real service
    if len(tags) > MAX_TAGS:
        raise invalid_input(
            f"A resource can have at most {MAX_TAGS} tags; {name} would have {len(tags)}. Remove "
            "some with UntagResource first."
        )
    store_tags(tags)
    return {}


def untag_resource(store: JobStore, params: dict[str, Any], partition: Partition) -> dict[str, Any]:
    _, current, store_tags = _target(store, params["ResourceArn"], partition)
    removed = set(params["TagsToRemove"])
    # Undocumented (docs/fidelity.md): removing an absent key is a no-op (idempotent clean-up).
    store_tags({k: v for k, v in current.items() if k not in removed})
    return {}


def get_tags(store: JobStore, params: dict[str, Any], partition: Partition) -> dict[str, Any]:
    _, current, _ = _target(store, params["ResourceArn"], partition)
    return {"Tags": dict(current)}  # always the key, {} when untagged (API_GetTags.html)
