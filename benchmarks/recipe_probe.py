"""The recipe benchmark's pytest plugin: each test's phase times and the waits virtual time skipped.

``benchmarks/recipes.py`` loads it into the pytest run of an orchestrator's recipes
(``-p recipe_probe``, with ``benchmarks/`` on the path) and reads what it writes to the file named
by the ``GLUEJOBS_RECIPE_PROBE`` environment variable: per test, the outcome and the wall time of
its set-up, call and teardown (pytest's own durations, which read the real clock), how many
seconds virtual time moved the fake's clock for waits during the call, and how many seconds of
waits the test's own thread asked for (fewer, when threads the test started waited too and raced
ahead of it); with it, the versions of the packages that were measured.

A wait skipped by virtual time moves the clock in ``Clock.advance_to``: a ``time.sleep`` (and
botocore's retry token bucket) through ``Clock.sleep``, an idle event loop through its selector.
One case is not skipped: while a loop waits for a thread, it waits in real steps and moves the
clock along with them, which the real wall time already counts. This reads pytest-gluejobs's
internals on purpose; it is a benchmark, not a user.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import threading
from collections.abc import Generator
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from pytest_gluejobs import _clock

OUTPUT_VARIABLE = "GLUEJOBS_RECIPE_PROBE"
PACKAGES = [
    "pytest",
    "botocore",
    "moto",
    "apache-airflow",
    "apache-airflow-providers-amazon",
    "dagster",
    "dagster-aws",
    "prefect",
    "prefect-aws",
]

_lock = threading.Lock()
#: Seconds the clock moved for waits, and seconds of waits the test's own thread asked for.
_skipped = 0.0
_own = 0.0
#: The thread running the current test's call phase.
_test_thread: int | None = None
#: Per thread: the seconds a sleep asked for, while it runs; whether its event loop is waiting in
#: real steps for another thread.
_waiting = threading.local()
_tests: dict[str, dict[str, Any]] = {}

_advance_to = _clock.Clock.advance_to
_sleep = _clock.Clock.sleep
_select = _clock._FastForwardSelector.select


def _counting_advance_to(self: _clock.Clock, deadline: datetime) -> None:
    global _skipped, _own
    with _clock._lock:
        if self._factory is None:  # not applied: nothing moves
            return _advance_to(self, deadline)
        before = self()
        _advance_to(self, deadline)
        moved = (self() - before).total_seconds()
    if getattr(_waiting, "real_step", False):
        return None
    asked = getattr(_waiting, "asked", None)
    if asked is None:
        asked = max((deadline - before).total_seconds(), 0.0)
    with _lock:
        _skipped += moved
        if threading.get_ident() == _test_thread:
            _own += asked
    return None


def _asking_sleep(self: _clock.Clock, seconds: float) -> None:
    # The sleep's own length: another thread may move the clock before it advances.
    _waiting.asked = seconds
    try:
        _sleep(self, seconds)
    finally:
        _waiting.asked = None


def _marking_select(self: _clock._FastForwardSelector, timeout: float | None = None) -> Any:
    _waiting.real_step = _clock._waits_for_a_thread(self._loop())
    try:
        return _select(self, timeout)
    finally:
        _waiting.real_step = False


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(OUTPUT_VARIABLE):
        raise pytest.UsageError(
            f"recipe_probe writes its figures to the file named by ${OUTPUT_VARIABLE}; "
            "it is loaded by benchmarks/recipes.py, which sets it"
        )
    _clock.Clock.advance_to = _counting_advance_to  # type: ignore[method-assign]
    _clock.Clock.sleep = _asking_sleep  # type: ignore[method-assign]
    _clock._FastForwardSelector.select = _marking_select  # type: ignore[method-assign]


def pytest_unconfigure(config: pytest.Config) -> None:
    _clock.Clock.advance_to = _advance_to  # type: ignore[method-assign]
    _clock.Clock.sleep = _sleep  # type: ignore[method-assign]
    _clock._FastForwardSelector.select = _select  # type: ignore[method-assign]


def _waited() -> tuple[float, float]:
    with _lock:
        return _skipped, _own


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    global _test_thread
    _test_thread = threading.get_ident()
    skipped, own = _waited()
    try:
        return (yield)
    finally:
        _test_thread = None
        skipped_after, own_after = _waited()
        entry = _tests.setdefault(item.nodeid, {})
        entry["call_skipped"] = skipped_after - skipped
        entry["call_own_waits"] = own_after - own


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    entry = _tests.setdefault(report.nodeid, {})
    entry[report.when] = report.duration
    if report.outcome != "passed" and entry.get("outcome", "passed") == "passed":
        failed_around = report.outcome == "failed" and report.when != "call"
        entry["outcome"] = "error" if failed_around else report.outcome
    elif report.when == "call":
        entry.setdefault("outcome", "passed")
    if report.outcome == "skipped" and isinstance(report.longrepr, tuple):
        entry["reason"] = str(report.longrepr[2])


def pytest_collectreport(report: pytest.CollectReport) -> None:
    # A module skipped as a whole (importorskip) is a collection report, not a test's.
    if report.outcome == "skipped" and isinstance(report.longrepr, tuple):
        _tests.setdefault(report.nodeid, {"outcome": "skipped", "reason": str(report.longrepr[2])})


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import pytest_gluejobs

    result = {
        "exitstatus": int(exitstatus),
        "pytest_gluejobs": str(Path(pytest_gluejobs.__file__).resolve().parent),
        "versions": _versions(),
        "tests": _tests,
    }
    Path(os.environ[OUTPUT_VARIABLE]).write_text(json.dumps(result, indent=1), encoding="utf-8")
