"""mock_glue_jobs: the fake without pytest — a context manager and a decorator."""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar, overload

from ._core.store import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from ._core.versions import DEFAULT_GLUE_VERSION
from ._fake import GlueJobsFake

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type[unittest.TestCase])


class mock_glue_jobs:
    """Activate a fresh Glue fake for a block, a function or every test of a ``TestCase``.

    ``with mock_glue_jobs() as fake:`` (or ``async with``) gives the GlueJobsFake. As a decorator on
    a function or an ``async def`` the fake is active while it runs; on a ``unittest.TestCase``
    class it is active from ``setUp`` to the last cleanup of each test and is available as
    ``self.glue_jobs``. Generator functions are refused: their body runs after the call returns.
    """

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
        default_glue_version: str = DEFAULT_GLUE_VERSION,
        extra_glue_versions: tuple[str, ...] | list[str] = (),
        real_retry_sleep: bool = False,
        virtual_time: bool = False,
    ) -> None:
        self._options: dict[str, Any] = {
            "region": region,
            "account_id": account_id,
            "default_glue_version": default_glue_version,
            "extra_glue_versions": extra_glue_versions,
            "real_retry_sleep": real_retry_sleep,
            "virtual_time": virtual_time,
        }
        self._active: list[GlueJobsFake] = []

    def _new_fake(self) -> GlueJobsFake:
        return GlueJobsFake(**self._options)

    def __enter__(self) -> GlueJobsFake:
        fake = self._new_fake().start()
        self._active.append(fake)
        return fake

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._active.pop().stop()

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
        if inspect.isgeneratorfunction(target) or inspect.isasyncgenfunction(target):
            # The body of a generator runs when it is iterated, after the decorated call returned
            # and the fake stopped: it would talk to real AWS.
            raise TypeError(
                f"mock_glue_jobs cannot decorate the generator function {target.__qualname__}: "
                "its body runs after the call returns, when the fake is no longer active. Use "
                "`with mock_glue_jobs() as fake:` inside it, around the code that calls Glue."
            )
        if inspect.iscoroutinefunction(target):

            @functools.wraps(target)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self._new_fake():
                    return await target(*args, **kwargs)

            return async_wrapper

        @functools.wraps(target)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._new_fake():
                return target(*args, **kwargs)

        return wrapper

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
