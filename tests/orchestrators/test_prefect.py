"""Prefect recipes: prefect-aws's GlueJobBlock in a flow, against the fake.

Written from prefect-aws's GlueJobBlock docstring and Prefect's testing guide
(https://docs.prefect.io/v3/how-to-guides/workflows/test-workflows: flows run inside
``prefect_test_harness``, a session-scoped fixture). Skipped where prefect-aws is not installed.

prefect-aws 0.7.12: ``GlueJobBlock.trigger()`` is a coroutine (its docstring's example calls it
without ``await``), and the GlueJobRun it returns has no Glue client (``wait_for_completion``
fails on ``None.get_job_run``; prefect-aws's own tests set the client by hand), so the flow
gives it one. ``job_watch_poll_interval`` keeps its default, 60 s per poll: the flows run under
the fake's virtual time. They are synchronous flows, as in that docstring: an async flow talks to
Prefect's API on the test's event loop, which virtual time moves on to the client's read timeout
while the server answers (docs/orchestrators.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest

prefect = pytest.importorskip("prefect")
glue_job = pytest.importorskip("prefect_aws.glue_job")
testing = pytest.importorskip("prefect.testing.utilities")
settings = pytest.importorskip("prefect.settings")

from pytest_gluejobs import GlueJobsFake  # noqa: E402

NIGHTLY = {
    "Name": "nightly",
    "Role": "arn:aws:iam::123456789012:role/GlueRole",
    "Command": {"Name": "glueetl", "ScriptLocation": "s3://scripts/nightly.py"},
}
pytestmark = pytest.mark.glue_jobs(virtual_time=True, jobs=[NIGHTLY])


@prefect.flow
def prefect_start_up() -> str:
    """A flow that does nothing: its run starts what every flow run in the process shares."""
    return "started"


@pytest.fixture(scope="session", autouse=True)
def prefect_api() -> Iterator[None]:
    """A temporary Prefect API and database for the flows, once per session (Prefect's guide).

    Before any test's fake starts, as virtual time needs (docs/time.md, "Threads"): flow-run
    heartbeats are turned off (a flow's heartbeat thread sleeps a second at a time, and under
    virtual time those sleeps would move the fake's clock), and one flow runs, which starts
    Prefect's log and event workers and its event loop threads, so that they keep real time.
    """
    # The API server is a subprocess; on a busy CI machine it needs more than the default 30 s.
    with (
        testing.prefect_test_harness(server_startup_timeout=120),
        settings.temporary_settings(updates={settings.PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        assert prefect_start_up() == "started"
        yield


@prefect.flow
def nightly_flow(day: str) -> Any:
    run = asyncio.run(glue_job.GlueJobBlock(job_name="nightly", arguments={"--day": day}).trigger())
    run.client = boto3.client("glue")
    run.wait_for_completion()  # sleeps job_watch_poll_interval (60 s) between reads
    return asyncio.run(run.fetch_result())


def test_the_flow_runs_the_job_and_waits_for_success(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")
    assert nightly_flow("2026-12-01") == "SUCCEEDED"
    (run,) = glue_jobs.runs("nightly")
    assert run["Arguments"] == {"--day": "2026-12-01"}
    # Read as STARTING, then RUNNING, RUNNING, SUCCEEDED: three of prefect-aws's 60 s waits.
    assert run["CompletedOn"] - run["StartedOn"] == timedelta(minutes=3)


def test_a_failed_run_fails_the_flow_with_its_error_message(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "FAILED", error_message="NameError: x")
    with pytest.raises(RuntimeError, match="NameError: x"):
        nightly_flow("2026-12-01")


def test_the_flows_function_without_prefects_api(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED")
    assert nightly_flow.fn("2026-12-01") == "SUCCEEDED"  # Prefect's guide: test the function
    (run,) = glue_jobs.runs("nightly")
    assert run["CompletedOn"] - run["StartedOn"] == timedelta(minutes=4)
