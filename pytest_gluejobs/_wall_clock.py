"""What keeps the wall clock while the fake's clock is frozen or virtual: the code that must not
wait on it (pytest's own timing, botocore's rate limiter) and, under virtual time, the modules
whose timeouts are real ones (a subprocess's, a thread's, a queue's)."""

from __future__ import annotations

import sys
from collections.abc import Callable

import freezegun
import freezegun.api
import freezegun.config

#: Modules that read the real time under a frozen clock (as freezegun's ``ignore``): pytest's own
#: clock (test durations), and botocore's retry rate limiter, whose token bucket must refill.
#: And queue, whose waits with a timeout are the wall clock's: freezegun before 1.5 ignores
#: "Queue" (Python 2's name) instead, so Queue.get(timeout=...) under its freeze never ends.
IGNORE_FROZEN = ["_pytest.timing", "botocore.retries", "queue"]
#: The same under virtual time, where botocore's limiter waits on the fake's clock instead, and
#: waits with a timeout inside a subprocess or concurrent.futures.as_completed stay real.
IGNORE_VIRTUAL = ["_pytest.timing", "queue", "subprocess", "concurrent.futures"]
#: Under virtual time these read (and sleep on) the wall clock, besides freezegun's own list
#: (threading, queue, multiprocessing, ...).
_WALL_CLOCK_MODULES = (*IGNORE_VIRTUAL, *freezegun.config.DEFAULT_IGNORE_LIST)
#: freezegun's own answer to "does this read get the real time?". It looks five frames up for an
#: ignored module, so a thread's own code (called from threading) would read the wall clock while
#: its sleeps move the fake's clock: a loop waiting for a time.monotonic() deadline would spin.
#: None if a freezegun release renamed it: its own rule then stays, as before this module.
freezegun_reads_real_time = vars(freezegun.api).get("_should_use_real_time")


def called_from_wall_clock_module(
    depth: int, modules: tuple[str, ...] = _WALL_CLOCK_MODULES
) -> bool:
    """Whether the code ``depth`` frames above this call is in one of ``modules``.

    Only that code decides: the module reading the time (or sleeping), not what called it.
    """
    name = sys._getframe(depth + 1).f_globals.get("__name__")
    return isinstance(name, str) and name.startswith(modules)


def sleeps_on_the_wall_clock(depth: int) -> bool:
    """Whether the code ``depth`` frames above this call sleeps until a wall-clock deadline.

    Only subprocess does (waiting for a child with a timeout); a thread's or a pool's target that
    is time.sleep itself is the test's sleep, so threading and concurrent.futures are not here.
    """
    return called_from_wall_clock_module(depth + 1, ("subprocess",))


def install(freezer: Callable[[], object], follows_the_clock: Callable[[], bool]) -> None:
    """Virtual time is on: answer freezegun's question ourselves while its freeze is ``freezer()``.

    A thread whose waits do not move the clock (``follows_the_clock()`` false: it predates the
    fake) reads the real time; others read the fake's, unless the code reading the time is in a
    module that keeps the wall clock. Inside someone else's freezegun freeze, freezegun's rule.
    """
    rule = freezegun_reads_real_time
    if rule is None:
        return

    def reads_real_time() -> bool:
        factories = vars(freezegun.api)["freeze_factories"]
        if not factories or factories[-1] is not freezer():
            return bool(rule())
        # Frames up: freezegun's fake_time (or fake_monotonic, ...), then the code reading it.
        return not follows_the_clock() or called_from_wall_clock_module(2)

    vars(freezegun.api)["_should_use_real_time"] = reads_real_time


def uninstall() -> None:
    """Give freezegun its own rule back."""
    if freezegun_reads_real_time is not None:
        vars(freezegun.api)["_should_use_real_time"] = freezegun_reads_real_time
