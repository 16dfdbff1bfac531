"""Job ARNs follow the AWS partition of the request's region (aws, aws-cn, aws-us-gov)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from conftest import glue_error, job_params

from pytest_gluejobs import GlueJobsFake

# ARN format per partition: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
# ("arn:partition:service:region:account-id:resource"; aws, aws-cn, aws-us-gov) and the Glue ARN
# forms at https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html.
PARTITIONS = [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")]


@pytest.mark.parametrize(("region", "partition"), PARTITIONS)
def test_tags_answer_the_arn_of_the_requests_partition(
    glue_jobs: GlueJobsFake, region: str, partition: str
) -> None:
    glue = boto3.client("glue", region_name=region)
    glue.create_job(**job_params())
    arn = f"arn:{partition}:glue:{region}:123456789012:job/nightly"
    glue.tag_resource(ResourceArn=arn, TagsToAdd={"team": "data"})
    assert glue.get_tags(ResourceArn=arn)["Tags"] == {"team": "data"}
    glue.untag_resource(ResourceArn=arn, TagsToRemove=["team"])
    assert glue_jobs.tags("nightly", region=region) == {}


@pytest.mark.parametrize(
    ("region", "arn"),
    [
        ("cn-north-1", "arn:aws:glue:cn-north-1:123456789012:job/nightly"),
        ("us-gov-west-1", "arn:aws:glue:us-gov-west-1:123456789012:job/nightly"),
        ("us-east-1", "arn:aws-cn:glue:us-east-1:123456789012:job/nightly"),
    ],
)
def test_an_arn_of_another_partition_is_refused(
    glue_jobs: GlueJobsFake, region: str, arn: str
) -> None:
    # An ARN of the aws partition cannot name a resource of cn-north-1 (the IAM ARN reference
    # above). Glue's answer is unrecorded: the fake refuses it as a job that is not there, naming
    # the ARN it expected (ours).
    glue = boto3.client("glue", region_name=region)
    glue.create_job(**job_params())
    expected = arn.replace(
        "arn:aws:", "arn:aws-cn:" if region.startswith("cn-") else "arn:aws-us-gov:"
    )
    if region == "us-east-1":
        expected = arn.replace("arn:aws-cn:", "arn:aws:")
    for call in (
        lambda: glue.get_tags(ResourceArn=arn),
        lambda: glue.tag_resource(ResourceArn=arn, TagsToAdd={"k": "v"}),
        lambda: glue.untag_resource(ResourceArn=arn, TagsToRemove=["k"]),
    ):
        with glue_error(glue, "EntityNotFoundException", "Job not found.", f"use {expected}"):
            call()
    assert glue_jobs.tags("nightly", region=region) == {}


def test_the_fake_builds_arns_in_the_regions_partition() -> None:
    # The ARNs the fake builds (e.g. for tags on the resources it creates) use the region's
    # partition, as AWS's do.
    from pytest_gluejobs._core.tags import resource_arn

    assert resource_arn(("123456789012", "cn-northwest-1"), "job/n") == (
        "arn:aws-cn:glue:cn-northwest-1:123456789012:job/n"
    )
    assert resource_arn(("123456789012", "us-gov-east-1"), "trigger/t") == (
        "arn:aws-us-gov:glue:us-gov-east-1:123456789012:trigger/t"
    )
    assert resource_arn(("123456789012", "eu-west-1"), "job/n").startswith("arn:aws:glue:")


def test_an_arn_with_no_region_or_account_is_invalid_input(
    glue_jobs: GlueJobsFake, raw_glue: Any
) -> None:
    # Well within the model's pattern but naming no resource: a Glue error, never a traceback.
    with glue_error(raw_glue, "InvalidInputException", "Invalid ResourceArn"):
        raw_glue.get_tags(ResourceArn="arn:aws:glue:::")
