"""mock_glue_jobs: the fake without pytest — a context manager and a decorator."""

from __future__ import annotations

import contextvars
import functools
import inspect
import threading
import types
import unittest
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from types import TracebackType
from typing import Any, TypeVar, overload

from ._fake import GlueJobsFake
from ._options import FakeOptions, same_parameters_as
from ._transport import activation as _activation

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type[unittest.TestCase])
T = TypeVar("T")


class mock_glue_jobs:
    """Activate a fresh Glue fake for a block, a function or every test of a ``TestCase``.

    ``with mock_glue_jobs() as fake:`` (or ``async with``) gives the GlueJobsFake; each block that
    enters the object gets a fake of its own, also when blocks in two threads or tasks overlap. As
    a decorator on a function, each call gets a fake of its own, active in that call (and the
    threads and tasks it starts) until what the call returns is done: a plain value at once; a
    coroutine or other awaitable when it has been awaited; a generator or an async generator from
    its first step until it is exhausted or closed. On a ``unittest.TestCase`` class the fake is
    active from ``setUp`` to the last cleanup of each test and is available as ``self.glue_jobs``.
    """

    @same_parameters_as(FakeOptions)
    def __init__(self, **options: Any) -> None:
        # Checked now, so a mistake shows where the decorator is written, not when it runs.
        self._options = FakeOptions(**options)
        #: The fakes of the blocks inside this object now, in the order they entered.
        self._active: list[GlueJobsFake] = []
        self._lock = threading.Lock()

    def _new_fake(self) -> GlueJobsFake:
        return GlueJobsFake._from_options(self._options)

    def __enter__(self) -> GlueJobsFake:
        fake = self._new_fake().start()
        with self._lock:
            self._active.append(fake)
        return fake

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._leaving_block().stop()

    def _leaving_block(self) -> GlueJobsFake:
        """The fake of the block being left: the newest this thread or task entered."""
        with self._lock:
            here = [owner for owner in _activation.owners_here() if owner in self._active]
            if here:
                fake = here[-1]
            elif len(self._active) == 1:
                # Left from another task than it was entered in (an async fixture's teardown, say):
                # no other block is inside, so it is this one.
                fake = self._active[0]
            else:
                raise RuntimeError(
                    f"mock_glue_jobs: {len(self._active)} blocks are inside this one "
                    "mock_glue_jobs object, and the one ending now was not entered in this thread "
                    "or task, so which fake to stop is unknown; none was stopped. Leave a block "
                    "in the thread or task that entered it, or give each block its own "
                    "`mock_glue_jobs()`."
                    if self._active
                    else "mock_glue_jobs: a block ended that never began (no fake is active in "
                    "this mock_glue_jobs object)."
                )
            assert isinstance(fake, GlueJobsFake)
            self._active.remove(fake)
            return fake

    async def __aenter__(self) -> GlueJobsFake:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)

    @overload
    def __call__(self, target: C) -> C: ...
    @overload
    def __call__(self, target: F) -> F: ...
    def __call__(self, target: Any) -> Any:
        if inspect.isclass(target):
            if not issubclass(target, unittest.TestCase):
                raise TypeError(
                    "mock_glue_jobs can decorate functions and unittest.TestCase classes; "
                    f"{target.__name__} is neither. Use `with mock_glue_jobs() as fake:` instead."
                )
            return self._decorate_test_case(target)
        # A coroutine or generator function stays one to those who ask (pytest's yield fixtures,
        # pytest-asyncio, unittest): the same wrapping, awaited or delegated to.
        if inspect.iscoroutinefunction(target):

            @functools.wraps(target)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                return await self._call(target, args, kwargs)

            return async_wrapper
        if inspect.isgeneratorfunction(target):

            @functools.wraps(target)
            def generator_wrapper(*args: Any, **kwargs: Any) -> Any:
                return (yield from self._call(target, args, kwargs))

            return generator_wrapper
        if inspect.isasyncgenfunction(target):

            @functools.wraps(target)
            async def async_generator_wrapper(*args: Any, **kwargs: Any) -> Any:
                # `yield from` for async generators: every asend, athrow and aclose passed on.
                steps = self._call(target, args, kwargs)
                step, value = steps.asend, None
                while True:
                    try:
                        item = await step(value)
                    except StopAsyncIteration:
                        return
                    try:
                        value = yield item
                        step = steps.asend
                    except GeneratorExit:
                        await steps.aclose()
                        raise
                    except BaseException as error:
                        step, value = steps.athrow, error

            return async_generator_wrapper

        @functools.wraps(target)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return self._call(target, args, kwargs)

        return wrapper

    def _call(self, target: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        """Call ``target`` with a fake of its own, kept for as long as what it returns runs."""
        fake = self._new_fake()
        # The call runs in a copy of its caller's context, where only it (and the tasks and
        # threads it starts with that context) sees this fake: decorated calls in two threads or
        # tasks, or two generators stepped in turns, each have their own.
        context = contextvars.copy_context()
        result = context.run(_call_with, fake, target, args, kwargs)
        # Decided from what the call returned, whatever the function looks like (an ordinary
        # decorator's wrapper around an async def returns a coroutine from a plain def). Its body
        # runs later: the fake is started again around it, in the same context.
        if inspect.isgenerator(result):
            return _generator_with(fake, context, result)
        if inspect.isasyncgen(result):
            return _async_generator_with(fake, context, result)
        if inspect.isawaitable(result):
            return _awaited_with(fake, context, result)
        return result

    def _decorate_test_case(self, cls: C) -> C:
        original_setup = cls.setUp
        new_fake = self._new_fake

        @functools.wraps(original_setup)
        def set_up(test: unittest.TestCase) -> None:
            fake = new_fake().start()
            test.addCleanup(fake.stop)
            test.glue_jobs = fake  # type: ignore[attr-defined]
            original_setup(test)

        cls.setUp = set_up  # type: ignore[method-assign, assignment]
        return cls


def _call_with(fake: GlueJobsFake, target: Callable[..., T], args: Any, kwargs: Any) -> T:
    with fake:
        return target(*args, **kwargs)


def _generator_with(
    fake: GlueJobsFake, context: contextvars.Context, generator: Generator[Any, Any, T]
) -> Generator[Any, Any, T]:
    """``generator``, each step run in ``context`` with ``fake`` active, from first to last."""
    context.run(fake.start)
    try:
        return (yield from _stepped_in(context, generator))
    finally:
        context.run(fake.stop)


async def _async_generator_with(
    fake: GlueJobsFake, context: contextvars.Context, generator: AsyncGenerator[Any, Any]
) -> AsyncGenerator[Any, Any]:
    """``generator``, each step run in ``context`` with ``fake`` active, from first to last."""
    context.run(fake.start)
    try:
        step: Callable[[Any], Awaitable[Any]] = generator.asend
        value: Any = None
        while True:
            try:
                item = await _stepped_in(context, step(value).__await__())
            except StopAsyncIteration:
                return
            try:
                value = yield item
                step = generator.asend
            except GeneratorExit:
                await _stepped_in(context, generator.aclose().__await__())
                raise
            except BaseException as error:  # thrown in by the caller: on to the generator
                step, value = generator.athrow, error
    finally:
        context.run(fake.stop)


async def _awaited_with(
    fake: GlueJobsFake, context: contextvars.Context, awaitable: Awaitable[T]
) -> T:
    """Await ``awaitable``, each step run in ``context`` with ``fake`` active."""
    context.run(fake.start)
    try:
        return await _stepped_in(context, awaitable.__await__())
    finally:
        context.run(fake.stop)


@types.coroutine
def _stepped_in(
    context: contextvars.Context, steps: Generator[Any, Any, T]
) -> Generator[Any, Any, T]:
    """``yield from steps`` with each step run in ``context`` (as a task runs its own).

    ``steps`` is a generator, or what an awaitable's ``__await__()`` returns (which may lack
    ``throw`` and ``close``); awaiting this awaits the awaitable.
    """
    step: Callable[[Any], Any] = steps.send
    value: Any = None
    while True:
        try:
            yielded = context.run(step, value)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        try:
            value = yield yielded
            step = steps.send
        except GeneratorExit:
            close = getattr(steps, "close", None)
            if close is not None:
                context.run(close)
            raise
        except BaseException as error:  # thrown in by the caller (a cancellation, say): passed on
            throw = getattr(steps, "throw", None)
            if throw is None:
                raise
            step, value = throw, error
