"""Threads and asyncio tasks that outlive the fake they were started under never reach AWS.

A log reader's thread, an executor's worker or a task nobody awaited can go on making requests
after the test's fake stopped. Their Glue requests, and their reads of Glue's log groups (which the
fake answers while active), are refused with RealGlueBlocked; nothing is sent. Everything else —
other services, other log groups, threads started before any fake — goes on as it would.

The real send (``URLLib3Session.send``) is replaced by a recorder that refuses, and the network is
blocked (the ``attempts`` fixture) where the test needs no thread to wake an event loop (that
writes to a socket): a request that escaped would show in either.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import botocore.httpsession
import pytest
from botocore.config import Config

from pytest_gluejobs import RealGlueBlocked, mock_glue_jobs
from pytest_gluejobs._transport import activation
from pytest_gluejobs._transport.activation import is_patched

CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "a",
    "aws_secret_access_key": "b",
    "config": Config(retries={"total_max_attempts": 1}),
}


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every request that reached botocore's HTTP layer (each is refused there)."""
    urls: list[str] = []

    def send(self: Any, request: Any) -> Any:
        urls.append(request.url)
        raise botocore.exceptions.EndpointConnectionError(endpoint_url=request.url)

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", send)
    return urls


def glue_request(client: Any) -> None:
    client.get_job_run(JobName="nightly", RunId="jr_1")


def glue_log_read(client: Any) -> None:
    # As dagster-aws's PipesCloudWatchLogReader tails a Glue run's output.
    client.get_log_events(logGroupName="/aws-glue/jobs/output", logStreamName="jr_1")


REQUESTS: dict[str, tuple[str, Callable[[Any], None], str]] = {
    "glue": ("glue", glue_request, "a Glue GetJobRun request"),
    "glue log group": (
        "logs",
        glue_log_read,
        "a CloudWatch Logs GetLogEvents request for Glue's log group '/aws-glue/jobs/output'",
    ),
}


def outcome(request: Callable[[Any], None], client: Any) -> BaseException | None:
    try:
        request(client)
    except Exception as error:
        return error
    return None


@pytest.fixture(params=sorted(REQUESTS))
def kind(request: pytest.FixtureRequest) -> tuple[str, Callable[[Any], None], str]:
    return REQUESTS[request.param]


def test_a_thread_that_outlives_the_fake_is_refused(
    kind: tuple[str, Callable[[Any], None], str], sent: list[str], attempts: list[str]
) -> None:
    service, request, what = kind
    go, caught = threading.Event(), []
    with mock_glue_jobs():
        client = boto3.client(service, **CREDENTIALS)

        def later() -> None:
            go.wait(10)
            caught.append(outcome(request, client))

        thread = threading.Thread(target=later, name="log reader")
        thread.start()
    go.set()
    thread.join(10)
    (error,) = caught
    assert isinstance(error, RealGlueBlocked), error
    message = str(error)
    assert what in message and "thread 'log reader'" in message, message
    assert "test_a_thread_that_outlives_the_fake_is_refused" in message, message
    assert "has stopped" in message and "Nothing was sent to AWS" in message, message
    assert "join it" in message, message
    assert sent == []
    assert not is_patched()  # the last thread out removed the patches


def test_an_executors_worker_that_outlives_the_fake_is_refused(
    kind: tuple[str, Callable[[Any], None], str], sent: list[str], attempts: list[str]
) -> None:
    service, request, _ = kind
    go = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        with mock_glue_jobs():
            client = boto3.client(service, **CREDENTIALS)
            # The worker thread is started by this first submit, while the fake is active.
            executor.submit(go.wait, 10)
        later = executor.submit(outcome, request, client)
        go.set()
        assert isinstance(later.result(10), RealGlueBlocked)
        assert is_patched()  # the worker still runs: its next request must be refused too
    assert sent == []
    assert not is_patched()


def test_an_asyncio_task_that_outlives_the_fake_is_refused(
    kind: tuple[str, Callable[[Any], None], str], sent: list[str], attempts: list[str], run: Any
) -> None:
    service, request, what = kind

    async def test() -> BaseException | None:
        go = asyncio.Event()
        with mock_glue_jobs():
            client = boto3.client(service, **CREDENTIALS)

            async def poll() -> BaseException | None:
                await go.wait()
                return outcome(request, client)

            task = asyncio.create_task(poll(), name="poller")
            await asyncio.sleep(0)
        go.set()
        return await asyncio.wait_for(task, 10)

    error = run(test())
    assert isinstance(error, RealGlueBlocked), error
    assert what in str(error) and "asyncio task 'poller'" in str(error), error
    assert sent == []
    assert not is_patched()


def test_a_thread_started_by_asyncio_to_thread_is_refused(sent: list[str]) -> None:
    async def test() -> BaseException | None:
        go = threading.Event()
        with mock_glue_jobs():
            client = boto3.client("glue", **CREDENTIALS)

            def later() -> BaseException | None:
                go.wait(10)
                return outcome(glue_request, client)

            future = asyncio.ensure_future(asyncio.to_thread(later))
            await asyncio.sleep(0.01)
        go.set()
        return await future

    assert isinstance(asyncio.run(asyncio.wait_for(test(), 30)), RealGlueBlocked)
    assert sent == []


def test_a_task_dropped_unfinished_lets_the_patches_go() -> None:
    async def leave_a_task_pending() -> None:
        with mock_glue_jobs():
            asyncio.ensure_future(asyncio.Event().wait())  # noqa: RUF006 (dropped on purpose)
            await asyncio.sleep(0)

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: None)  # "destroyed but it is pending"
    loop.run_until_complete(leave_a_task_pending())
    assert is_patched()  # the task may still run, and make a request
    loop.close()  # without cancelling it: it will never run again
    gc.collect()
    assert not is_patched()


def test_a_thread_whose_run_cannot_be_replaced_still_starts() -> None:
    ran: list[bool] = []

    class Sealed(threading.Thread):
        @property
        def run(self) -> Callable[[], None]:
            return lambda: ran.append(True)

    with mock_glue_jobs():
        thread = Sealed()
        thread.start()
        thread.join(10)
    assert ran == [True]
    assert not is_patched()


@pytest.fixture
def stranded() -> Iterator[Callable[[Callable[[], Any]], BaseException | None]]:
    """Runs work on a thread started under a fake that has stopped since; its outcome."""
    work: list[Callable[[], Any]] = []
    results: list[BaseException | None] = []
    ready, done = threading.Event(), threading.Event()

    def loop() -> None:
        while ready.wait(10) and work:
            ready.clear()
            try:
                work.pop()()
                results.append(None)
            except Exception as error:
                results.append(error)
            done.set()

    with mock_glue_jobs():
        thread = threading.Thread(target=loop)
        thread.start()

    def run_there(job: Callable[[], Any]) -> BaseException | None:
        done.clear()
        work.append(job)
        ready.set()
        assert done.wait(10)
        return results.pop()

    yield run_there
    ready.set()  # no work: the loop ends
    thread.join(10)


def test_other_requests_of_a_thread_that_outlived_the_fake_go_on(
    stranded: Callable[[Callable[[], Any]], BaseException | None],
    sent: list[str],
    attempts: list[str],
) -> None:
    logs: Any = boto3.client("logs", **CREDENTIALS)
    s3: Any = boto3.client("s3", **CREDENTIALS)
    other_group = stranded(lambda: logs.get_log_events(logGroupName="/app", logStreamName="s"))
    writes_to_glues_group = stranded(
        lambda: logs.put_log_events(
            logGroupName="/aws-glue/jobs/output",
            logStreamName="s",
            logEvents=[{"timestamp": 1, "message": "m"}],
        )
    )
    other_service = stranded(s3.list_buckets)
    for error in (other_group, writes_to_glues_group, other_service):
        assert error is not None and not isinstance(error, RealGlueBlocked), error
    assert len(sent) == 3, sent


def test_a_thread_started_before_any_fake_is_untouched(
    sent: list[str], attempts: list[str]
) -> None:
    go, caught = threading.Event(), []
    client = boto3.client("glue", **CREDENTIALS)

    def later() -> None:
        go.wait(10)
        caught.append(outcome(glue_request, client))

    thread = threading.Thread(target=later)
    thread.start()
    with mock_glue_jobs():
        pass
    go.set()
    thread.join(10)
    (error,) = caught
    assert not isinstance(error, RealGlueBlocked), error
    assert sent == ["https://glue.us-east-1.amazonaws.com/"]


def test_a_thread_that_outlives_one_fake_is_answered_by_the_next(
    sent: list[str], attempts: list[str]
) -> None:
    # A session-wide executor's worker, started in one test, serves the next test's fake.
    go, caught = threading.Event(), []
    with mock_glue_jobs():

        def later() -> None:
            go.wait(10)
            caught.append(list_jobs())

        thread = threading.Thread(target=later)
        thread.start()
    with mock_glue_jobs():
        go.set()
        thread.join(10)
    assert caught == [[]]
    assert sent == []


def list_jobs() -> list[str]:
    client: Any = boto3.client("glue", **CREDENTIALS)
    names: list[str] = client.list_jobs()["JobNames"]
    return names


def test_the_guard_refuses_reads_of_glues_log_groups_too(
    sent: list[str], attempts: list[str]
) -> None:
    logs: Any = boto3.client("logs", **CREDENTIALS)
    activation.turn_guard_on()
    try:
        with pytest.raises(
            RealGlueBlocked, match="GetLogEvents of log group '/aws-glue/jobs/output'"
        ):
            glue_log_read(logs)
        with pytest.raises(Exception) as other:
            logs.get_log_events(logGroupName="/app", logStreamName="s")
    finally:
        activation.turn_guard_off()
    assert not isinstance(other.value, RealGlueBlocked)
    assert sent == ["https://logs.us-east-1.amazonaws.com/"]
