"""Partitions: each (account, region) has its own jobs, named by the request itself.

Issue 2: "region from the SigV4 credential scope; account from a 12-digit access key id, else the
default account". Glue job names are unique per account and region (seed: "unique in your account").
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from helpers import glue_error, job_params

from pytest_gluejobs import mock_glue_jobs


def test_region_comes_from_the_client(glue_jobs: Any) -> None:
    dublin = boto3.client("glue", region_name="eu-west-1")
    dublin.create_job(**job_params())

    assert glue_jobs.jobs == {}
    assert list(glue_jobs.jobs_in("eu-west-1")) == ["nightly"]
    assert glue_jobs.job("nightly", region="eu-west-1") is not None
    home = boto3.client("glue", region_name="us-east-1")
    with glue_error(home, "EntityNotFoundException", "Job not found."):
        home.get_job(JobName="nightly")
    assert home.list_jobs()["JobNames"] == []


def test_twelve_digit_access_key_names_the_account(glue_jobs: Any) -> None:
    other = boto3.client("glue", aws_access_key_id="111122223333", aws_secret_access_key="x")
    other.create_job(**job_params(Tags={"a": "1"}))

    assert glue_jobs.jobs == {}
    assert list(glue_jobs.jobs_in(account_id="111122223333")) == ["nightly"]
    assert glue_jobs.tags("nightly", account_id="111122223333") == {"a": "1"}
    assert other.get_job(JobName="nightly")["Job"]["Name"] == "nightly"


@pytest.mark.parametrize("key", ["AKIAIOSFODNN7EXAMPLE", "testing", "11112222333", "1111222233334"])
def test_other_access_keys_use_the_default_account(glue_jobs: Any, key: str) -> None:
    client = boto3.client("glue", aws_access_key_id=key, aws_secret_access_key="x")
    client.create_job(**job_params())
    assert list(glue_jobs.jobs) == ["nightly"]
    assert glue_jobs.job("nightly", account_id=glue_jobs.account_id) is not None


def test_same_name_in_two_partitions_are_two_jobs(glue_jobs: Any) -> None:
    home = boto3.client("glue")
    dublin = boto3.client("glue", region_name="eu-west-1")
    other = boto3.client("glue", aws_access_key_id="111122223333", aws_secret_access_key="x")
    home.create_job(**job_params(Description="home"))
    dublin.create_job(**job_params(Description="dublin"))
    other.create_job(**job_params(Description="other account"))

    assert glue_jobs.job("nightly")["Description"] == "home"
    assert glue_jobs.job("nightly", region="eu-west-1")["Description"] == "dublin"
    assert glue_jobs.job("nightly", account_id="111122223333")["Description"] == "other account"
    dublin.delete_job(JobName="nightly")
    assert glue_jobs.job("nightly") is not None
    assert glue_jobs.jobs_in("eu-west-1") == {}


def test_add_job_into_another_partition(glue_jobs: Any) -> None:
    glue_jobs.add_job(region="ap-southeast-2", account_id="444455556666", **job_params())
    client = boto3.client(
        "glue",
        region_name="ap-southeast-2",
        aws_access_key_id="444455556666",
        aws_secret_access_key="x",
    )
    assert client.list_jobs()["JobNames"] == ["nightly"]
    assert glue_jobs.jobs == {}


def test_custom_endpoint_url_keeps_the_signed_region(glue_jobs: Any) -> None:
    client = boto3.client("glue", region_name="eu-west-2", endpoint_url="http://localhost:4566")
    client.create_job(**job_params())
    assert list(glue_jobs.jobs_in("eu-west-2")) == ["nightly"]


def test_fake_client_uses_the_default_partition(glue_jobs: Any) -> None:
    glue_jobs.client().create_job(**job_params("a"))
    glue_jobs.client(region_name="eu-west-1").create_job(**job_params("b"))
    assert list(glue_jobs.jobs) == ["a"]
    assert list(glue_jobs.jobs_in("eu-west-1")) == ["b"]


@pytest.mark.glue_jobs(region="eu-central-1", account_id="210987654321")
def test_marker_sets_the_default_partition(glue_jobs: Any) -> None:
    assert (glue_jobs.region, glue_jobs.account_id) == ("eu-central-1", "210987654321")
    boto3.client("glue").create_job(**job_params("from-env"))  # region from AWS_DEFAULT_REGION
    glue_jobs.client().create_job(**job_params("from-fake"))
    assert list(glue_jobs.jobs) == ["from-env", "from-fake"]
    assert glue_jobs.jobs_in("eu-central-1", "210987654321") == glue_jobs.jobs
    assert glue_jobs.jobs_in("us-east-1", "123456789012") == {}


def test_update_and_delete_act_only_in_their_partition(glue_jobs: Any) -> None:
    glue_jobs.add_job(**job_params(Description="home"))
    dublin = boto3.client("glue", region_name="eu-west-1")
    with glue_error(dublin, "EntityNotFoundException", "Job not found."):
        dublin.update_job(
            JobName="nightly", JobUpdate={"Role": "R", "Command": job_params()["Command"]}
        )
    assert dublin.delete_job(JobName="nightly")["JobName"] == "nightly"
    assert dublin.batch_get_jobs(JobNames=["nightly"])["JobsNotFound"] == ["nightly"]
    assert glue_jobs.job("nightly")["Description"] == "home"


def test_a_client_created_before_the_fake_started_is_answered_by_it() -> None:
    # The patch sits below every client (Endpoint._send), so clients made at import time or in a
    # session-scoped fixture are covered too (issue 2).
    client = boto3.client(
        "glue",
        region_name="eu-west-1",
        aws_access_key_id="early-key",
        aws_secret_access_key="early-secret",
    )
    with mock_glue_jobs(region="eu-west-1") as fake:
        client.create_job(
            Name="early", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py"}
        )
        assert client.get_job(JobName="early")["Job"]["Name"] == "early"
        assert fake.job("early") is not None
        assert [call.operation for call in fake.calls] == ["CreateJob", "GetJob"]
