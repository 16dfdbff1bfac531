"""Virtual time: sleeps return at once and move the fake's clock; nothing hangs.

With ``virtual_time=True`` the clock is frozen while the fake is active, and ``time.sleep(s)``,
``asyncio.sleep(s)`` and asyncio's timeouts return at once and move it by ``s``. Run timeouts and
botocore's back-offs follow the same clock. The tests assert on the clock, never on wall time; a
hang fails the test through a thread joined with a time limit.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from time import sleep as imported_sleep
from typing import Any

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

REAL_SLEEP = time.sleep
REAL_LOOP_TIME = asyncio.BaseEventLoop.__dict__["time"]


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def fake() -> Iterator[GlueJobsFake]:
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.add_job(**job_params())
        yield fake


def poll(glue: Any, run_id: str, every: float) -> tuple[str, int]:
    """A poller as orchestrators write it: read the run, sleep ``every`` seconds, until it ends."""
    reads = 0
    while True:
        reads += 1
        state: str = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["JobRunState"]
        if state in ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"):
            return state, reads
        time.sleep(every)


def test_a_poller_sleeping_a_minute_between_reads_moves_the_clock(fake: GlueJobsFake) -> None:
    fake.run_states("nightly", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED")
    glue = boto3.client("glue")
    start = now()
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]

    state, reads = finishes(lambda: poll(glue, run_id, every=60))

    assert state == "SUCCEEDED"
    assert reads >= 4  # one read per scripted state at least
    assert now() - start == timedelta(minutes=reads - 1)  # a minute per sleep, no more
    run = fake.runs("nightly")[0]
    assert run["CompletedOn"] - run["StartedOn"] == timedelta(minutes=reads - 1)


def test_an_hour_long_sleep_costs_nothing(fake: GlueJobsFake) -> None:
    start = now()

    finishes(lambda: time.sleep(3600), within=10)

    assert now() - start == timedelta(hours=1)


def test_a_run_reaches_its_timeout_by_virtual_sleeps(fake: GlueJobsFake) -> None:
    # A run still running when its Timeout (minutes) passes ends TIMEOUT:
    # https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html#aws-glue-api-jobs-runs-JobRun
    fake.run_states("nightly", "RUNNING")
    glue = boto3.client("glue")
    run_id = glue.start_job_run(JobName="nightly", Timeout=1)["JobRunId"]

    first = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["JobRunState"]
    time.sleep(61)
    last = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["JobRunState"]

    assert first in ("STARTING", "RUNNING")
    assert last == "TIMEOUT"


@needs_aiobotocore
def test_an_asyncio_poller_with_aiobotocore(fake: GlueJobsFake) -> None:
    session = aiobotocore_session.get_session()
    fake.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")
    start = now()

    run, reads = finishes(lambda: asyncio.run(poll_until_succeeded(session, every=60)))
    assert run["JobRunState"] == "SUCCEEDED"
    assert reads >= 3
    assert now() - start == timedelta(minutes=reads - 1)


def test_wait_for_and_the_loops_timers_move_the_clock(fake: GlueJobsFake) -> None:
    start = now()

    async def waits() -> list[str]:
        loop = asyncio.get_running_loop()
        seen = []
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(loop.create_future(), timeout=3600)
        seen.append(f"wait_for {now() - start}")
        fired = loop.create_future()
        loop.call_later(600, fired.set_result, "call_later")
        seen.append(f"{await fired} {now() - start}")
        assert await asyncio.wait_for(asyncio.sleep(30, "slept"), timeout=60) == "slept"
        seen.append(f"sleep in wait_for {now() - start}")
        return seen

    assert finishes(lambda: asyncio.run(waits())) == [
        "wait_for 1:00:00",
        "call_later 1:10:00",
        "sleep in wait_for 1:10:30",
    ]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
def test_asyncio_timeout_expires_on_the_clock(fake: GlueJobsFake) -> None:
    start = now()

    async def expire() -> None:
        async with asyncio.timeout(90):  # type: ignore[attr-defined,unused-ignore]
            await asyncio.sleep(3600)

    with pytest.raises(TimeoutError):
        finishes(lambda: asyncio.run(expire()))
    assert now() - start == timedelta(seconds=90)


def test_tasks_sleeping_side_by_side_take_the_longest_sleep(fake: GlueJobsFake) -> None:
    start = now()
    order: list[int] = []

    async def nap(seconds: int) -> None:
        await asyncio.sleep(seconds)
        order.append(seconds)

    async def both() -> None:
        await asyncio.gather(nap(300), nap(60), nap(120))

    finishes(lambda: asyncio.run(both()))
    assert order == [60, 120, 300]
    assert now() - start == timedelta(minutes=5)


def test_a_thread_that_sleeps_while_the_test_waits_for_it(fake: GlueJobsFake) -> None:
    fake.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")
    glue = boto3.client("glue")
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    start = now()
    result: list[tuple[str, int]] = []

    worker = threading.Thread(target=lambda: result.append(poll(glue, run_id, every=600)))
    worker.start()
    worker.join(30)  # a real wait: the worker's sleeps are virtual, so it ends at once

    assert not worker.is_alive()
    [(state, reads)] = result
    assert state == "SUCCEEDED"
    assert now() - start == timedelta(minutes=10 * (reads - 1))


def test_wait_for_a_thread_that_sleeps_does_not_time_out_early(fake: GlueJobsFake) -> None:
    start = now()

    def slow_sync_poller() -> str:
        for _ in range(10):
            time.sleep(60)
        return "done"

    async def wait() -> str:
        return await asyncio.wait_for(asyncio.to_thread(slow_sync_poller), timeout=3600)

    assert finishes(lambda: asyncio.run(wait())) == "done"
    assert now() - start >= timedelta(minutes=10)
    assert now() - start < timedelta(hours=1)


def test_wait_for_a_thread_that_never_returns_times_out(fake: GlueJobsFake) -> None:
    release = threading.Event()

    async def wait() -> None:
        try:
            await asyncio.wait_for(asyncio.to_thread(release.wait), timeout=0.2)
        finally:
            release.set()  # asyncio.run waits for the thread before it returns

    with pytest.raises(asyncio.TimeoutError):
        finishes(lambda: asyncio.run(wait()))


def test_botocore_back_offs_move_the_clock(fake: GlueJobsFake) -> None:
    fake.fail("GetJob", "InternalServiceException", times=2)
    glue = boto3.client("glue", config=Config(retries={"mode": "standard", "max_attempts": 3}))
    start = now()

    glue.get_job(JobName="nightly")

    delays = [call.retry_delay for call in fake.calls if call.retry_delay is not None]
    assert len(delays) == 2
    # each sleep is rounded up to the clock's microsecond
    assert (now() - start).total_seconds() == pytest.approx(sum(delays), abs=1e-5)


def test_adaptive_retries_after_a_throttle_wait_on_the_clock(fake: GlueJobsFake) -> None:
    fake.fail("GetJob", "ThrottlingException", times=3)
    glue = boto3.client("glue", config=Config(retries={"mode": "adaptive", "max_attempts": 5}))
    start = now()

    def read_often() -> int:
        for _ in range(10):
            glue.get_job(JobName="nightly")
        return len(fake.calls)

    assert finishes(read_often, within=10) == 13
    assert now() > start


def test_the_clock_goes_on_from_where_it_stopped(fake: GlueJobsFake) -> None:
    start = now()
    time.sleep(60)
    fake.stop()
    REAL_SLEEP(0.01)
    fake.start()
    time.sleep(60)

    assert now() - start == timedelta(minutes=2)


def test_frozen_time_sets_where_virtual_time_starts() -> None:
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.freeze_time("2026-03-01 12:00:00")
        time.sleep(90)
        assert now() == datetime(2026, 3, 1, 12, 1, 30, tzinfo=timezone.utc)


def test_everything_is_real_again_after_the_fake_stops() -> None:
    with pytest.raises(RuntimeError, match="boom"), mock_glue_jobs(virtual_time=True):
        time.sleep(3600)
        asyncio.run(asyncio.sleep(3600))
        raise RuntimeError("boom")

    assert time.sleep is REAL_SLEEP
    assert asyncio.BaseEventLoop.__dict__["time"] is REAL_LOOP_TIME
    assert abs(now() - datetime.fromtimestamp(time.time(), timezone.utc)) < timedelta(seconds=5)


def test_a_timer_set_during_virtual_time_keeps_its_delay_after_stop() -> None:
    async def main() -> str:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        async with mock_glue_jobs(virtual_time=True):
            await asyncio.sleep(7200)
            loop.call_later(0.05, done.set_result, "fired")
        # On the wall clock again: the timer is still 50 ms away, not two hours.
        return await asyncio.wait_for(done, timeout=5)

    assert finishes(lambda: asyncio.run(main())) == "fired"


def test_glue_jobs_fake_takes_virtual_time() -> None:
    fake = GlueJobsFake(virtual_time=True)
    with fake:
        start = now()
        time.sleep(5)
        assert now() - start == timedelta(seconds=5)


@needs_aiobotocore
def test_aiobotocore_back_offs_move_the_clock(fake: GlueJobsFake) -> None:
    session = aiobotocore_session.get_session()
    fake.fail("GetJob", "ThrottlingException", times=2)
    config = Config(retries={"mode": "standard", "max_attempts": 3})
    start = now()

    async def read() -> str:
        async with session.create_client("glue", region_name="us-east-1", config=config) as glue:
            name: str = (await glue.get_job(JobName="nightly"))["Job"]["Name"]
            return name

    assert finishes(lambda: asyncio.run(read())) == "nightly"
    delays = [call.retry_delay for call in fake.calls if call.retry_delay is not None]
    assert len(delays) == 2
    assert (now() - start).total_seconds() == pytest.approx(sum(delays), abs=1e-5)


def test_a_sleep_imported_by_name_is_virtual_too(fake: GlueJobsFake) -> None:
    start = now()

    imported_sleep(600)  # `from time import sleep` before the fake started

    assert now() - start == timedelta(minutes=10)


def test_a_frozen_fake_inside_a_virtual_one_hands_virtual_time_back() -> None:
    with mock_glue_jobs(virtual_time=True):
        with mock_glue_jobs() as inner:
            inner.freeze_time("2026-03-01 12:00:00")
        start = now()
        finishes(lambda: time.sleep(3600), within=10)

        assert now() - start == timedelta(hours=1)


def test_moving_the_clock_back_keeps_the_loops_timers_where_they_were(fake: GlueJobsFake) -> None:
    async def main() -> datetime:
        loop = asyncio.get_running_loop()
        fired = loop.create_future()
        loop.call_later(120, fired.set_result, None)
        fake.freeze_time("2020-01-01 00:00:00")  # years back: the timer is still 2 minutes away
        await fired
        return now()

    assert finishes(lambda: asyncio.run(main())) == datetime(2020, 1, 1, 0, 2, tzinfo=timezone.utc)


def test_asyncio_run_joins_its_executor_without_jumping_ahead(fake: GlueJobsFake) -> None:
    # asyncio.run() joins the default executor's threads with a 300 s timeout (Python 3.13+, under
    # asyncio.timeout): jumping to it would warn and move the clock by five minutes.
    worker_busy = threading.Event()

    async def leave_a_thread_working() -> None:
        asyncio.get_running_loop().run_in_executor(None, worker_busy.wait, 0.2).cancel()

    start = now()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        finishes(lambda: asyncio.run(leave_a_thread_working()))

    assert now() - start < timedelta(seconds=300)


VIRTUAL_SUITE = """
import asyncio
import time
from datetime import datetime, timedelta, timezone

import pytest


@pytest.mark.glue_jobs(virtual_time=True, frozen_time="2026-03-01 12:00:00")
def test_the_marker(glue_jobs):
    time.sleep(3600)
    asyncio.run(asyncio.sleep(60))
    assert datetime.now(timezone.utc) == datetime(2026, 3, 1, 13, 1, tzinfo=timezone.utc)


def test_the_ini_option(glue_jobs):
    start = datetime.now(timezone.utc)
    time.sleep(86400)
    assert datetime.now(timezone.utc) - start == timedelta(days=1)


@pytest.mark.glue_jobs(virtual_time=True)
def test_fails_while_virtual(glue_jobs):
    time.sleep(60)
    assert False, "the test fails under virtual time"


@pytest.mark.glue_jobs(virtual_time=False)
def test_real_again_after_a_failure(glue_jobs):
    start = time.monotonic()
    time.sleep(0.01)
    assert time.monotonic() > start
    assert abs(datetime.now(timezone.utc).timestamp() - time.time()) < 1
"""


def test_the_marker_and_the_ini_option_turn_virtual_time_on(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_virtual=VIRTUAL_SUITE)
    pytester.makeini("[pytest]\nglue_jobs_virtual_time = true\n")

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest")

    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*the test fails under virtual time*"])
