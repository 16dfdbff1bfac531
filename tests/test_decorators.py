"""``@mock_glue_jobs()`` never lets the body escape: the fake stays active for as long as what the
decorated call returns is running — a coroutine, a generator, an async generator — decided from
what the call returns, so a function wrapped by an ordinary ``functools.wraps`` decorator is
covered too.

Guarantees (docs/reliability.md, "Isolation and teardown"): every request the body makes is
answered by the call's own fake and none opens a socket; the fake stops when the generator is
exhausted or closed (or the coroutine done), and the environment is back as it was.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, TypeVar

import boto3
import pytest
from botocore.config import Config
from conftest import block_network, job_params

from pytest_gluejobs import mock_glue_jobs
from pytest_gluejobs._transport.activation import is_patched

T = TypeVar("T")
Run = Callable[[Coroutine[Any, Any, T]], T]


@pytest.fixture
def run() -> Iterator[Run[Any]]:
    """Runs a coroutine on an event loop made before the network is blocked (it needs a socketpair);
    a time limit turns a hang into a failure."""
    loop = asyncio.new_event_loop()
    yield lambda coroutine: loop.run_until_complete(asyncio.wait_for(coroutine, 30))
    loop.close()


@pytest.fixture
def attempts(run: Run[Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return block_network(monkeypatch)


def glue() -> Any:
    """A client as user code makes one, with keys of its own: no fake, and it would go to AWS
    (one attempt, so that an escaped request fails at once on the blocked network)."""
    return boto3.client(
        "glue",
        region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def names(client: Any) -> list[str]:
    return [job["Name"] for job in client.get_jobs()["Jobs"]]


def passes_through(function: Callable[..., T]) -> Callable[..., T]:
    """An ordinary decorator: its wrapper is a plain function, whatever it wraps."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        return function(*args, **kwargs)

    return wrapper


# -- generators ----------------------------------------------------------------------------------


def test_a_generators_body_runs_with_its_fake_from_first_step_to_last(attempts: list[str]) -> None:
    before = dict(os.environ)

    @mock_glue_jobs()
    def deploy(*jobs: str) -> Iterator[list[str]]:
        client = glue()
        for name in jobs:
            client.create_job(**job_params(name))
            yield names(client)

    steps = deploy("a", "b")
    assert not is_patched()  # nothing runs until the first step
    assert next(steps) == ["a"]
    assert next(steps) == ["a", "b"]  # the same fake across steps
    assert list(steps) == []
    assert not is_patched()
    assert dict(os.environ) == before
    assert attempts == []


def test_a_generators_return_value_and_thrown_exceptions_pass_through(attempts: list[str]) -> None:
    @mock_glue_jobs()
    def worker() -> Iterator[str]:
        try:
            yield "ready"
        except KeyError:
            glue().create_job(**job_params("after-the-error"))
            yield names(glue())[0]
        return "done"

    steps = worker()
    assert next(steps) == "ready"
    assert steps.throw(KeyError("x")) == "after-the-error"
    with pytest.raises(StopIteration) as stopped:
        next(steps)
    assert stopped.value.value == "done"
    assert not is_patched()
    assert attempts == []


def test_a_generator_closed_early_stops_its_fake(attempts: list[str]) -> None:
    closed = []

    @mock_glue_jobs()
    def endless() -> Iterator[int]:
        try:
            while True:
                yield len(names(glue()))
        finally:
            closed.append(is_patched())  # still active while the generator cleans up

    steps = endless()
    assert next(steps) == 0
    steps.close()
    assert closed == [True]
    assert not is_patched()
    assert attempts == []


def test_two_generators_stepped_in_turns_each_see_their_own_fake(attempts: list[str]) -> None:
    @mock_glue_jobs()
    def deploy(name: str) -> Iterator[list[str]]:
        client = glue()
        client.create_job(**job_params(name))
        yield names(client)
        yield names(client)

    first, second = deploy("first"), deploy("second")
    assert next(first) == ["first"]
    assert next(second) == ["second"]
    assert next(first) == ["first"]
    assert next(second) == ["second"]
    first.close()
    second.close()
    assert not is_patched()
    assert attempts == []


def test_a_generator_wrapped_by_an_ordinary_decorator(attempts: list[str]) -> None:
    @mock_glue_jobs()
    @passes_through
    def deploy() -> Iterator[list[str]]:
        client = glue()
        client.create_job(**job_params("wrapped"))
        yield names(client)

    assert list(deploy()) == [["wrapped"]]
    assert not is_patched()
    assert attempts == []


# -- async generators ----------------------------------------------------------------------------


def test_an_async_generators_body_runs_with_its_fake(run: Run[Any], attempts: list[str]) -> None:
    @mock_glue_jobs()
    async def deploy(*jobs: str) -> AsyncIterator[list[str]]:
        client = glue()
        for name in jobs:
            client.create_job(**job_params(name))
            await asyncio.sleep(0)
            yield names(client)

    async def consume() -> list[list[str]]:
        return [seen async for seen in deploy("a", "b")]

    assert run(consume()) == [["a"], ["a", "b"]]
    assert not is_patched()
    assert attempts == []


def test_an_async_generator_closed_early_stops_its_fake(run: Run[Any], attempts: list[str]) -> None:
    @mock_glue_jobs()
    @passes_through
    async def endless() -> AsyncIterator[int]:
        while True:
            yield len(names(glue()))

    async def first_only() -> int:
        steps = endless()
        first: int = await steps.__anext__()
        await steps.aclose()
        return first

    assert run(first_only()) == 0
    assert not is_patched()
    assert attempts == []


# -- coroutines ----------------------------------------------------------------------------------


def test_a_coroutine_wrapped_by_an_ordinary_decorator(run: Run[Any], attempts: list[str]) -> None:
    @mock_glue_jobs()
    @passes_through
    async def deploy() -> list[str]:
        await asyncio.sleep(0)  # the body runs when awaited, after the decorated call returned
        client = glue()
        client.create_job(**job_params("wrapped"))
        return names(client)

    assert run(deploy()) == ["wrapped"]
    assert not is_patched()
    assert attempts == []


def test_tasks_a_decorated_coroutine_starts_share_its_fake(
    run: Run[Any], attempts: list[str]
) -> None:
    async def create(name: str) -> None:
        await asyncio.sleep(0)
        glue().create_job(**job_params(name))

    @mock_glue_jobs()
    async def deploy() -> list[str]:
        await asyncio.gather(create("a"), create("b"))
        return sorted(names(glue()))

    assert run(deploy()) == ["a", "b"]
    assert not is_patched()
    assert attempts == []


def test_a_cancelled_coroutine_stops_its_fake(run: Run[Any], attempts: list[str]) -> None:
    started = []

    @mock_glue_jobs()
    @passes_through
    async def poll() -> None:
        while True:
            started.append(names(glue()))
            await asyncio.sleep(10)

    async def cancel_it() -> None:
        task = asyncio.ensure_future(poll())
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(cancel_it())
    assert started == [[]]
    assert not is_patched()
    assert attempts == []


# -- what the decorated function still looks like -------------------------------------------------


def test_a_decorated_function_keeps_its_kind() -> None:
    async def coroutine_function() -> None:
        pass

    def generator_function() -> Iterator[None]:
        yield None

    async def async_generator_function() -> AsyncIterator[None]:
        yield None

    assert inspect.iscoroutinefunction(mock_glue_jobs()(coroutine_function))
    assert inspect.isgeneratorfunction(mock_glue_jobs()(generator_function))
    assert inspect.isasyncgenfunction(mock_glue_jobs()(async_generator_function))


def test_an_async_generator_gets_what_is_sent_and_thrown(
    run: Run[Any], attempts: list[str]
) -> None:
    @mock_glue_jobs()
    async def echo() -> AsyncIterator[str]:
        received = yield "ready"
        while True:
            try:
                received = yield f"{received}: {len(names(glue()))} jobs"
            except KeyError:
                glue().create_job(**job_params("after-the-error"))
                received = yield "recovered"

    async def converse() -> list[str]:
        steps = echo()
        said = [await steps.asend(None), await steps.asend("first")]
        said.append(await steps.athrow(KeyError("x")))
        said.append(await steps.asend("second"))
        await steps.aclose()
        return said

    assert run(converse()) == ["ready", "first: 0 jobs", "recovered", "second: 1 jobs"]
    assert not is_patched()
    assert attempts == []


def test_a_decorated_yield_fixture_keeps_its_fake_for_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        from pytest_gluejobs import mock_glue_jobs
        from pytest_gluejobs._transport.activation import is_patched

        JOB = {"Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}}

        @pytest.fixture
        @mock_glue_jobs()
        def glue():
            client = boto3.client("glue", region_name="us-east-1")
            client.create_job(Name="from-the-fixture", **JOB)
            yield client
            assert [job["Name"] for job in client.get_jobs()["Jobs"]] == [
                "from-the-fixture", "from-the-test"
            ]

        def test_uses_it(glue):
            glue.create_job(Name="from-the-test", **JOB)

        def test_after_it():
            assert not is_patched()
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)
