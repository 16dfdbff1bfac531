"""Threads and asyncio tasks that outlive the Glue fake they were started under: never to AWS.

Code under test often leaves work running in the background: a log reader's thread, an executor's
worker, a task nobody awaited. Once its fake stops, its next Glue request (or read of one of
Glue's log groups) would go to AWS. So such a thread or task is known: a task (or any copied
context) holds the fake's activation record (``registry``); a thread started with
``threading.Thread.start`` while a fake is active is marked when it starts. A request from either,
made when no fake is active, is refused (``RealGlueBlocked``) before anything is sent.

For the refusal to happen, the transport's patches must still be in place: they stay while a
marked thread runs, and while a task that was pending in the fake's event loop when it stopped has
not finished. The last of them to end calls the ``release`` that ``install`` was given, which
removes the patches if nothing else needs them.
"""

from __future__ import annotations

import contextvars
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

import wrapt

from . import guard as _guard
from . import registry as _registry
from .errors import RealGlueBlocked

#: The tests (None: outside one) whose fakes were active when this thread was started.
_started_under: contextvars.ContextVar[tuple[str | None, ...]] = contextvars.ContextVar(
    "pytest_gluejobs_started_under", default=()
)
#: The fake's own threads answer requests (the loopback endpoint); they make none.
_OWN_THREADS = "pytest-gluejobs "
_lock = threading.Lock()
#: Marked threads running, and pending tasks held, since their fake stopped or before.
_holding = 0
_original_start: Any = None
#: Called when the last thread or task held ends (``install`` is given it).
_release: Callable[[], None] | None = None


def holding() -> bool:
    """Whether a thread or task started under a fake may still make a request."""
    return _holding > 0


def _hold() -> None:
    global _holding
    with _lock:
        _holding += 1


def _let_go(*_: object) -> None:
    global _holding
    with _lock:
        _holding -= 1
        last = _holding == 0
    if last and _release is not None:
        _release()


def _start(wrapped: Any, instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    thread = instance if instance is not None else (args[0] if args else None)
    if (
        not _registry.any_active()
        or not isinstance(thread, threading.Thread)
        or thread.ident is not None  # started already: start raises as it would
        or thread.name.startswith(_OWN_THREADS)
    ):
        return wrapped(*args, **kwargs)
    under = (_guard.current_test,)
    run = thread.run

    def run_marked() -> None:
        _started_under.set(under)
        try:
            run()
        finally:
            thread.__dict__.pop("run", None)  # the closure refers to the thread
            _let_go()

    try:
        # An attribute of the instance: it wins over a subclass's own ``run``, which it calls.
        thread.run = run_marked  # type: ignore[method-assign]
    except (AttributeError, TypeError):  # a subclass that forbids it: started unmarked
        return wrapped(*args, **kwargs)
    _hold()
    try:
        return wrapped(*args, **kwargs)
    except BaseException:  # no thread to be had: nothing will run
        thread.__dict__.pop("run", None)
        _let_go()
        raise


def hold_tasks_of(owner: object) -> None:
    """Before ``owner``'s fake stops inside an event loop: hold the tasks that may outlive it."""
    asyncio = sys.modules.get("asyncio")  # not imported: no event loop runs
    if asyncio is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    current = asyncio.current_task(loop)
    for task in asyncio.all_tasks(loop):
        if task is current or task.done():
            continue
        # Python 3.12 shows a task's context; before it, any pending task may hold the record.
        context = getattr(task, "get_context", None)
        if context is not None and not _registry.holds(context(), owner):
            continue
        _hold()
        let_go = _Once()
        task.add_done_callback(let_go)
        # A task dropped unfinished (its loop closed without cancelling it) never runs again.
        weakref.finalize(task, let_go)


class _Once:
    """Lets go of one held task, when it finishes or is dropped, whichever comes first."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = False

    def __call__(self, *_: object) -> None:
        with _lock:
            if self.done:
                return
            self.done = True
        _let_go()


def refusal(what: str) -> RealGlueBlocked | None:
    """The error for a request (``what``: "a Glue GetJobRun request", ...) made while no fake is
    active, if it comes from a thread or task started under a fake; None lets it go on."""
    tests = _registry.stopped_fakes_held() or _started_under.get()
    if not tests:
        return None
    return RealGlueBlocked(
        f"pytest-gluejobs refused {what} from {_who()}: it was started while a Glue fake "
        f"was active ({_where(tests[-1])}), and that fake has stopped. Nothing was sent to AWS. "
        "Stop the thread or task, or wait for it to finish, before the fake stops (before the "
        "test ends): join it, cancel it, or use the library's own way of waiting for its "
        "background readers; or give it a fake of its own (`with mock_glue_jobs():` inside it)."
    )


def could_refuse() -> bool:
    """Whether ``refusal`` may return an error here (cheap: no message is built)."""
    return bool(_registry.stopped_fakes_held() or _started_under.get())


def _who() -> str:
    who = f"thread {threading.current_thread().name!r}"
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # no event loop runs in this thread
            task = None
        if task is not None:
            who = f"asyncio task {task.get_name()!r} in {who}"
    return who


def _where(test: str | None) -> str:
    return f"in test {test}" if test else "outside any test"


def install(release: Callable[[], None]) -> None:
    """Mark the threads started from now on while a fake is active; ``release`` is called when
    the last thread or task held ends."""
    global _original_start, _release
    _release = release
    if _original_start is None:
        _original_start = threading.Thread.__dict__["start"]
        threading.Thread.start = wrapt.FunctionWrapper(  # type: ignore[method-assign]
            _original_start, _start
        )


def uninstall() -> None:
    global _original_start
    if _original_start is not None:
        threading.Thread.start = _original_start  # type: ignore[method-assign]
        _original_start = None
