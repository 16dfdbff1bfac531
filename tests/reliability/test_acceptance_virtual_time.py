"""Acceptance tests for virtual time, written from its contract rather than from the code.

The contract (the README's virtual-time section and docs/time.md): with ``virtual_time=True``
(marker keyword, ini ``glue_jobs_virtual_time``, ``mock_glue_jobs(virtual_time=True)``) the clock
stands still while the fake is active, and ``time.sleep(s)``, ``asyncio.sleep(s)`` and the event
loop's timeouts return at once and move it by ``s``; botocore's back-offs, run timeouts and
schedules follow it; nothing hangs; real time is back once the fake stops. These tests add what
tests/service/test_virtual_time.py does not cover: every entry point used as a user would, the
clock's readers (``time.monotonic`` deadlines), a job's own Timeout, ExecutionTime, botocore's
waiters and legacy retries, waits that stay on the wall clock, and edge values of ``time.sleep``.
Each asserts on the fake's clock; a hang fails through ``finishes`` (a thread joined with a limit).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import signal
import subprocess
import sys
import threading
import time
import unittest
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore import waiter as botocore_waiter
from botocore.config import Config
from helpers import finishes, job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

REAL_SLEEP = time.sleep  # a module global: virtual time swaps it too while active (docs/time.md)
REAL_WAIT = threading.Event().wait  # a wait on the wall clock under virtual time
FINAL = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR")


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def fake() -> Iterator[GlueJobsFake]:
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.freeze_time("2026-12-01 09:00:00")
        yield fake


# -- every entry point, as a user writes it -------------------------------------------------------


@pytest.mark.glue_jobs(virtual_time=True)
def test_the_marker_keyword_on_the_fixture(glue_jobs: GlueJobsFake) -> None:
    start = now()
    time.sleep(6 * 3600)
    assert now() - start == timedelta(hours=6)


@mock_glue_jobs(virtual_time=True)
def test_mock_glue_jobs_as_a_decorator() -> None:
    start = now()
    time.sleep(90)
    assert now() - start == timedelta(seconds=90)


def test_mock_glue_jobs_as_a_decorator_of_a_coroutine_function() -> None:
    @mock_glue_jobs(virtual_time=True)
    async def poll() -> timedelta:
        start = now()
        await asyncio.sleep(3600)
        return now() - start

    assert finishes(lambda: asyncio.run(poll()), within=10) == timedelta(hours=1)
    assert time.sleep is REAL_SLEEP  # the decorator undid it on the way out


@mock_glue_jobs(virtual_time=True)
class TestVirtualTimeOnATestCase(unittest.TestCase):
    def test_a_sleep_in_a_decorated_test_case(self) -> None:
        start = now()
        time.sleep(120)
        self.assertEqual(now() - start, timedelta(minutes=2))


def test_async_with_mock_glue_jobs() -> None:
    async def main() -> timedelta:
        async with mock_glue_jobs(virtual_time=True):
            start = now()
            await asyncio.sleep(1800)
            time.sleep(1800)
            return now() - start

    assert finishes(lambda: asyncio.run(main()), within=10) == timedelta(hours=1)


INI_SUITE = """
import time
from datetime import datetime, timedelta, timezone

import pytest
from pytest_gluejobs import mock_glue_jobs


def test_ini_turns_the_fixture_virtual(glue_jobs):
    start = datetime.now(timezone.utc)
    time.sleep(7 * 86400)
    assert datetime.now(timezone.utc) - start == timedelta(days=7)


def test_ini_leaves_mock_glue_jobs_to_its_own_argument():
    with mock_glue_jobs():
        start = time.monotonic()
        time.sleep(0.01)
        assert time.monotonic() - start < 5  # a real sleep, on the real clock


def test_without_the_fixture_time_is_real():
    assert abs(datetime.now(timezone.utc).timestamp() - time.time()) < 5
"""


def test_the_ini_option_applies_to_the_fixture_only(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_ini=INI_SUITE)
    pytester.makeini("[pytest]\nglue_jobs_virtual_time = true\n")

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest")

    result.assert_outcomes(passed=3)


# -- what reads the clock -----------------------------------------------------------------------


def test_the_clock_stands_still_until_something_waits(fake: GlueJobsFake) -> None:
    wall, mono, perf = time.time(), time.monotonic(), time.perf_counter()
    REAL_WAIT(0.02)  # a real wait is not a virtual one: the clock has not moved
    assert (time.time(), time.monotonic(), time.perf_counter()) == (wall, mono, perf)

    time.sleep(2.5)

    assert time.time() - wall == pytest.approx(2.5)
    assert time.monotonic() - mono == pytest.approx(2.5)
    assert time.perf_counter() - perf == pytest.approx(2.5)


def test_a_loop_waiting_for_a_monotonic_deadline_reaches_it(fake: GlueJobsFake) -> None:
    # The way pollers write "give up after an hour"; under virtual time it must end at once.
    def wait_an_hour() -> int:
        deadline = time.monotonic() + 3600
        rounds = 0
        while time.monotonic() < deadline:
            time.sleep(5)
            rounds += 1
        return rounds

    assert finishes(wait_an_hour, within=10) == 720


def test_a_threads_own_code_reads_the_clock_its_sleeps_move(fake: GlueJobsFake) -> None:
    # A thread the test starts sleeps virtually (docs/time.md, Threads): what it reads from
    # time.time() and time.monotonic() must follow, or a deadline it computes is never reached.
    moved: dict[str, float] = {}

    def worker() -> None:
        wall, mono = time.time(), time.monotonic()
        time.sleep(30)
        moved["time"], moved["monotonic"] = time.time() - wall, time.monotonic() - mono
        moved["behind datetime"] = now().timestamp() - time.time()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)

    assert moved == pytest.approx({"time": 30, "monotonic": 30, "behind datetime": 0})


def in_the_tests_thread_within(seconds: int, work: Callable[[], object]) -> object:
    """Run ``work`` in the test's own thread; SIGALRM turns a hang into a failure."""
    if not hasattr(signal, "setitimer"):
        pytest.skip("needs signal.setitimer")

    def hung(*_: object) -> None:
        raise AssertionError(f"still waiting after {seconds} s of real time: it hangs")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_as_completed_with_a_timeout_times_out_on_the_wall_clock(fake: GlueJobsFake) -> None:
    # docs/time.md: "concurrent.futures waits with a timeout" wait on the wall clock.
    never: concurrent.futures.Future[None] = concurrent.futures.Future()
    start = now()

    def wait() -> object:
        with pytest.raises(concurrent.futures.TimeoutError):
            list(concurrent.futures.as_completed([never], timeout=0.1))
        return "timed out"

    assert in_the_tests_thread_within(10, wait) == "timed out"
    assert now() == start


def test_a_subprocess_timeout_is_a_wall_clock_one(fake: GlueJobsFake) -> None:
    # docs/time.md: "subprocess.run(timeout=...)" waits on the wall clock, so a child that takes
    # a moment of real time is not killed by a timeout of many virtual seconds.
    start = now()

    done = subprocess.run(
        [sys.executable, "-c", "import time; time.sleep(0.3)"], timeout=60, check=True
    )

    assert done.returncode == 0
    assert now() == start


CHILD_READS_A_JOB = (
    "import boto3; print(boto3.client('glue').get_job(JobName='nightly')['Job']['Name'])"
)


def test_a_child_process_answered_by_the_fake_under_virtual_time(fake: GlueJobsFake) -> None:
    # A subprocess's Glue requests reach the fake's loopback endpoint (the README, across the
    # process boundary); its timeout is a wall-clock one, so starting Python and boto3 in the
    # child does not trip it.
    fake.add_job(**job_params())

    child = subprocess.run(
        [sys.executable, "-c", CHILD_READS_A_JOB], capture_output=True, text=True, timeout=120
    )

    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "nightly"
    assert [call.operation for call in fake.calls] == ["GetJob"]


@pytest.mark.parametrize("seconds", [0, 0.0])
def test_a_zero_sleep_does_not_move_the_clock(fake: GlueJobsFake, seconds: float) -> None:
    start = now()
    time.sleep(seconds)
    assert now() == start


def test_time_sleep_refuses_what_the_real_one_refuses(fake: GlueJobsFake) -> None:
    # https://docs.python.org/3/library/time.html#time.sleep: a negative number is a ValueError.
    with pytest.raises(ValueError):
        time.sleep(-1)
    with pytest.raises(TypeError):
        time.sleep("60")  # type: ignore[arg-type]


def test_a_sleep_of_a_fraction_of_a_second_moves_the_clock_by_that_much(
    fake: GlueJobsFake,
) -> None:
    start = now()
    for _ in range(4):
        time.sleep(0.25)
    assert now() - start == timedelta(seconds=1)


# -- runs follow the clock ----------------------------------------------------------------------


def test_a_jobs_own_timeout_ends_its_run_after_that_many_virtual_minutes(
    fake: GlueJobsFake,
) -> None:
    # Timeout is in minutes; a run still going then ends TIMEOUT:
    # https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html#aws-glue-api-jobs-job-Job
    # https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html#aws-glue-api-jobs-runs-JobRun
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(Timeout=5))
    fake.run_states("nightly", "RUNNING")  # never finishes on its own
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]

    time.sleep(5 * 60 - 1)
    almost = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]
    time.sleep(1)
    run = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]

    assert almost["JobRunState"] in ("STARTING", "RUNNING")
    assert run["JobRunState"] == "TIMEOUT"
    assert run["CompletedOn"] - run["StartedOn"] == timedelta(minutes=5)
    assert run["ExecutionTime"] == 300  # seconds
    assert run["ErrorMessage"]


def test_a_run_that_times_out_while_the_poller_sleeps_past_it_ends_at_its_deadline(
    fake: GlueJobsFake,
) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params())
    fake.run_states("nightly", "RUNNING")
    run_id = glue.start_job_run(JobName="nightly", Timeout=2)["JobRunId"]
    started = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["StartedOn"]

    time.sleep(3600)  # the poller oversleeps by 58 minutes
    run = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]

    assert run["JobRunState"] == "TIMEOUT"
    assert run["CompletedOn"] == started + timedelta(minutes=2)
    assert run["ExecutionTime"] == 120


def test_execution_time_is_the_virtual_seconds_the_run_took(fake: GlueJobsFake) -> None:
    # ExecutionTime: "The amount of time (in seconds) that the job run consumed resources."
    # https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html#aws-glue-api-jobs-runs-JobRun
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params())
    fake.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]

    def poll() -> dict[str, Any]:
        while True:
            run: dict[str, Any] = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]
            if run["JobRunState"] in FINAL:
                return run
            time.sleep(30)

    run = finishes(poll, within=10)

    assert run["JobRunState"] == "SUCCEEDED"
    assert run["ExecutionTime"] == (run["CompletedOn"] - run["StartedOn"]).total_seconds()
    assert run["ExecutionTime"] >= 90  # three sleeps of 30 s at least between start and end
    assert run["CompletedOn"] == now()


def test_an_asyncio_poller_sees_a_scheduled_trigger_fire(fake: GlueJobsFake) -> None:
    # SCHEDULED triggers fire at the times their cron expression names:
    # https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params("hourly"), ExecutionProperty={"MaxConcurrentRuns": 5})
    glue.create_trigger(
        Name="every-hour",
        Type="SCHEDULED",
        Schedule="cron(0 * * * ? *)",
        Actions=[{"JobName": "hourly"}],
        StartOnCreation=True,
    )

    async def wait_three_hours() -> None:
        for _ in range(3):
            await asyncio.sleep(3600)

    finishes(lambda: asyncio.run(wait_three_hours()), within=10)

    runs = glue.get_job_runs(JobName="hourly")["JobRuns"]
    assert sorted(run["StartedOn"] for run in runs) == [
        datetime(2026, 12, 1, hour, tzinfo=timezone.utc) for hour in (10, 11, 12)
    ]


# -- botocore's own waits ---------------------------------------------------------------------


def test_legacy_retry_back_offs_move_the_clock(fake: GlueJobsFake) -> None:
    # botocore's default retry mode for boto3 clients is "legacy":
    # https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html
    fake.add_job(**job_params())
    fake.fail("GetJob", "InternalServiceException", times=3)
    glue = boto3.client("glue", config=Config(retries={"mode": "legacy", "max_attempts": 4}))
    start = now()

    assert finishes(lambda: glue.get_job(JobName="nightly"), within=10)["Job"]["Name"] == "nightly"

    delays = [call.retry_delay for call in fake.calls if call.retry_delay is not None]
    assert len(delays) == 3
    assert (now() - start).total_seconds() == pytest.approx(sum(delays), abs=1e-5)


def test_a_botocore_waiter_polling_every_minute_costs_nothing(fake: GlueJobsFake) -> None:
    # A custom botocore waiter on GetJobRun, as Airflow's "job_complete" waiter is built (60 s
    # delay); botocore's Waiter sleeps with time.sleep between attempts.
    fake.add_job(**job_params())
    fake.run_states("nightly", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED")
    glue = boto3.client("glue", region_name="us-east-1")
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    model = botocore_waiter.WaiterModel(
        {
            "version": 2,
            "waiters": {
                "JobComplete": {
                    "operation": "GetJobRun",
                    "delay": 60,
                    "maxAttempts": 75,
                    "acceptors": [
                        {
                            "matcher": "path",
                            "argument": "JobRun.JobRunState",
                            "expected": "SUCCEEDED",
                            "state": "success",
                        },
                        {
                            "matcher": "path",
                            "argument": "JobRun.JobRunState",
                            "expected": "FAILED",
                            "state": "failure",
                        },
                        {
                            "matcher": "path",
                            "argument": "JobRun.JobRunState",
                            "expected": "RUNNING",
                            "state": "retry",
                        },
                        {
                            "matcher": "path",
                            "argument": "JobRun.JobRunState",
                            "expected": "STARTING",
                            "state": "retry",
                        },
                    ],
                }
            },
        }
    )
    waiter = botocore_waiter.create_waiter_with_client("JobComplete", model, glue)
    start = now()

    finishes(lambda: waiter.wait(JobName="nightly", RunId=run_id), within=10)

    reads = [c for c in fake.calls if c.operation == "GetJobRun"]
    assert now() - start == timedelta(minutes=len(reads) - 1)
    assert fake.runs("nightly")[0]["JobRunState"] == "SUCCEEDED"


# -- asyncio's waits ----------------------------------------------------------------------------


def test_call_at_and_asyncio_wait_move_the_clock(fake: GlueJobsFake) -> None:
    start = now()

    async def main() -> list[timedelta]:
        loop = asyncio.get_running_loop()
        seen = []
        fired = loop.create_future()
        loop.call_at(loop.time() + 300, fired.set_result, None)
        await fired
        seen.append(now() - start)
        never = loop.create_future()
        done, pending = await asyncio.wait({never}, timeout=120)
        assert (done, pending) == (set(), {never})
        seen.append(now() - start)
        never.cancel()
        return seen

    assert finishes(lambda: asyncio.run(main()), within=10) == [
        timedelta(minutes=5),
        timedelta(minutes=7),
    ]


def test_wait_for_an_asyncio_event_that_is_never_set_times_out_on_the_clock(
    fake: GlueJobsFake,
) -> None:
    start = now()

    async def main() -> None:
        await asyncio.wait_for(asyncio.Event().wait(), timeout=24 * 3600)

    with pytest.raises(asyncio.TimeoutError):
        finishes(lambda: asyncio.run(main()), within=10)
    assert now() - start == timedelta(days=1)


def test_asyncio_sleep_zero_yields_without_moving_the_clock(fake: GlueJobsFake) -> None:
    start = now()
    order: list[str] = []

    async def other() -> None:
        order.append("other")

    async def main() -> None:
        task = asyncio.ensure_future(other())
        await asyncio.sleep(0)
        order.append("main")
        await task

    finishes(lambda: asyncio.run(main()), within=10)
    assert order == ["other", "main"]
    assert now() == start


def test_the_loops_time_moves_with_time_sleep(fake: GlueJobsFake) -> None:
    # docs/time.md: an event loop's own time follows every move forward.
    loop = asyncio.new_event_loop()
    try:
        before = loop.time()
        time.sleep(600)
        assert loop.time() - before == pytest.approx(600, abs=0.5)
    finally:
        loop.close()


# -- waits that stay on the wall clock, and still end ---------------------------------------------


def test_waits_on_the_wall_clock_end_in_real_time_and_leave_the_clock_alone(
    fake: GlueJobsFake,
) -> None:
    # docs/time.md "What virtual time does not change": Event.wait, Queue.get and Thread.join
    # with a timeout wait real time. They must return (not hang), and not move the clock.
    start = now()

    def wall_clock_waits() -> list[object]:
        results: list[object] = [threading.Event().wait(0.05)]
        try:
            queue.Queue().get(timeout=0.05)
        except queue.Empty:
            results.append("empty")
        sleeper = threading.Thread(target=threading.Event().wait, args=(0.2,), daemon=True)
        sleeper.start()
        sleeper.join(0.05)
        results.append(sleeper.is_alive())
        return results

    assert finishes(wall_clock_waits, within=10) == [False, "empty", True]
    assert now() == start


def test_a_threading_timer_still_fires(fake: GlueJobsFake) -> None:
    fired = threading.Event()
    timer = threading.Timer(0.05, fired.set)
    timer.start()
    try:
        assert finishes(lambda: fired.wait(5), within=10) is True
    finally:
        timer.cancel()


def test_a_thread_started_under_virtual_time_sleeps_for_real_once_the_fake_stops() -> None:
    handed_back = threading.Event()
    measured: list[float] = []

    def worker() -> None:
        time.sleep(3600)  # virtual: the fake is still active
        handed_back.wait(10)
        begin = time.perf_counter()
        time.sleep(0.05)  # the fake has stopped: a real sleep
        measured.append(time.perf_counter() - begin)

    with mock_glue_jobs(virtual_time=True):
        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        REAL_WAIT(0.05)
    handed_back.set()
    thread.join(10)

    assert not thread.is_alive()
    assert measured and measured[0] >= 0.04


def test_everything_is_real_again_after_a_decorated_function_raises() -> None:
    @mock_glue_jobs(virtual_time=True)
    def fails() -> None:
        time.sleep(3600)
        raise KeyError("boom")

    with pytest.raises(KeyError):
        fails()

    assert time.sleep is REAL_SLEEP
    begin = time.perf_counter()
    time.sleep(0.02)
    assert time.perf_counter() - begin >= 0.015
    assert abs(now().timestamp() - time.time()) < 5


def test_a_queue_wait_ends_under_a_frozen_clock_too() -> None:
    # freezegun before 1.5 ignored "Queue" (Python 2's name), not queue: under its freeze,
    # Queue.get(timeout=...) read a clock that never moved and waited for ever.
    def wait() -> str:
        try:
            queue.Queue().get(timeout=0.05)
        except queue.Empty:
            return "empty"
        return "got"

    with mock_glue_jobs(frozen_time="2026-01-01T00:00:00Z"):
        assert in_the_tests_thread_within(10, wait) == "empty"
        assert finishes(wait, within=10) == "empty"
    with mock_glue_jobs(virtual_time=True):
        assert in_the_tests_thread_within(10, wait) == "empty"
        assert finishes(wait, within=10) == "empty"
