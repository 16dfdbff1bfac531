"""What a stored trigger holds, and the rules a trigger definition must meet to be stored.

Sources: https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-trigger.html and
https://docs.aws.amazon.com/glue/latest/dg/trigger-job.html. Where a refusal's text is quoted from
a real Glue answer, the fake uses it (the source is beside it); the others are the fake's, listed as
unverified in docs/fidelity.md ("Triggers").
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from datetime import datetime
from typing import Any

from . import cron
from .errors import GlueError, OutsideTheFake, invalid_input
from .rules import check_tag_keys


class TriggerRecord:
    """A stored trigger: ``data`` as GetTrigger shows it, its tags, and what firing needs.

    ``next_fire`` is a SCHEDULED trigger's next time while it is activated; ``activated_on`` is
    when a CONDITIONAL one was last activated (runs that ended before it do not count);
    ``consumed`` holds the ids of the runs a firing has already used.
    """

    __slots__ = ("activated_on", "consumed", "data", "next_fire", "tags")

    def __init__(self, data: dict[str, Any], tags: dict[str, str]) -> None:
        self.data = data
        self.tags = tags
        self.next_fire: datetime | None = None
        self.activated_on: datetime | None = None
        self.consumed: set[str] = set()


def outside_the_fake(field: str, why: str) -> OutsideTheFake:
    return OutsideTheFake(
        f"pytest-gluejobs fakes triggers that start jobs, outside workflows; {field} {why}. "
        "Leave it out, or test that part against AWS."
    )


def new_trigger(params: dict[str, Any], jobs: Container[str]) -> TriggerRecord:
    """A validated CreateTrigger request (handed over, without StartOnCreation) as a CREATED
    trigger; GlueError (or OutsideTheFake) for what Glue would refuse (or the fake does not fake).

    ``jobs`` are the names an action may start. CreateTrigger and load() both build triggers here.
    """
    tags = params.pop("Tags", None) or {}
    check_tag_keys(tags)
    check_definition(params, jobs)
    return TriggerRecord({**params, "State": "CREATED"}, dict(tags))


def check_definition(trigger: Mapping[str, Any], jobs: Container[str]) -> cron.Cron | None:
    """Refuse a definition Glue would refuse (or the fake does not fake); its parsed Schedule."""
    kind = trigger["Type"]
    if trigger.get("WorkflowName"):
        raise outside_the_fake("WorkflowName", "names a workflow, which the fake has not")
    if kind == "EVENT":
        raise outside_the_fake("Type EVENT", "belongs to workflows started by EventBridge events")
    schedule = trigger.get("Schedule")
    if kind == "SCHEDULED" and not schedule:
        raise invalid_input(
            "A SCHEDULED trigger needs a Schedule, e.g. Schedule='cron(0 12 * * ? *)'."
        )
    if kind == "ON_DEMAND" and schedule:
        raise invalid_input(
            "An ON_DEMAND trigger takes no Schedule: it fires only on StartTrigger. "
            "Use Type='SCHEDULED' for a schedule."
        )
    if kind == "CONDITIONAL":
        _check_predicate(trigger.get("Predicate"))
    parsed = None
    if kind == "SCHEDULED":
        try:
            parsed = cron.parse(str(schedule))
        except cron.CronError as error:
            raise invalid_input(str(error)) from None
    _check_actions(trigger["Actions"], jobs)
    if kind == "CONDITIONAL":
        watched = {condition.get("JobName") for condition in trigger["Predicate"]["Conditions"]}
        if any(action.get("JobName") in watched for action in trigger["Actions"]):
            # Glue's text, quoted in https://github.com/hashicorp/terraform-provider-aws/issues/39571
            raise invalid_input("Job cannot be a Predicate and Action for Conditional Trigger.")
    return parsed


#: The states a condition may watch: "the only job states that a trigger can listen for are
#: SUCCEEDED, STOPPED, FAILED, and TIMEOUT. The only crawler states ... SUCCEEDED, FAILED, and
#: CANCELLED" (https://docs.aws.amazon.com/glue/latest/webapi/API_Condition.html).
_JOB_STATES = "[SUCCEEDED, STOPPED, FAILED, TIMEOUT]"
_CRAWL_STATES = "[SUCCEEDED, FAILED, CANCELLED]"


def _check_predicate(predicate: Mapping[str, Any] | None) -> None:
    """Glue's refusals first, for every condition; then the crawler conditions the fake has not."""
    conditions = (predicate or {}).get("Conditions") or []
    if not conditions:
        raise invalid_input(
            "A CONDITIONAL trigger needs a Predicate with at least one condition, e.g. "
            "Predicate={'Conditions': [{'LogicalOperator': 'EQUALS', 'JobName': 'extract', "
            "'State': 'SUCCEEDED'}]}."
        )
    assert predicate is not None
    if len(conditions) > 1 and not predicate.get("Logical"):
        raise invalid_input(
            "Predicate.Logical is required when a predicate has more than one condition "
            "(AND: all of them, ANY: any of them)."
        )
    for condition in conditions:
        # Glue's texts where quoted: a crawler condition without CrawlState
        # (https://github.com/aws/aws-cdk/issues/24575), a condition without LogicalOperator
        # (https://github.com/aws/aws-cdk/issues/34652); the job-state one follows the crawler's.
        if condition.get("JobName"):
            if not condition.get("State"):
                raise invalid_input(
                    "State cannot be null or empty, choose from one of the following job "
                    f"state: {_JOB_STATES}"
                )
        elif condition.get("CrawlerName"):
            if not condition.get("CrawlState"):
                raise invalid_input(
                    "State cannot be null or empty, choose from one of the following crawler "
                    f"state: {_CRAWL_STATES}"
                )
        else:
            raise invalid_input(
                "Each condition of a Predicate needs a JobName and a State, e.g. "
                "{'LogicalOperator': 'EQUALS', 'JobName': 'extract', 'State': 'SUCCEEDED'}."
            )
        if not condition.get("LogicalOperator"):
            raise invalid_input("Logical operator cannot be null or empty")
    if any(c.get("CrawlerName") or c.get("CrawlState") for c in conditions):
        raise outside_the_fake(
            "a condition on a crawler (CrawlerName, CrawlState)", "watches a crawler"
        )


def _check_actions(actions: list[Mapping[str, Any]], jobs: Container[str]) -> None:
    if not actions:
        raise invalid_input(
            "A trigger needs at least one action, e.g. Actions=[{'JobName': 'load'}]."
        )
    for action in actions:
        if action.get("JobName") and action.get("CrawlerName"):
            raise invalid_input(
                "An action starts either a job (JobName) or a crawler (CrawlerName), not both."
            )
    for action in actions:
        if action.get("CrawlerName"):
            raise outside_the_fake("an action with CrawlerName", "starts a crawler")
        name = action.get("JobName")
        if not name:
            raise invalid_input(
                "Each action of a trigger needs a JobName, e.g. {'JobName': 'load'}."
            )
        if name not in jobs:
            raise GlueError(
                "EntityNotFoundException",
                f"Job {name} not found: a trigger's actions must name existing jobs "
                "(create the job first).",
            )
