"""The fake's clock: real, frozen or virtual, applied while the fake is active and undone at stop.

Frozen: freezegun freezes what the code reads (``datetime.now``, ``time.time``, ``time.monotonic``,
...), except the two places that must keep running to finish a wait: asyncio's event loops (so
``asyncio.sleep``, ``wait_for`` and the loop's timers run on real time) and botocore's retry rate
limiter (its token bucket refills on real time in ``adaptive`` retry mode).

Virtual: frozen as well, and waiting moves the clock instead of the wall clock. ``time.sleep(s)``
returns at once and moves the clock to ``s`` after the moment it was called; an event loop with
nothing to run but its next timer moves the clock to that timer; botocore's token bucket waits by
sleeping. The clock is shared by every thread: a sleep in one thread moves it for all, and it
never goes back. Threads that were already running when virtual time began (a session's server, a
logging worker) keep real time, so their periodic waits do not race the clock ahead; a thread
running a context copied from the one that started the fake (``asyncio.to_thread``) is the fake's.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import math
import sys
import threading
import time
import weakref
from asyncio import base_events, events
from datetime import date, datetime, timedelta, timezone
from typing import Any

import freezegun
from botocore.exceptions import CapacityNotAvailableError
from botocore.retries import bucket
from freezegun.api import FrozenDateTimeFactory

from . import _wall_clock

_real_sleep = time.sleep


def _real_monotonic() -> float:
    # Read from freezegun at call time: freezegun replaces every module's copy of it while frozen.
    # (Through vars(): freezegun's type stubs declare it only from 1.5 on.)
    now: float = vars(freezegun.api)["real_monotonic"]()
    return now


_real_run_in_executor = base_events.BaseEventLoop.run_in_executor
_real_shutdown_default_executor = base_events.BaseEventLoop.shutdown_default_executor
_real_acquire = bucket.TokenBucket.acquire

# While a thread the loop waits for runs (run_in_executor, to_thread), the loop waits in real
# steps this long, and the clock moves at least as fast as the wall clock.
_EXECUTOR_STEP = 0.01

#: Clocks applied now, oldest first; the newest decides what the loop and time.sleep do.
_applied: list[Clock] = []
_lock = threading.RLock()
#: Loops that read the virtual clock, and the executor futures they wait for.
_virtual_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
_executor_futures: weakref.WeakSet[asyncio.Future[Any]] = weakref.WeakSet()
_loops_joining_threads: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
#: Loops whose thread keeps real time (see _outside).
_real_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
#: Threads running when virtual time began, other than the one that began it: they keep real time.
_outside: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
#: The clock started in this context (and the contexts copied from it).
_started_here: contextvars.ContextVar[Clock | None] = contextvars.ContextVar(
    "pytest_gluejobs_clock", default=None
)
#: (module, attribute) that held time.sleep when virtual time began, to put back.
_sleep_references: list[tuple[Any, str]] = []


def _micros(seconds: float) -> timedelta:
    # The clock counts microseconds. A wait moves it by at least one, so a wait that ends a
    # fraction of one early (float arithmetic) still makes progress on its next round.
    return timedelta(microseconds=max(1, round(seconds * 1_000_000)))


def _parse(when: str | datetime | date | timedelta) -> datetime:
    """The instant ``when`` names, as freezegun reads it (naive UTC)."""
    # Through vars(): freezegun's type stubs declare it only from 1.5 on.
    parsed: datetime = vars(freezegun.freeze_time(when))["time_to_freeze"]
    return parsed


class Clock:
    """The fake's clock; ``freeze_time()`` returns it. Its settings outlive a stop() and start().

    ``tick(delta)`` and ``move_to(when)`` move it; calling it returns the current instant (naive
    UTC, as freezegun's factories do).
    """

    def __init__(self, *, virtual: bool = False) -> None:
        self.virtual = virtual
        #: The frozen instant while not applied (None: the real clock, until frozen).
        self._when: datetime | None = None
        self._freezer: Any = None
        self._factory: FrozenDateTimeFactory | None = None
        self._active = False
        self._real_base = 0.0
        #: How far the clock moved forward since it was applied: what the event loops add to
        #: their real time (they never go back, even when the clock is moved back).
        self._moved = timedelta(0)

    # -- what a test calls -----------------------------------------------------------------------

    def __call__(self) -> datetime:
        with _lock:
            if self._factory is not None:
                return self._factory()
            if self._when is not None:
                return self._when
            return datetime.now(timezone.utc).replace(tzinfo=None)

    def tick(self, delta: timedelta | float = timedelta(seconds=1)) -> datetime:
        """Move the frozen clock on by ``delta`` (timedelta or seconds); returns the new instant."""
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        with _lock:
            if self._factory is not None:
                self._factory.tick(step)
                self._moved += max(step, timedelta(0))
            elif self._when is not None:
                self._when += step
            else:
                raise RuntimeError("tick(): the clock is not frozen; call freeze_time() first.")
            return self()

    def move_to(self, when: str | datetime | date | timedelta) -> None:
        """Move the frozen clock to ``when`` (as freeze_time() reads it)."""
        self.freeze(when)

    # -- what the controller calls ---------------------------------------------------------------

    def freeze(self, when: str | datetime | date | timedelta) -> Clock:
        """Freeze at ``when`` from now on, and again at every start."""
        instant = _parse(when)
        with _lock:
            self._when = instant
            if self._factory is not None:
                self._moved += max(instant - self._factory(), timedelta(0))
                self._factory.move_to(instant)
            elif self._active:
                self._apply()
        return self

    def start(self) -> None:
        """The fake started: put the clock in place (a real clock never frozen costs nothing)."""
        with _lock:
            self._active = True
            _started_here.set(self)
            self._apply()

    def stop(self) -> None:
        """The fake stopped: take the clock away, remembering where it stood for the next start."""
        with _lock:
            self._active = False
            self._undo()

    def _apply(self) -> None:
        if self._factory is not None or (self._when is None and not self.virtual):
            return
        if self._when is None:
            self._when = datetime.now(timezone.utc).replace(tzinfo=None)
        ignore = _wall_clock.IGNORE_VIRTUAL if self.virtual else _wall_clock.IGNORE_FROZEN
        before = _loop_times()
        self._freezer = freezegun.freeze_time(self._when, ignore=list(ignore))
        factory = self._freezer.start()
        assert isinstance(factory, FrozenDateTimeFactory)
        self._factory = factory
        self._real_base = _real_monotonic()
        self._moved = timedelta(0)
        _applied.append(self)
        _update_patches()
        _keep_timers(before)

    def _undo(self) -> None:
        if self._factory is None:
            return
        before = _loop_times()
        try:
            self._when = self._factory()
            self._factory = None
            _applied.remove(self)
            _update_patches()
        finally:
            freezer, self._freezer = self._freezer, None
            freezer.stop()
        _keep_timers(before)

    # -- what the patches call -------------------------------------------------------------------

    def loop_time(self) -> float:
        """What an event loop reads under this clock: its real time when applied, plus waits."""
        return self._real_base + self._moved.total_seconds()

    def advance_to(self, deadline: datetime) -> None:
        with _lock:
            factory = self._factory
            if factory is not None and deadline > factory():
                self._moved += deadline - factory()
                factory.move_to(deadline)

    def sleep(self, seconds: float) -> None:
        deadline = self() + _micros(seconds)
        _real_sleep(0)  # let other threads run: a polling loop must not starve what it waits for
        self.advance_to(deadline)


def _virtual() -> Clock | None:
    """The newest applied clock, if it is virtual: it decides what loops and sleeps do."""
    newest = _applied[-1:]  # read once: another thread may stop a fake meanwhile
    return newest[0] if newest and newest[0].virtual else None


def _virtual_here() -> Clock | None:
    """The virtual clock, if this thread's waits move it (not a thread that predates it)."""
    clock = _virtual()
    if clock is None or (
        threading.current_thread() in _outside and _started_here.get() is not clock
    ):
        return None
    return clock


# -- the patches --------------------------------------------------------------------------------


def _loop_time(loop: Any) -> float:
    clock = _virtual()
    if clock is None or loop in _real_loops:
        return _real_monotonic()
    if loop not in _virtual_loops:
        # Decided once per loop, by the thread that runs it (the only one that reads its time).
        if _virtual_here() is None:
            _real_loops.add(loop)
            return _real_monotonic()
        _virtual_loops.add(loop)
        # Selector and proactor loops alike wait in self._selector.select(timeout).
        selector = getattr(loop, "_selector", None)
        if hasattr(selector, "select") and not isinstance(selector, _FastForwardSelector):
            loop._selector = _FastForwardSelector(selector, loop)
    return clock.loop_time()


def _run_in_executor(loop: Any, executor: Any, func: Any, *args: Any) -> asyncio.Future[Any]:
    future: asyncio.Future[Any] = _real_run_in_executor(loop, executor, func, *args)
    _executor_futures.add(future)
    return future


async def _shutdown_default_executor(loop: Any, *args: Any, **kwargs: Any) -> None:
    # asyncio.run() ends by joining the default executor's threads in a thread of its own, with
    # a timeout (Python 3.12+): a wait for a thread like any other, not a moment to jump ahead.
    _loops_joining_threads.add(loop)
    try:
        await _real_shutdown_default_executor(loop, *args, **kwargs)
    finally:
        _loops_joining_threads.discard(loop)


def _waits_for_a_thread(loop: Any) -> bool:
    return loop in _loops_joining_threads or any(
        not f.done() and f.get_loop() is loop for f in list(_executor_futures)
    )


class _FastForwardSelector:
    """An event loop's selector under virtual time: with nothing ready, jump to the next timer."""

    def __init__(self, selector: Any, loop: Any) -> None:
        self.wrapped = selector
        self._loop = weakref.ref(loop)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)

    def select(self, timeout: float | None = None) -> Any:
        clock = _virtual()
        if clock is None or timeout is None or timeout <= 0:
            return self.wrapped.select(timeout)
        ready = self.wrapped.select(0)
        if ready:
            return ready
        start = clock()
        if _waits_for_a_thread(self._loop()):
            # A thread may yet finish (or sleep and move the clock): wait for it in real steps.
            step = min(timeout, _EXECUTOR_STEP)
            ready = self.wrapped.select(step)
            if not ready:
                clock.advance_to(start + _micros(step))
            return ready
        clock.advance_to(start + _micros(timeout))
        return []


def _loop_times() -> dict[Any, float]:
    return {loop: _loop_time(loop) for loop in list(_virtual_loops)}


def _keep_timers(before: dict[Any, float]) -> None:
    """Keep each loop's pending timers as far away as they were before its time source changed."""
    for loop, then in before.items():
        _shift_timers(loop, _loop_time(loop) - then)


def _shift_timers(loop: Any, delta: float) -> None:
    scheduled = getattr(loop, "_scheduled", None)
    if not delta or not scheduled:
        return
    handles = list(scheduled)

    def shift() -> None:
        for handle in handles:
            handle._when += delta
        heapq.heapify(scheduled)

    if loop.is_running() and events._get_running_loop() is not loop:
        loop.call_soon_threadsafe(shift)
    else:
        shift()


def _sleep(seconds: Any) -> None:
    clock = _virtual_here()
    if clock is None or not isinstance(seconds, (int, float)) or not 0 < seconds < math.inf:
        return _real_sleep(seconds)
    if _wall_clock.sleeps_on_the_wall_clock(1):  # a subprocess's wait for its child
        return _real_sleep(seconds)
    clock.sleep(seconds)


def _acquire(token_bucket: Any, amount: int = 1, block: bool = True) -> bool:
    clock = _virtual_here()
    if clock is None or not block:
        result: bool = _real_acquire(token_bucket, amount, block)
        return result
    while True:  # botocore waits for its tokens on a condition; here it sleeps (virtually) instead
        try:
            return bool(_real_acquire(token_bucket, amount, block=False))
        except CapacityNotAvailableError:
            missing = amount - token_bucket.available_capacity
            clock.sleep(max(missing / token_bucket.max_rate, 0.0))


_LOOP_PATCHES: dict[str, Any] = {
    "time": _loop_time,
    "run_in_executor": _run_in_executor,
    "shutdown_default_executor": _shutdown_default_executor,
}
_LOOP_ORIGINALS = {name: base_events.BaseEventLoop.__dict__[name] for name in _LOOP_PATCHES}


def _update_patches() -> None:
    """Patch what the applied clocks need, and put back what none of them needs any more."""
    virtual = _virtual() is not None
    if virtual and not _sleep_references:
        here = threading.current_thread()
        _outside.update(thread for thread in threading.enumerate() if thread is not here)
        bucket.TokenBucket.acquire = _acquire
        # freezegun's factory of the virtual clock, and whether this thread's waits move it.
        _wall_clock.install(
            lambda: getattr(_virtual(), "_factory", None), lambda: _virtual_here() is not None
        )
        _sleep_references.append((time, "sleep"))
        for module, name in _references_to(_real_sleep):
            _sleep_references.append((module, name))
        for owner, name in _sleep_references:
            setattr(owner, name, _sleep)
    elif not virtual and _sleep_references:
        bucket.TokenBucket.acquire = _real_acquire
        _wall_clock.uninstall()
        for owner, name in _sleep_references:
            setattr(owner, name, _real_sleep)
        _sleep_references.clear()
        # Modules imported meanwhile copied the virtual sleep (from time import sleep).
        for module, name in _references_to(_sleep):
            setattr(module, name, _real_sleep)
        for loop in list(_virtual_loops):
            selector = getattr(loop, "_selector", None)
            if isinstance(selector, _FastForwardSelector):
                loop._selector = selector.wrapped  # type: ignore[attr-defined]
        _virtual_loops.clear()
        _real_loops.clear()
        _outside.clear()
    for name, function in (_LOOP_PATCHES if _applied else _LOOP_ORIGINALS).items():
        setattr(base_events.BaseEventLoop, name, function)


def _references_to(function: Any) -> list[tuple[Any, str]]:
    """(module, name) of every module global other than this module's that holds ``function``."""
    own = sys.modules[__name__]
    return [
        (module, name)
        for module in list(sys.modules.values())
        if module is not own and module is not time
        for name, value in list(getattr(module, "__dict__", {}).items())
        if value is function
    ]
