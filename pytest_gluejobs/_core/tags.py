"""TagResource, UntagResource and GetTags on job ARNs: the same tags CreateJob sets.

Sources: https://docs.aws.amazon.com/glue/latest/webapi/API_TagResource.html and docs/fidelity.md.
Tags live in the job's record, so ListJobs' tag filter sees every change. Only jobs are faked: an
ARN of another kind of resource is OutsideTheFake, which the transport raises as
UnsupportedOperation.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import GlueError, OutsideTheFake, invalid_input
from .rules import check_tag_keys
from .store import JobRecord, JobStore, Partition, PartitionJobs

#: The most tags a resource may have (Glue developer guide, tags; model map maximum).
MAX_TAGS = 50

_ARN = re.compile(r"arn:aws(?:-cn|-us-gov|-iso(?:-[bef])?)?:glue:([^:]*):([^:]*):(.*)", re.DOTALL)


def job_name_of(arn: object) -> str | None:
    """The job an ARN names, or None (for fault rules restricted to a job)."""
    match = _ARN.fullmatch(arn) if isinstance(arn, str) else None
    if match is None or not match.group(3).startswith("job/"):
        return None
    return match.group(3)[len("job/") :]


def _job(store: JobStore, arn: str, partition: Partition) -> tuple[PartitionJobs, str, JobRecord]:
    match = _ARN.fullmatch(arn)
    if match is None:
        # The model's pattern passed, so the ARN is a Glue one whose parts are missing.
        raise invalid_input(
            f"Invalid ResourceArn {arn[:200]!r}: "
            "expected arn:aws:glue:<region>:<account>:job/<name>."
        )
    region, account, resource = match.groups()
    if not resource.startswith("job/"):
        raise OutsideTheFake(
            f"pytest-gluejobs fakes tags on Glue jobs only (arn:aws:glue:<region>:<account>:"
            f"job/<name>); {arn[:200]} names another kind of resource."
        )
    name = resource[len("job/") :]
    jobs = store.jobs_of(partition)
    record = jobs.jobs.get(name)
    if record is None or (account, region) != partition:
        # Glue documents nothing here (docs/fidelity.md): a well-formed ARN of a job that is not
        # there (in the account and region the request was signed for).
        raise GlueError("EntityNotFoundException", f"Job {name} not found.")
    return jobs, name, record


def tag_resource(store: JobStore, params: dict[str, Any], partition: Partition) -> dict[str, Any]:
    jobs, name, record = _job(store, params["ResourceArn"], partition)
    added: dict[str, str] = params["TagsToAdd"]
    check_tag_keys(added)
    tags = {**record.tags, **added}  # merged key by key, as observed of the real service
    if len(tags) > MAX_TAGS:
        raise invalid_input(
            f"A job can have at most {MAX_TAGS} tags; {name} would have {len(tags)}. Remove some "
            "with UntagResource first."
        )
    jobs.put(name, record.data, tags)
    return {}


def untag_resource(store: JobStore, params: dict[str, Any], partition: Partition) -> dict[str, Any]:
    jobs, name, record = _job(store, params["ResourceArn"], partition)
    removed = set(params["TagsToRemove"])
    # Undocumented (docs/fidelity.md): removing an absent key is a no-op (idempotent clean-up).
    jobs.put(name, record.data, {k: v for k, v in record.tags.items() if k not in removed})
    return {}


def get_tags(store: JobStore, params: dict[str, Any], partition: Partition) -> dict[str, Any]:
    _, _, record = _job(store, params["ResourceArn"], partition)
    return {"Tags": dict(record.tags)}  # always the key, {} when untagged (API_GetTags.html)
