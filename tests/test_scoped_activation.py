"""Activation with a scope: a fake answers the thread, asyncio task or decorated call that
activated it, and the threads the code under test starts from there.

Guarantees (docs/reliability.md, "Which fake answers"):
- threads the code under test starts itself (``threading.Thread``, ``ThreadPoolExecutor``,
  ``loop.run_in_executor``) reach the test's fake; with nested fakes, the innermost;
- two decorated functions in two threads, or two decorated coroutines under ``asyncio.gather``,
  each get their own fake and see only their own jobs and calls;
- one ``mock_glue_jobs()`` object entered by overlapping blocks in two threads or tasks gives each
  block its own fake, and leaving one block never stops the other's;
- a request from a thread that activated no fake while fakes are active side by side in other
  threads is refused loudly (nothing sent, no fake answers it);
- ``os.environ`` is restored exactly whichever thread's fake stops first.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import boto3
import pytest
from conftest import block_network, job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs
from pytest_gluejobs._transport import activation
from pytest_gluejobs._transport.activation import is_patched

T = TypeVar("T")
Run = Callable[[Coroutine[Any, Any, T]], T]


@pytest.fixture
def run() -> Iterator[Run[Any]]:
    """Runs a coroutine on an event loop made before the network is blocked (it needs a socketpair);
    a time limit turns a hang into a failure."""
    loop = asyncio.new_event_loop()
    yield lambda coroutine: loop.run_until_complete(asyncio.wait_for(coroutine, 30))
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()


@pytest.fixture
def attempts(run: Run[Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return block_network(monkeypatch)


_creating = threading.Lock()


def _client() -> Any:
    # A boto3 session is not thread-safe; the clients it makes are.
    with _creating:
        return boto3.client("glue", region_name="us-east-1")


def _names(client: Any = None) -> list[str]:
    client = client or _client()
    return [job["Name"] for job in client.get_jobs()["Jobs"]]


def _in_a_thread(work: Callable[[], T]) -> T:
    """``work()`` on a plain ``threading.Thread`` (which starts with an empty context)."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]  # type: ignore[no-any-return]


# -- threads the code under test starts ---------------------------------------------------------


@pytest.fixture
def guard() -> Iterator[None]:
    """The guard against real Glue, on: a request no fake answers raises instead of leaving."""
    activation.turn_guard_on()
    yield
    activation.turn_guard_off()


def test_threads_and_executors_the_code_starts_reach_the_tests_fake(
    glue_jobs: GlueJobsFake, attempts: list[str]
) -> None:
    glue_jobs.add_job(**job_params("seeded"))
    assert _in_a_thread(_names) == ["seeded"]
    with ThreadPoolExecutor(2) as pool:
        assert pool.submit(_names).result(30) == ["seeded"]
    assert [call.operation for call in glue_jobs.calls] == ["GetJobs"] * 2
    assert attempts == []


def test_the_event_loops_executor_reaches_the_tests_fake(
    glue_jobs: GlueJobsFake, guard: None
) -> None:
    # The loop's executor wakes the loop through a socket, so here the network stays open and
    # the guard refuses any request no fake answers.
    glue_jobs.add_job(**job_params("seeded"))

    async def in_the_default_executor() -> list[str]:
        return await asyncio.get_running_loop().run_in_executor(None, _names)

    assert asyncio.run(in_the_default_executor()) == ["seeded"]
    assert [call.operation for call in glue_jobs.calls] == ["GetJobs"]


def test_a_thread_started_inside_a_nested_block_reaches_the_innermost_fake(
    glue_jobs: GlueJobsFake, attempts: list[str]
) -> None:
    glue_jobs.add_job(**job_params("outer"))
    with mock_glue_jobs() as inner:
        inner.add_job(**job_params("inner"))
        assert _in_a_thread(_names) == ["inner"]
    assert _in_a_thread(_names) == ["outer"]
    assert attempts == []


def test_a_thread_a_decorated_call_starts_reaches_that_calls_fake(
    glue_jobs: GlueJobsFake, attempts: list[str]
) -> None:
    @mock_glue_jobs()
    def deploy() -> list[str]:
        _client().create_job(**job_params("from-the-call"))
        return _in_a_thread(_names)

    assert deploy() == ["from-the-call"]
    assert glue_jobs.calls == [] and glue_jobs.jobs == {}
    assert attempts == []


# -- fakes side by side --------------------------------------------------------------------------


def test_decorated_functions_in_two_threads_each_get_their_own_fake(attempts: list[str]) -> None:
    both_inside = threading.Barrier(2, timeout=30)

    @mock_glue_jobs()
    def deploy(name: str) -> tuple[list[str], list[str]]:
        client = _client()
        both_inside.wait()  # the two fakes are active at once from here
        client.create_job(**job_params(name))
        both_inside.wait()
        names = _names(client)
        both_inside.wait()
        return names, [job["Name"] for job in client.batch_get_jobs(JobNames=["a", "b"])["Jobs"]]

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.submit(deploy, "a"), pool.submit(deploy, "b")
        assert first.result(60) == (["a"], ["a"])
        assert second.result(60) == (["b"], ["b"])
    assert not is_patched()
    assert attempts == []


def test_decorated_coroutines_under_gather_each_get_their_own_fake(
    run: Run[Any], attempts: list[str]
) -> None:
    seen: dict[str, GlueJobsFake] = {}

    async def deploy(name: str, other_started: asyncio.Event, started: asyncio.Event) -> list[str]:
        with mock_glue_jobs() as fake:  # each coroutine's own fake, observed from the outside
            seen[name] = fake
            started.set()
            await other_started.wait()
            client = _client()
            client.create_job(**job_params(name))
            await asyncio.sleep(0)
            return _names(client)

    @mock_glue_jobs()
    async def decorated(name: str, other_started: asyncio.Event, started: asyncio.Event) -> Any:
        started.set()
        await other_started.wait()
        client = _client()
        client.create_job(**job_params(name))
        await asyncio.sleep(0)
        return _names(client)

    async def both(run: Callable[..., Any]) -> list[Any]:
        a_started, b_started = asyncio.Event(), asyncio.Event()
        return list(
            await asyncio.gather(run("a", b_started, a_started), run("b", a_started, b_started))
        )

    assert run(both(decorated)) == [["a"], ["b"]]
    assert run(both(deploy)) == [["a"], ["b"]]
    assert [c.params["Name"] for c in seen["a"].calls if c.operation == "CreateJob"] == ["a"]
    assert [c.params["Name"] for c in seen["b"].calls if c.operation == "CreateJob"] == ["b"]
    assert not is_patched()
    assert attempts == []


def test_one_mock_object_entered_by_overlapping_blocks_in_two_threads(
    attempts: list[str],
) -> None:
    mock = mock_glue_jobs()
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()

    def block_a() -> tuple[GlueJobsFake, list[str]]:
        with mock as fake:
            _client().create_job(**job_params("a"))
            a_inside.set()
            assert b_inside.wait(30)
            names = _names()
        a_left.set()  # A's block ends first, while B's is still inside
        return fake, names

    def block_b() -> tuple[GlueJobsFake, list[str], list[str]]:
        assert a_inside.wait(30)
        with mock as fake:
            b_inside.set()
            assert a_left.wait(30)
            # A's exit stopped A's fake, not this one: it still answers, with its own state.
            _client().create_job(**job_params("b"))
            names = _names()
            active_after_a = list(fake.jobs)
        return fake, names, active_after_a

    with ThreadPoolExecutor(2) as pool:
        a, b = pool.submit(block_a), pool.submit(block_b)
        fake_a, names_a = a.result(60)
        fake_b, names_b, jobs_b = b.result(60)
    assert fake_a is not fake_b
    assert names_a == ["a"]
    assert names_b == ["b"] and jobs_b == ["b"]
    assert [call.operation for call in fake_b.calls] == ["CreateJob", "GetJobs"]
    assert not is_patched()
    assert attempts == []


def test_one_mock_object_entered_by_overlapping_tasks(run: Run[Any], attempts: list[str]) -> None:
    mock = mock_glue_jobs()

    async def block(name: str, entered: asyncio.Event, leave: asyncio.Event) -> list[str]:
        async with mock as fake:
            entered.set()
            await leave.wait()
            _client().create_job(**job_params(name))
            return list(fake.jobs) + _names()

    async def main() -> tuple[list[str], list[str]]:
        a_in, b_in, a_go, b_go = (asyncio.Event() for _ in range(4))
        a = asyncio.create_task(block("a", a_in, a_go))
        await a_in.wait()
        b = asyncio.create_task(block("b", b_in, b_go))
        await b_in.wait()
        a_go.set()
        first = await a  # A ends while B is inside
        b_go.set()
        return first, await b

    assert run(main()) == (["a", "a"], ["b", "b"])
    assert not is_patched()
    assert attempts == []


def test_leaving_a_shared_block_from_a_stranger_context_is_refused_loudly() -> None:
    mock = mock_glue_jobs()
    entered = threading.Barrier(3, timeout=30)
    release = threading.Event()

    def block() -> None:
        with mock:
            entered.wait()
            assert release.wait(30)

    threads = [threading.Thread(target=block) for _ in range(2)]
    for thread in threads:
        thread.start()
    entered.wait()
    try:
        with pytest.raises(RuntimeError, match="2 blocks are inside this one mock_glue_jobs"):
            mock.__exit__(None, None, None)
        assert is_patched()  # neither block's fake was stopped
    finally:
        release.set()
        for thread in threads:
            thread.join(30)
    assert not is_patched()


def test_a_thread_with_no_fake_of_its_own_is_refused_when_fakes_run_side_by_side(
    attempts: list[str],
) -> None:
    both_inside = threading.Barrier(3, timeout=30)
    done = threading.Event()
    fakes: list[GlueJobsFake] = []

    def side(name: str) -> None:
        with mock_glue_jobs() as fake:
            fakes.append(fake)
            both_inside.wait()
            assert done.wait(30)

    sides = [threading.Thread(target=side, args=(name,)) for name in "ab"]
    for thread in sides:
        thread.start()
    both_inside.wait()
    try:
        with pytest.raises(RuntimeError, match="cannot tell which Glue fake") as refused:
            _in_a_thread(_names)
        assert "Nothing was sent to AWS" in str(refused.value)
        assert [fake.calls for fake in fakes] == [[], []]
    finally:
        done.set()
        for thread in sides:
            thread.join(30)
    assert attempts == []


@pytest.mark.parametrize("first_to_stop", ["a", "b"])
def test_the_environment_is_restored_whichever_threads_fake_stops_first(
    first_to_stop: str,
) -> None:
    before = dict(os.environ)
    started = {name: threading.Event() for name in "ab"}
    stop = {name: threading.Event() for name in "ab"}
    stopped = {name: threading.Event() for name in "ab"}

    def side(name: str, region: str) -> None:
        with mock_glue_jobs(region=region):
            started[name].set()
            assert stop[name].wait(30)
        stopped[name].set()

    threads = [
        threading.Thread(target=side, args=("a", "eu-west-1")),
        threading.Thread(target=side, args=("b", "us-west-2")),
    ]
    threads[0].start()
    assert started["a"].wait(30)
    threads[1].start()
    assert started["b"].wait(30)
    assert os.environ["AWS_DEFAULT_REGION"] == "us-west-2"  # the newest fake's
    stop[first_to_stop].set()
    assert stopped[first_to_stop].wait(30)
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"  # one fake is still active
    for name in "ab":
        stop[name].set()
    for thread in threads:
        thread.join(30)
    assert dict(os.environ) == before
