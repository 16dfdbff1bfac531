"""Async clients (aiobotocore, aioboto3) are answered by the same fake as sync ones.

One store, one call log, the same faults; botocore's async retry loop sees injected errors and its
back-off is recorded, not slept; requests are signed with the test credentials; paginators work;
operations outside the fake's raise UnsupportedOperation; nothing reaches the network.
"""

from __future__ import annotations

import asyncio
from typing import Any

import boto3
import every_operation
import pytest
from botocore import xform_name
from botocore.config import Config
from helpers import Run, job_params

from pytest_gluejobs import GlueJobsFake, UnsupportedOperation, mock_glue_jobs
from pytest_gluejobs._transport.activation import is_patched

aiobotocore_session = pytest.importorskip("aiobotocore.session")

REAL_LOOKING_KEY = "AKIAIOSFODNN7EXAMPLE"


def aio_client(**kwargs: Any) -> Any:
    session = aiobotocore_session.get_session()
    kwargs.setdefault("region_name", "us-east-1")
    return session.create_client("glue", **kwargs)


def test_one_store_and_one_call_log_for_sync_and_async(
    glue_jobs: GlueJobsFake, run: Run, attempts: list[str]
) -> None:
    async def deploy() -> dict[str, Any]:
        async with aio_client() as glue:
            await glue.create_job(**job_params("from-async"))
            return await glue.get_job(JobName="from-sync")

    boto3.client("glue").create_job(**job_params("from-sync"))
    job = run(deploy())["Job"]
    assert job["Name"] == "from-sync"
    assert sorted(glue_jobs.jobs) == ["from-async", "from-sync"]
    assert [call.operation for call in glue_jobs.calls] == ["CreateJob", "CreateJob", "GetJob"]
    assert boto3.client("glue").get_job(JobName="from-async")["Job"]["Command"]["Name"] == "glueetl"
    assert attempts == []


def test_every_operation_and_a_paginator(
    glue_jobs: GlueJobsFake, run: Run, attempts: list[str]
) -> None:
    every_operation.seed(glue_jobs)
    for index in range(4):
        glue_jobs.add_job(**job_params(f"k{index}"))

    async def every_operation_then_a_paginator() -> list[str]:
        async with aio_client() as glue:
            requests = every_operation.Requests()
            for operation in every_operation.in_order():
                method = getattr(glue, xform_name(operation))
                requests.saw(operation, await method(**requests.params(operation)))
            pages = [
                page
                async for page in glue.get_paginator("get_jobs").paginate(
                    PaginationConfig={"PageSize": 2}
                )
            ]
            return [job["Name"] for page in pages for job in page["Jobs"]]

    assert run(every_operation_then_a_paginator()) == [
        every_operation.JOB,
        "k0",
        "k1",
        "k2",
        "k3",
    ]
    operations = [call.operation for call in glue_jobs.calls]
    assert operations == [*every_operation.in_order(), "GetJobs", "GetJobs", "GetJobs"]
    assert {call.status for call in glue_jobs.calls} == {200}
    assert attempts == []


def test_requests_are_signed_with_the_test_credentials(
    glue_jobs: GlueJobsFake, run: Run, attempts: list[str]
) -> None:
    seen: list[bytes] = []

    async def call() -> None:
        async with aio_client(
            aws_access_key_id=REAL_LOOKING_KEY, aws_secret_access_key="real-secret"
        ) as glue:
            glue.meta.events.register(
                "before-send.glue",
                lambda request, **_: seen.append(request.headers["Authorization"]),
            )
            await glue.list_jobs()

    run(call())
    assert len(seen) == 1
    assert b"Credential=testing/" in seen[0]
    assert REAL_LOOKING_KEY.encode() not in seen[0]


def test_a_twelve_digit_key_still_names_the_account(
    glue_jobs: GlueJobsFake, run: Run, attempts: list[str]
) -> None:
    async def call() -> None:
        async with aio_client(aws_access_key_id="210987654321", aws_secret_access_key="s") as glue:
            await glue.create_job(**job_params("other-account"))

    run(call())
    assert glue_jobs.job("other-account", account_id="210987654321") is not None
    assert glue_jobs.jobs == {}


@pytest.mark.parametrize(
    ("error", "status"), [("InternalServiceException", 500), ("ThrottlingException", 400)]
)
def test_injected_faults_are_retried_with_the_back_off_recorded_not_slept(
    glue_jobs: GlueJobsFake,
    run: Run,
    attempts: list[str],
    monkeypatch: pytest.MonkeyPatch,
    error: str,
    status: int,
) -> None:
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds: float, *args: Any) -> Any:
        slept.append(seconds)
        return await real_sleep(seconds, *args)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    glue_jobs.fail("GetJobs", error, times=2)

    async def call() -> dict[str, Any]:
        config = Config(retries={"mode": "standard", "max_attempts": 3})
        async with aio_client(config=config) as glue:
            return await glue.get_jobs()

    assert run(call())["Jobs"] == []
    assert [call.status for call in glue_jobs.calls] == [status, status, 200]
    delays = [call.retry_delay for call in glue_jobs.calls]
    assert all(delay is not None for delay in delays[:2]) and delays[2] is None
    assert not set(slept) & set(delays[:2]), "the back-off was slept"
    assert attempts == []


def test_a_fault_that_never_clears_reaches_the_caller(
    glue_jobs: GlueJobsFake, run: Run, attempts: list[str]
) -> None:
    glue_jobs.fail("GetJob", "OperationTimeoutException")

    async def call() -> None:
        async with aio_client() as glue:
            with pytest.raises(glue.exceptions.OperationTimeoutException):
                await glue.get_job(JobName="x")

    run(call())
    assert [(call.status, call.injected) for call in glue_jobs.calls] == [(400, True)]


def test_an_operation_the_fake_does_not_implement_raises_and_sends_nothing(
    glue_jobs: GlueJobsFake, run: Run, attempts: list[str]
) -> None:
    async def call() -> None:
        async with aio_client() as glue:
            await glue.get_crawler(Name="j")

    with pytest.raises(UnsupportedOperation, match="GetCrawler"):
        run(call())
    assert attempts == []


def test_mock_glue_jobs_as_async_with_and_on_async_def(run: Run, attempts: list[str]) -> None:
    async def with_block() -> GlueJobsFake:
        async with mock_glue_jobs(region="eu-west-1") as fake:
            async with aio_client(region_name="eu-west-1") as glue:
                await glue.create_job(**job_params("in-block"))
            assert is_patched()
            return fake

    fake = run(with_block())
    assert list(fake.jobs) == ["in-block"]
    assert not is_patched()

    @mock_glue_jobs()
    async def decorated() -> list[str]:
        async with aio_client() as glue:
            await glue.create_job(**job_params("decorated"))
            return (await glue.list_jobs())["JobNames"]

    assert run(decorated()) == ["decorated"]
    assert not is_patched()
    assert attempts == []


def test_aioboto3(glue_jobs: GlueJobsFake, run: Run, attempts: list[str]) -> None:
    aioboto3 = pytest.importorskip("aioboto3")

    async def call() -> list[str]:
        async with aioboto3.Session().client("glue", region_name="us-east-1") as glue:
            await glue.create_job(**job_params("from-aioboto3"))
            return (await glue.list_jobs())["JobNames"]

    assert run(call()) == ["from-aioboto3"]
    assert glue_jobs.assert_called("CreateJob", Name="from-aioboto3")
    assert attempts == []
