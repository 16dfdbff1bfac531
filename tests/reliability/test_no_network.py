"""No network, ever: while a fake is active, no Glue request opens a socket.

Guarantee (docs/reliability.md): with every way of opening a connection made to fail and to
record the attempt, each operation — valid, invalid, failed by an injected fault (with botocore's
retries), unsupported, through a paginator, the AWS CLI, a custom ``endpoint_url``, a FIPS or a
China-partition endpoint, with no credentials configured at all — completes without one attempt.
botocore turns a socket error into a retried ``EndpointConnectionError``, so the tests count
attempts instead of waiting for an exception; ``test_the_guard_catches_a_real_request`` shows the
guard sees what botocore does without the fake.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import every_operation
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError

from pytest_gluejobs import GlueJobsFake, UnsupportedOperation, mock_glue_jobs

JOB = {"Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}}


def test_the_guard_catches_a_real_request(attempts: list[str]) -> None:
    # Without a fake, botocore does try to connect: the guard must see it, or it proves nothing.
    client = boto3.Session(
        aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1"
    ).client("glue", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
    with pytest.raises(EndpointConnectionError):
        client.get_jobs()
    assert attempts


def _every_operation(fake: GlueJobsFake, client: Any) -> None:
    region = client.meta.region_name
    every_operation.seed(fake, region=region)
    requests = every_operation.Requests(region=region)
    for operation in every_operation.in_order():
        requests.call(client, operation)
    assert [call.operation for call in fake.calls] == every_operation.in_order()


def test_every_operation(glue_jobs: GlueJobsFake, attempts: list[str]) -> None:
    _every_operation(glue_jobs, boto3.client("glue"))
    assert attempts == []


def test_every_operation_through_a_paginator(glue_jobs: GlueJobsFake, attempts: list[str]) -> None:
    for index in range(5):
        glue_jobs.add_job(Name=f"j{index}", **JOB)
    client = glue_jobs.client()
    pages = list(client.get_paginator("get_jobs").paginate(PaginationConfig={"PageSize": 2}))
    assert sum(len(page["Jobs"]) for page in pages) == 5
    assert attempts == []


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        ("get_job", {"JobName": "missing"}, "EntityNotFoundException"),
        ("get_job", {"JobName": 5}, "InvalidInputException"),
        (
            "create_job",
            {"Name": "j", "Role": "r", "Command": {"Name": "nope"}},
            "InvalidInputException",
        ),
        ("get_jobs", {"NextToken": "forged"}, "InvalidInputException"),
        ("update_job", {"JobName": "missing", "JobUpdate": JOB}, "EntityNotFoundException"),
    ],
)
def test_invalid_requests(
    glue_jobs: GlueJobsFake, attempts: list[str], operation: str, params: Any, code: str
) -> None:
    client = glue_jobs.client(config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as caught:
        getattr(client, operation)(**params)
    assert caught.value.response["Error"]["Code"] == code
    assert attempts == []


@pytest.mark.parametrize("error", ["InternalServiceException", "ThrottlingException"])
def test_injected_faults_with_botocores_retries(
    glue_jobs: GlueJobsFake, attempts: list[str], error: str
) -> None:
    glue_jobs.fail("*", error)
    client = glue_jobs.client(config=Config(retries={"mode": "standard", "total_max_attempts": 4}))
    with pytest.raises(ClientError) as caught:
        client.get_jobs()
    assert caught.value.response["Error"]["Code"] == error
    assert len(glue_jobs.calls) == 4  # every retry answered by the fake too
    assert attempts == []


def test_a_fault_that_clears_before_the_retries_run_out(
    glue_jobs: GlueJobsFake, attempts: list[str]
) -> None:
    glue_jobs.fail("GetJobs", times=2)
    assert boto3.client("glue").get_jobs()["Jobs"] == []
    assert [call.status for call in glue_jobs.calls] == [500, 500, 200]
    assert attempts == []


def test_an_unsupported_operation(glue_jobs: GlueJobsFake, attempts: list[str]) -> None:
    with pytest.raises(UnsupportedOperation, match="GetCrawler"):
        boto3.client("glue").get_crawler(Name="j")
    assert attempts == []


def test_malformed_bodies_and_unknown_targets(glue_jobs: GlueJobsFake, attempts: list[str]) -> None:
    client = glue_jobs.client(config=Config(parameter_validation=False))

    def corrupt(request: Any, **_: Any) -> None:
        request.body = b"{not json"
        request.headers["X-Amz-Target"] = b"AWSGlue.NoSuchThing"

    client.meta.events.register("before-send.glue.GetJobs", corrupt)
    with pytest.raises(ClientError) as caught:
        client.get_jobs()
    assert caught.value.response["Error"]["Code"] == "UnknownOperationException"
    assert attempts == []


@pytest.mark.parametrize(
    ("region", "options"),
    [
        ("us-east-1", {"endpoint_url": "https://glue.example.internal:8443"}),
        ("us-east-1", {"endpoint_url": "http://localhost:1"}),
        ("us-east-1", {"endpoint_url": "http://169.254.169.254"}),
        ("us-gov-west-1", {"config": Config(use_fips_endpoint=True)}),
        ("cn-north-1", {}),
        ("eu-west-1", {"config": Config(use_dualstack_endpoint=True)}),
    ],
    ids=["custom-https", "localhost", "link-local", "fips", "china", "dualstack"],
)
def test_any_endpoint(
    glue_jobs: GlueJobsFake, attempts: list[str], region: str, options: dict[str, Any]
) -> None:
    client = boto3.client("glue", region_name=region, **options)
    _every_operation(glue_jobs, client)
    assert {call.region for call in glue_jobs.calls} == {region}
    assert attempts == []


def test_the_aws_cli(glue_jobs: GlueJobsFake, attempts: list[str]) -> None:
    awscli = pytest.importorskip("awscli.clidriver")
    glue_jobs.add_job(Name="from-cli", **JOB)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = awscli.create_clidriver().main(["glue", "list-jobs", "--output", "json"])
    assert status == 0
    assert "from-cli" in out.getvalue()
    assert attempts == []


@pytest.fixture
def no_credentials_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine with no AWS configuration: botocore would go to the instance metadata service."""
    for key in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_EC2_METADATA_DISABLED",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-config"))
    yield


@pytest.mark.usefixtures("no_credentials_anywhere")
def test_no_credentials_configured_never_reaches_for_instance_metadata(
    attempts: list[str],
) -> None:
    with mock_glue_jobs() as fake:
        _every_operation(fake, boto3.Session().client("glue"))
    assert attempts == []
