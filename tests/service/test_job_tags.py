"""Tags on job ARNs (research/glue-job-runs.md §7 and open questions 12-13)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import glue_error, job_params

from pytest_gluejobs import GlueJobsFake, UnsupportedOperation

ARN = "arn:aws:glue:us-east-1:123456789012:job/nightly"


def test_tags_from_create_job_are_the_same_tags(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # §7.2 (LIVE): GetTags shows CreateJob's tags; TagResource merges key by key; UntagResource
    # removes; ListJobs' filter sees every change (INF).
    glue.create_job(**job_params(Tags={"team": "data", "tier": "1"}))
    assert glue.get_tags(ResourceArn=ARN)["Tags"] == {"team": "data", "tier": "1"}
    glue.tag_resource(ResourceArn=ARN, TagsToAdd={"tier": "2", "owner": "ana"})
    assert glue_jobs.tags("nightly") == {"team": "data", "tier": "2", "owner": "ana"}
    assert glue.list_jobs(Tags={"owner": "ana"})["JobNames"] == ["nightly"]
    glue.untag_resource(ResourceArn=ARN, TagsToRemove=["owner", "never-there"])
    assert glue.get_tags(ResourceArn=ARN)["Tags"] == {"team": "data", "tier": "2"}
    assert glue.list_jobs(Tags={"owner": "ana"})["JobNames"] == []
    glue.update_job(JobName="nightly", JobUpdate={"Role": "R", "Command": job_params()["Command"]})
    assert glue_jobs.tags("nightly") == {"team": "data", "tier": "2"}  # UpdateJob keeps them


def test_an_untagged_job_has_an_empty_tags_map(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params())
    assert glue.get_tags(ResourceArn=ARN)["Tags"] == {}


def test_a_job_that_is_not_there(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # EntityNotFoundException for a well-formed ARN of a missing job, worded as GetJob's recorded
    # "Job not found." (the tag operations' own text is unrecorded).
    with glue_error(glue, "EntityNotFoundException", "Job not found."):
        glue.get_tags(ResourceArn=ARN)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:glue:eu-west-1:123456789012:job/nightly",
        "arn:aws:glue:us-east-1:210987654321:job/nightly",
    ],
    ids=["other-region", "other-account"],
)
def test_a_job_of_another_partition_is_not_found(
    glue_jobs: GlueJobsFake, glue: Any, arn: str
) -> None:
    # The ARN names another account or region than the request was signed for (ours).
    glue.create_job(**job_params())
    for call in (
        lambda: glue.get_tags(ResourceArn=arn),
        lambda: glue.tag_resource(ResourceArn=arn, TagsToAdd={"k": "v"}),
        lambda: glue.untag_resource(ResourceArn=arn, TagsToRemove=["k"]),
    ):
        with glue_error(glue, "EntityNotFoundException"):
            call()
    assert glue_jobs.tags("nightly") == {}


def test_tags_on_other_resources_are_not_faked(glue_jobs: GlueJobsFake, glue: Any) -> None:
    message = r"tags on Glue jobs and triggers only.*Nothing was sent"
    with pytest.raises(UnsupportedOperation, match=message):
        glue.get_tags(ResourceArn="arn:aws:glue:us-east-1:123456789012:crawler/nightly")


@pytest.mark.parametrize("arn", ["not-an-arn", "arn:aws:s3:::bucket"])
def test_an_arn_outside_glues_pattern_is_invalid_input(
    glue_jobs: GlueJobsFake, raw_glue: Any, arn: str
) -> None:
    with glue_error(raw_glue, "InvalidInputException", "regular expression pattern"):
        raw_glue.get_tags(ResourceArn=arn)


def test_limits_and_reserved_keys(glue_jobs: GlueJobsFake, raw_glue: Any) -> None:
    raw_glue.create_job(**job_params(Tags={f"k{i}": "v" for i in range(45)}))
    with glue_error(raw_glue, "InvalidInputException", "at most 50 tags", "would have 51"):
        raw_glue.tag_resource(ResourceArn=ARN, TagsToAdd={f"n{i}": "v" for i in range(6)})
    with glue_error(raw_glue, "InvalidInputException", "reserved prefix 'aws:'"):
        raw_glue.tag_resource(ResourceArn=ARN, TagsToAdd={"aws:owner": "x"})
    with glue_error(raw_glue, "InvalidInputException", "length less than or equal to 128"):
        raw_glue.tag_resource(ResourceArn=ARN, TagsToAdd={"k" * 129: "v"})
    assert len(glue_jobs.tags("nightly")) == 45  # nothing refused changed anything


def test_a_job_created_again_starts_untagged(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # glue-behavior.md open question 13 (ours): DeleteJob removes the tags with the job.
    glue.create_job(**job_params(Tags={"team": "data"}))
    glue.delete_job(JobName="nightly")
    glue.create_job(**job_params())
    assert glue.get_tags(ResourceArn=ARN)["Tags"] == {}


def test_faults_restricted_to_a_job_see_its_arn(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params())
    glue.create_job(**job_params("other"))
    glue_jobs.fail("GetTags", "OperationTimeout", job_name="nightly")
    assert glue.get_tags(ResourceArn=ARN.replace("nightly", "other"))["Tags"] == {}
    with glue_error(glue, "OperationTimeoutException"):
        glue.get_tags(ResourceArn=ARN)
