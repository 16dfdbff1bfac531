"""Prefect recipes: prefect-aws's GlueJobBlock in a flow, against the fake.

Written from prefect-aws's GlueJobBlock docstring and Prefect's testing guide
(https://docs.prefect.io/v3/how-to-guides/workflows/test-workflows: flows run inside
``prefect_test_harness``). Skipped where prefect-aws is not installed.

prefect-aws 0.7.12: ``GlueJobBlock.trigger()`` is a coroutine (its docstring's example calls it
without ``await``), and the GlueJobRun it returns has no Glue client (``wait_for_completion``
fails on ``None.get_job_run``; prefect-aws's own tests set the client by hand), so the flow
gives it one. ``job_watch_poll_interval`` defaults to 60 s per poll; these recipes set it to 0.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

prefect = pytest.importorskip("prefect")
glue_job = pytest.importorskip("prefect_aws.glue_job")
testing = pytest.importorskip("prefect.testing.utilities")

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def prefect_api() -> Iterator[None]:
    """A temporary Prefect API and database for the flows (Prefect's testing guide)."""
    # The API server is a subprocess; on a busy CI machine it needs more than the default 30 s.
    with testing.prefect_test_harness(server_startup_timeout=120):
        yield


@prefect.flow
async def nightly_flow(day: str, poll_interval: float = 0) -> Any:
    run = await glue_job.GlueJobBlock(
        job_name="nightly", arguments={"--day": day}, job_watch_poll_interval=poll_interval
    ).trigger()
    run.client = boto3.client("glue")
    run.wait_for_completion()
    return await run.fetch_result()


@pytest.fixture
def nightly(glue_jobs: GlueJobsFake) -> None:
    _add_nightly(glue_jobs)


def _add_nightly(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(
        Name="nightly",
        Role="arn:aws:iam::123456789012:role/GlueRole",
        Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/nightly.py"},
    )


def test_the_flow_runs_the_job_and_waits_for_success(
    glue_jobs: GlueJobsFake, nightly: None
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")
    assert asyncio.run(nightly_flow("2026-12-01")) == "SUCCEEDED"
    (run,) = glue_jobs.runs("nightly")
    assert run["Arguments"] == {"--day": "2026-12-01"}


def test_a_failed_run_fails_the_flow_with_its_error_message(
    glue_jobs: GlueJobsFake, nightly: None
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "FAILED", error_message="NameError: x")
    with pytest.raises(RuntimeError, match="NameError: x"):
        asyncio.run(nightly_flow("2026-12-01"))


def test_the_default_poll_interval_under_virtual_time() -> None:
    with mock_glue_jobs(virtual_time=True) as fake:
        _add_nightly(fake)
        fake.run_states("nightly", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED")
        default = glue_job.GlueJobBlock.model_fields["job_watch_poll_interval"].default
        # The flow's function without Prefect's API: virtual time moves the event loop's clock
        # while it waits on a socket, so the API client's read timeouts would fire at once.
        flow_function = nightly_flow.fn
        assert asyncio.run(flow_function("2026-12-01", poll_interval=default)) == "SUCCEEDED"
