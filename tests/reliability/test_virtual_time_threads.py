"""Virtual time belongs to the test: threads that were running before the fake keep real time.

A session's server, Prefect's log and event workers, a pool created at import: their periodic
waits (a heartbeat's ``time.sleep``, an event loop's timers) must not move the fake's clock, or a
run reads TIMEOUT moments after it started (what CI saw with Prefect's harness). Threads the test's
code starts, and contexts copied from the test's (``asyncio.to_thread``), still wait virtually.
Each test asserts on the fake's clock, never on wall time.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from helpers import job_params

from pytest_gluejobs import mock_glue_jobs

REAL_WAIT = threading.Event().wait  # not patched by virtual time: lets other threads run


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def heartbeat() -> Iterator[None]:
    """A thread started before the fake that sleeps in a loop for ever, as a logging worker does."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            time.sleep(0.01)

    thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(5)


@pytest.fixture
def background_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop started before the fake, in a thread of its own, with an hourly timer."""
    loop = asyncio.new_event_loop()

    async def tick_hourly() -> None:
        while True:
            await asyncio.sleep(3600)

    ready = threading.Event()
    tasks: list[asyncio.Task[None]] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        tasks.append(loop.create_task(tick_hourly()))
        loop.run_forever()
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))

    thread = threading.Thread(target=run, name="background loop", daemon=True)
    thread.start()
    ready.wait(5)
    yield loop
    loop.call_soon_threadsafe(tasks[0].cancel)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


@pytest.mark.usefixtures("heartbeat")
def test_a_heartbeat_started_before_the_fake_does_not_move_its_clock() -> None:
    with mock_glue_jobs(virtual_time=True):
        start = now()
        REAL_WAIT(0.2)  # the heartbeat sleeps about twenty times meanwhile
        time.sleep(60)
        assert now() - start == timedelta(seconds=60)


def test_a_loop_started_before_the_fake_keeps_real_time(
    background_loop: asyncio.AbstractEventLoop,
) -> None:
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.add_job(**job_params())
        glue = boto3.client("glue")
        run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
        start = now()
        # Wake the loop while the fake is active: it reads its time and waits for its timer.
        for _ in range(20):
            background_loop.call_soon_threadsafe(lambda: None)
            REAL_WAIT(0.01)
        assert now() == start
        state = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["JobRunState"]
        assert state not in ("TIMEOUT", "SUCCEEDED")


@pytest.mark.usefixtures("heartbeat")
def test_a_thread_the_test_starts_still_sleeps_virtually() -> None:
    with mock_glue_jobs(virtual_time=True):
        start = now()
        worker = threading.Thread(target=time.sleep, args=(600,))
        worker.start()
        worker.join(10)
        assert not worker.is_alive()
        assert now() - start == timedelta(minutes=10)


def test_a_pool_made_before_the_fake_sleeps_virtually_in_a_copied_context() -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: None).result()  # its thread now predates the fake
        with mock_glue_jobs(virtual_time=True):
            start = now()
            copied = contextvars.copy_context()
            pool.submit(copied.run, time.sleep, 600).result(timeout=10)
            assert now() - start == timedelta(minutes=10)


def test_to_thread_is_the_tests_own() -> None:
    async def main() -> None:
        await asyncio.to_thread(time.sleep, 300)

    with mock_glue_jobs(virtual_time=True):
        start = now()
        asyncio.run(main())
        assert now() - start >= timedelta(minutes=5)
