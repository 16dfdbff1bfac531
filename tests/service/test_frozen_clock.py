"""A frozen clock never hangs a test: asyncio and botocore's adaptive retries keep running.

Under ``frozen_time=`` and ``freeze_time()`` the code under test reads the frozen instant, but
asyncio's event loops (``asyncio.sleep``, ``wait_for``, ``call_later``) and botocore's retry rate
limiter run on real time, so every wait finishes as it would on a real clock. The freeze is a
setting of the fake: stop() then start() keeps it.

Each wait runs in a thread joined with a time limit, so a hang fails the test instead of the suite.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.config import Config
from helpers import (
    aiobotocore_session,
    finishes,
    job_params,
    needs_aiobotocore,
    poll_until_succeeded,
)

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.glue_jobs(frozen_time="2026-03-01 12:00:00")
def test_asyncio_sleep_returns_under_the_markers_frozen_clock(glue_jobs: GlueJobsFake) -> None:
    async def nap() -> datetime:
        await asyncio.sleep(0.01)
        return datetime.now(timezone.utc)

    assert finishes(lambda: asyncio.run(nap())) == T0


def test_wait_for_times_out_under_freeze_time(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.freeze_time(T0)

    async def wait() -> None:
        never = asyncio.get_running_loop().create_future()
        await asyncio.wait_for(never, timeout=0.05)

    with pytest.raises(asyncio.TimeoutError):
        finishes(lambda: asyncio.run(wait()))


def test_the_loops_timers_fire_under_freeze_time(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.freeze_time(T0)

    async def later() -> str:
        loop = asyncio.get_running_loop()
        fired = loop.create_future()
        loop.call_later(0.01, fired.set_result, "fired")
        return await fired

    assert finishes(lambda: asyncio.run(later())) == "fired"


def test_an_event_loop_started_before_the_freeze_keeps_running(glue_jobs: GlueJobsFake) -> None:
    async def freeze_then_wait() -> datetime:
        await asyncio.sleep(0)
        glue_jobs.freeze_time(T0)
        await asyncio.wait_for(asyncio.sleep(0.01), timeout=5)
        return datetime.now(timezone.utc)

    assert finishes(lambda: asyncio.run(freeze_then_wait())) == T0


@needs_aiobotocore
def test_an_asyncio_poller_with_aiobotocore_under_a_frozen_clock(glue_jobs: GlueJobsFake) -> None:
    session = aiobotocore_session.get_session()
    glue_jobs.freeze_time(T0)
    glue_jobs.add_job(**job_params())
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")

    run, reads = finishes(lambda: asyncio.run(poll_until_succeeded(session, every=0.01)))
    assert run["StartedOn"] == T0
    assert reads >= 3  # one read per scripted state at least


@pytest.mark.glue_jobs(frozen_time="2026-03-01 12:00:00")
def test_adaptive_retries_after_a_throttle_finish_under_a_frozen_clock(
    glue_jobs: GlueJobsFake,
) -> None:
    # adaptive mode slows the client down after a throttle with a token bucket that refills on
    # botocore's clock: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
    glue_jobs.add_job(**job_params())
    glue = boto3.client("glue", config=Config(retries={"mode": "adaptive", "max_attempts": 3}))
    glue_jobs.fail("GetJob", "ThrottlingException", times=1)

    def read_twice() -> str:
        glue.get_job(JobName="nightly")
        name: str = glue.get_job(JobName="nightly")["Job"]["Name"]
        return name

    assert finishes(read_twice) == "nightly"
    assert [call.error for call in glue_jobs.calls] == ["ThrottlingException", None, None]


@pytest.mark.glue_jobs(frozen_time="2026-03-01 12:00:00")
def test_stop_then_start_keeps_the_markers_frozen_clock(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.stop()
    assert datetime.now(timezone.utc) > T0 + timedelta(days=100)  # real while stopped

    glue_jobs.start()

    assert datetime.now(timezone.utc) == T0
    boto3.client("glue").create_job(**job_params())
    glue_jobs.assert_job("nightly", CreatedOn=T0)


def test_the_clock_freeze_time_returns_outlives_a_restart() -> None:
    with mock_glue_jobs() as fake:
        clock = fake.freeze_time(T0)
        clock.tick(timedelta(minutes=5))
        fake.stop()
        clock.tick(timedelta(minutes=5))  # the clock is paused while the fake is stopped
        fake.start()
        clock.tick(timedelta(minutes=5))

        assert datetime.now(timezone.utc) == T0 + timedelta(minutes=15)
    assert datetime.now(timezone.utc) > T0 + timedelta(days=100)


@needs_aiobotocore
def test_aiobotocore_adaptive_retries_finish_under_a_frozen_clock(glue_jobs: GlueJobsFake) -> None:
    session = aiobotocore_session.get_session()
    glue_jobs.freeze_time(T0)
    glue_jobs.add_job(**job_params())
    glue_jobs.fail("GetJob", "ThrottlingException", times=1)
    config = Config(retries={"mode": "adaptive", "max_attempts": 3})

    async def read_twice() -> str:
        async with session.create_client("glue", region_name="us-east-1", config=config) as glue:
            await glue.get_job(JobName="nightly")
            name: str = (await glue.get_job(JobName="nightly"))["Job"]["Name"]
            return name

    assert finishes(lambda: asyncio.run(read_twice())) == "nightly"
    assert [call.error for call in glue_jobs.calls] == ["ThrottlingException", None, None]
