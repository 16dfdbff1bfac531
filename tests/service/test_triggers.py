"""The nine trigger operations: what they store, list and refuse
(https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-trigger.html)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import glue_error, job_params

from pytest_gluejobs import GlueJobsFake, UnsupportedOperation

ARN = "arn:aws:glue:us-east-1:123456789012:trigger/"


def on_demand(name: str, job: str = "load", **extra: Any) -> dict[str, Any]:
    return {"Name": name, "Type": "ON_DEMAND", "Actions": [{"JobName": job}], **extra}


@pytest.fixture
def jobs(glue: Any) -> Any:
    for job in ("extract", "load"):
        glue.create_job(**job_params(job))
    return glue


def test_create_then_get_shows_the_trigger_as_sent(glue_jobs: GlueJobsFake, jobs: Any) -> None:
    assert jobs.create_trigger(**on_demand("t", Description="d"))["Name"] == "t"
    trigger = jobs.get_trigger(Name="t")["Trigger"]
    assert trigger == {
        "Name": "t",
        "Type": "ON_DEMAND",
        "State": "CREATED",
        "Description": "d",
        "Actions": [{"JobName": "load"}],
    }
    assert glue_jobs.triggers() == {"t": trigger}


def test_a_second_trigger_of_the_same_name_is_refused(jobs: Any) -> None:
    jobs.create_trigger(**on_demand("t"))
    with glue_error(jobs, "AlreadyExistsException", "t"):
        jobs.create_trigger(**on_demand("t"))


@pytest.mark.parametrize(
    ("definition", "fragment"),
    [
        ({"Type": "ON_DEMAND", "Schedule": "cron(0 * * * ? *)"}, "takes no Schedule"),
        ({"Type": "SCHEDULED"}, "needs a Schedule"),
        ({"Type": "SCHEDULED", "Schedule": "cron(0 * * * *)"}, "six"),
        ({"Type": "SCHEDULED", "Schedule": "rate(1 hour)"}, "not rate"),
        ({"Type": "CONDITIONAL"}, "needs a Predicate"),
        (
            {
                "Type": "CONDITIONAL",
                "Predicate": {
                    "Conditions": [
                        {"LogicalOperator": "EQUALS", "JobName": "extract", "State": "SUCCEEDED"},
                        {"LogicalOperator": "EQUALS", "JobName": "load", "State": "SUCCEEDED"},
                    ]
                },
            },
            "Logical is required",
        ),
        # Glue's refusal comes before the fake's "crawlers are outside the fake"
        # (https://github.com/aws/aws-cdk/issues/24575 quotes this one for a crawler condition).
        (
            {
                "Type": "CONDITIONAL",
                "Predicate": {
                    "Conditions": [
                        {"LogicalOperator": "EQUALS", "CrawlerName": "c", "State": "SUCCEEDED"}
                    ]
                },
            },
            "choose from one of the following crawler state: [SUCCEEDED, FAILED, CANCELLED]",
        ),
        ({"Type": "ON_DEMAND", "Actions": [{"JobName": "load", "CrawlerName": "c"}]}, "not both"),
    ],
)
def test_glue_refuses_a_definition_that_does_not_fit_its_type(
    jobs: Any, glue_jobs: GlueJobsFake, definition: dict[str, Any], fragment: str
) -> None:
    with glue_error(jobs, "InvalidInputException", fragment):
        jobs.create_trigger(**{"Name": "t", "Actions": [{"JobName": "load"}], **definition})
    assert glue_jobs.triggers() == {}


def conditional(*conditions: dict[str, str], action: str = "load") -> dict[str, Any]:
    return {
        "Name": "t",
        "Type": "CONDITIONAL",
        "Predicate": {"Logical": "AND", "Conditions": list(conditions)},
        "Actions": [{"JobName": action}],
    }


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        # https://github.com/aws/aws-cdk/issues/34652: a condition without LogicalOperator.
        (
            conditional({"JobName": "extract", "State": "SUCCEEDED"}),
            "Logical operator cannot be null or empty",
        ),
        # https://github.com/hashicorp/terraform-provider-aws/issues/43013 quotes the sentence's
        # start for a crawler's condition, https://github.com/aws/aws-cdk/issues/24575 all of it
        # ("..., choose from one of the following crawler state: [SUCCEEDED, FAILED, CANCELLED]");
        # a job's, with the job states a trigger listens for, is inferred (moto's text too).
        (
            conditional({"LogicalOperator": "EQUALS", "JobName": "extract"}),
            "State cannot be null or empty, choose from one of the following job state: "
            "[SUCCEEDED, STOPPED, FAILED, TIMEOUT]",
        ),
        # https://github.com/hashicorp/terraform-provider-aws/issues/39571
        (
            conditional(
                {"LogicalOperator": "EQUALS", "JobName": "extract", "State": "SUCCEEDED"},
                action="extract",
            ),
            "Job cannot be a Predicate and Action for Conditional Trigger.",
        ),
    ],
)
def test_glue_refuses_a_predicate_with_its_own_words(
    jobs: Any, glue_jobs: GlueJobsFake, definition: dict[str, Any], message: str
) -> None:
    with pytest.raises(jobs.exceptions.InvalidInputException) as refused:
        jobs.create_trigger(**definition)
    assert refused.value.response["Error"]["Message"] == message
    assert glue_jobs.triggers() == {}


def test_update_trigger_refuses_a_job_watched_and_started(jobs: Any) -> None:
    jobs.create_trigger(
        **conditional({"LogicalOperator": "EQUALS", "JobName": "extract", "State": "SUCCEEDED"})
    )
    with pytest.raises(jobs.exceptions.InvalidInputException, match="Predicate and Action"):
        jobs.update_trigger(Name="t", TriggerUpdate={"Actions": [{"JobName": "extract"}]})
    assert jobs.get_trigger(Name="t")["Trigger"]["Actions"] == [{"JobName": "load"}]


def test_stop_trigger_refuses_a_trigger_never_activated(jobs: Any) -> None:
    # Reproduced live: https://github.com/hashicorp/terraform-provider-aws/pull/49408
    jobs.create_trigger(**on_demand("t"))
    with pytest.raises(jobs.exceptions.InvalidInputException) as refused:
        jobs.stop_trigger(Name="t")
    message = refused.value.response["Error"]["Message"]
    assert message == "The operation is not allowed when trigger is in state: CREATED"
    assert jobs.get_trigger(Name="t")["Trigger"]["State"] == "CREATED"


def test_an_action_naming_a_missing_job_is_refused(jobs: Any) -> None:
    with glue_error(jobs, "EntityNotFoundException", "missing"):
        jobs.create_trigger(**on_demand("t", job="missing"))


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"WorkflowName": "flow"}, "WorkflowName"),
        ({"Actions": [{"CrawlerName": "crawl"}]}, "CrawlerName"),
        ({"Type": "EVENT"}, "EVENT"),
    ],
)
def test_workflows_and_crawlers_are_outside_the_fake(jobs: Any, extra: Any, field: str) -> None:
    with pytest.raises(UnsupportedOperation, match=field):
        jobs.create_trigger(**{**on_demand("t"), **extra})


def test_a_crawler_condition_is_outside_the_fake(jobs: Any) -> None:
    predicate = {
        "Conditions": [{"LogicalOperator": "EQUALS", "CrawlerName": "c", "CrawlState": "SUCCEEDED"}]
    }
    with pytest.raises(UnsupportedOperation, match="crawler"):
        jobs.create_trigger(**{**on_demand("t"), "Type": "CONDITIONAL", "Predicate": predicate})


def test_update_trigger_changes_the_fields_it_names_and_answers_the_trigger(jobs: Any) -> None:
    jobs.create_trigger(**on_demand("t", Description="old"))
    answer = jobs.update_trigger(
        Name="t", TriggerUpdate={"Actions": [{"JobName": "extract"}], "Description": "new"}
    )["Trigger"]
    assert answer == jobs.get_trigger(Name="t")["Trigger"]
    assert answer["Actions"] == [{"JobName": "extract"}]
    assert answer["Description"] == "new"
    assert answer["Type"] == "ON_DEMAND"
    with glue_error(jobs, "EntityNotFoundException"):
        jobs.update_trigger(Name="missing", TriggerUpdate={"Description": "x"})
    with glue_error(jobs, "EntityNotFoundException", "gone"):
        jobs.update_trigger(Name="t", TriggerUpdate={"Actions": [{"JobName": "gone"}]})


def test_missing_triggers(jobs: Any) -> None:
    for call in (jobs.get_trigger, jobs.start_trigger, jobs.stop_trigger):
        with glue_error(jobs, "EntityNotFoundException", "missing"):
            call(Name="missing")
    # DeleteTrigger declares no EntityNotFoundException: deleting a missing trigger succeeds.
    assert jobs.delete_trigger(Name="missing")["Name"] == "missing"
    jobs.create_trigger(**on_demand("t"))
    found = jobs.batch_get_triggers(TriggerNames=["t", "missing"])
    assert [t["Name"] for t in found["Triggers"]] == ["t"]
    assert found["TriggersNotFound"] == ["missing"]
    jobs.delete_trigger(Name="t")
    assert jobs.list_triggers()["TriggerNames"] == []


def test_listing_pages_in_name_order_and_filters_before_paging(jobs: Any) -> None:
    for index in range(5):
        jobs.create_trigger(
            **on_demand(
                f"t{index}", job="extract" if index % 2 else "load", Tags={"i": str(index % 2)}
            )
        )
    first = jobs.list_triggers(MaxResults=2)
    assert first["TriggerNames"] == ["t0", "t1"]
    second = jobs.list_triggers(MaxResults=2, NextToken=first["NextToken"])
    assert second["TriggerNames"] == ["t2", "t3"]
    assert jobs.list_triggers(Tags={"i": "1"})["TriggerNames"] == ["t1", "t3"]
    dependent = jobs.get_triggers(DependentJobName="extract")["Triggers"]
    assert [t["Name"] for t in dependent] == ["t1", "t3"]
    assert jobs.list_triggers(DependentJobName="extract", MaxResults=1)["TriggerNames"] == ["t1"]
    # "If there is no such trigger, all triggers are returned."
    # (https://docs.aws.amazon.com/glue/latest/webapi/API_GetTriggers.html)
    assert len(jobs.get_triggers(DependentJobName="nobody")["Triggers"]) == 5
    with glue_error(jobs, "InvalidInputException", "NextToken"):
        jobs.get_triggers(NextToken=first["NextToken"])


def test_tags_on_trigger_arns(jobs: Any) -> None:
    jobs.create_trigger(**on_demand("t", Tags={"team": "data"}))
    assert jobs.get_tags(ResourceArn=ARN + "t")["Tags"] == {"team": "data"}
    jobs.tag_resource(ResourceArn=ARN + "t", TagsToAdd={"stage": "prod"})
    jobs.untag_resource(ResourceArn=ARN + "t", TagsToRemove=["team"])
    assert jobs.get_tags(ResourceArn=ARN + "t")["Tags"] == {"stage": "prod"}
    assert jobs.list_triggers(Tags={"stage": "prod"})["TriggerNames"] == ["t"]
    with glue_error(jobs, "EntityNotFoundException", "missing"):
        jobs.get_tags(ResourceArn=ARN + "missing")


def test_triggers_are_per_region(glue_jobs: GlueJobsFake, jobs: Any) -> None:
    jobs.create_trigger(**on_demand("t"))
    assert glue_jobs.triggers(region="eu-west-1") == {}
    assert list(glue_jobs.triggers()) == ["t"]


def test_faults_target_trigger_operations_and_cannot_be_restricted_to_a_job(
    glue_jobs: GlueJobsFake, jobs: Any
) -> None:
    glue_jobs.fail("StartTrigger", error="ConcurrentRunsExceededException", times=1)
    jobs.create_trigger(**on_demand("t"))
    with glue_error(jobs, "ConcurrentRunsExceededException"):
        jobs.start_trigger(Name="t")
    assert glue_jobs.runs("load") == []
    with pytest.raises(ValueError, match="job_name cannot restrict GetTrigger"):
        glue_jobs.fail("GetTrigger", job_name="load")
