"""Every operation the fake answers, with a small valid request for each: the one table behind
every test that promises "every operation".

The operations come from ``pytest_gluejobs._core.model.OPERATIONS``; ``in_order()`` fails, naming
the operation, when one there has no entry here, so a new operation is covered by those tests (and
flagged here) the day it lands. Run in this order against a fake seeded with ``seed()``, every
request succeeds: each entry may use what an earlier one returned (the run StartJobRun started).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from helpers import ROLE, SCRIPT

from pytest_gluejobs import GlueJobsFake
from pytest_gluejobs._core.model import OPERATIONS

#: The job every request is about; ``seed()`` creates it.
JOB = "every-operation"
#: The job CreateJob creates.
CREATED = "every-operation-created"
#: The trigger CreateTrigger creates (CONDITIONAL: a failed run of JOB starts CREATED); StartTrigger
#: activates it and StopTrigger deactivates it (Glue refuses to stop a trigger never activated).
TRIGGER = "every-operation-trigger"
_DEFINITION = {"Role": ROLE, "Command": {"Name": "glueetl", "ScriptLocation": SCRIPT}}
_BOOKMARKS_ON = {"--job-bookmark-option": "job-bookmark-enable"}


@dataclass
class Requests:
    """What the requests of one pass refer to; ``saw()`` records what the answers said."""

    region: str = "us-east-1"
    account_id: str = "123456789012"
    #: A well-formed run id, used until StartJobRun answers with a real one.
    run_id: str = "jr_" + "0" * 64
    _done: list[str] = field(default_factory=list)

    @property
    def job_arn(self) -> str:
        partition = {"cn": "aws-cn", "us-gov": "aws-us-gov"}.get(self.region.rsplit("-", 2)[0])
        return f"arn:{partition or 'aws'}:glue:{self.region}:{self.account_id}:job/{JOB}"

    def params(self, operation: str) -> dict[str, Any]:
        return _TABLE[operation].request(self)

    def saw(self, operation: str, response: dict[str, Any]) -> None:
        if operation == "StartJobRun":
            self.run_id = response["JobRunId"]

    def call(self, client: Any, operation: str) -> dict[str, Any]:
        """Send ``operation``'s request through a (sync) botocore ``client``; its response."""
        response: dict[str, Any] = getattr(client, xform_name(operation))(**self.params(operation))
        self.saw(operation, response)
        return response


@dataclass(frozen=True)
class Entry:
    request: Callable[[Requests], dict[str, Any]]
    #: Whether an accepted request may change what the fake holds (jobs, tags, runs); reads of a
    #: run move it on, as Glue's runs move on between reads.
    changes_state: bool


_TABLE: dict[str, Entry] = {
    "CreateJob": Entry(lambda r: {"Name": CREATED, **_DEFINITION}, True),
    "UpdateJob": Entry(
        lambda r: {"JobName": JOB, "JobUpdate": {**_DEFINITION, "Description": "updated"}}, True
    ),
    "GetJob": Entry(lambda r: {"JobName": JOB}, False),
    "GetJobs": Entry(lambda r: {}, False),
    "ListJobs": Entry(lambda r: {}, False),
    "BatchGetJobs": Entry(lambda r: {"JobNames": [JOB, "missing"]}, False),
    "StartJobRun": Entry(lambda r: {"JobName": JOB, "Arguments": _BOOKMARKS_ON}, True),
    "GetJobRun": Entry(lambda r: {"JobName": JOB, "RunId": r.run_id}, True),
    "GetJobRuns": Entry(lambda r: {"JobName": JOB}, True),
    "GetJobBookmark": Entry(lambda r: {"JobName": JOB}, False),
    "ResetJobBookmark": Entry(lambda r: {"JobName": JOB}, True),
    "BatchStopJobRun": Entry(lambda r: {"JobName": JOB, "JobRunIds": [r.run_id]}, True),
    "TagResource": Entry(lambda r: {"ResourceArn": r.job_arn, "TagsToAdd": {"stage": "t"}}, True),
    "UntagResource": Entry(lambda r: {"ResourceArn": r.job_arn, "TagsToRemove": ["stage"]}, True),
    "GetTags": Entry(lambda r: {"ResourceArn": r.job_arn}, False),
    "CreateTrigger": Entry(
        lambda r: {
            "Name": TRIGGER,
            "Type": "CONDITIONAL",
            "Predicate": {
                "Conditions": [{"LogicalOperator": "EQUALS", "JobName": JOB, "State": "FAILED"}]
            },
            "Actions": [{"JobName": CREATED}],
        },
        True,
    ),
    "UpdateTrigger": Entry(
        lambda r: {"Name": TRIGGER, "TriggerUpdate": {"Description": "updated"}}, True
    ),
    "GetTrigger": Entry(lambda r: {"Name": TRIGGER}, False),
    "GetTriggers": Entry(lambda r: {"DependentJobName": CREATED}, False),
    "BatchGetTriggers": Entry(lambda r: {"TriggerNames": [TRIGGER, "missing"]}, False),
    "ListTriggers": Entry(lambda r: {}, False),
    "StartTrigger": Entry(lambda r: {"Name": TRIGGER}, True),
    "StopTrigger": Entry(lambda r: {"Name": TRIGGER}, True),
    "DeleteTrigger": Entry(lambda r: {"Name": TRIGGER}, True),
    "DeleteJob": Entry(lambda r: {"JobName": CREATED}, True),
}


def in_order() -> list[str]:
    """Every operation of OPERATIONS, in the order the table's requests succeed in."""
    missing = [operation for operation in OPERATIONS if operation not in _TABLE]
    assert not missing, (
        f"tests/every_operation.py has no request for {', '.join(missing)}: add one to its table, "
        "so the tests that promise every operation cover it."
    )
    return sorted(OPERATIONS, key=list(_TABLE).index)


def changes_state(operation: str) -> bool:
    """Whether an accepted request of ``operation`` may change the fake's jobs, tags or runs."""
    in_order()
    return _TABLE[operation].changes_state


def seed(fake: GlueJobsFake, region: str | None = None) -> None:
    """The job the requests are about (in ``region``, else the fake's)."""
    fake.add_job(Name=JOB, region=region, Tags={"team": "data"}, **_DEFINITION)
    # The run StartJobRun starts has succeeded by GetJobRuns (its second read), so with bookmarks
    # on it has recorded the entry GetJobBookmark and ResetJobBookmark read.
    fake.run_states("*", "SUCCEEDED")


def extra_entries() -> list[str]:
    """Entries of the table for operations the fake does not answer (none, if it is up to date)."""
    return [operation for operation in _TABLE if operation not in OPERATIONS]
