"""The one registry of active fakes: which fake answers a request made here and now.

A fake is activated in a context — a thread, an asyncio task, or the private copy of its caller's
context a decorated call runs in — and answers the requests made in that context and in the
contexts copied from it (the tasks it creates, ``asyncio.to_thread``). Nested fakes in one context
form a stack: the newest answers. A context that activated no fake of its own, such as a thread the
code under test started with ``threading.Thread`` or an executor, is answered by the fake active
in the process — if that is unambiguous: when every active fake was activated along one chain of
nesting, the innermost answers; when fakes are active side by side (in two threads, or two tasks
under ``asyncio.gather``), a request from such a context is refused with ``AmbiguousGlueFake``
and nothing is sent. Never to AWS, never silently to the wrong fake. A context that still holds
the record of a fake that stopped (a task that outlived it) is known as such: see ``outliving``.

Activation also changes ``os.environ`` (test credentials, the fake's endpoint), which is one per
process: the registry applies a fake's changes when it starts and restores them exactly when it
stops, in whatever order the fakes stop.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Mapping
from typing import Any, Protocol

from . import environment as _environment


class Answerer(Protocol):
    """What answers a fake's requests (the interceptor)."""

    real_retry_sleep: bool

    def respond(self, endpoint: Any, request: Any, build: Any) -> Any: ...


class AmbiguousGlueFake(RuntimeError):
    """A request came from a context with no fake of its own while fakes are active side by side."""


class _Activation:
    """One fake's activation. ``answerer`` is None once it stopped, so that a context that still
    holds the record (a task that outlived the fake) holds nothing of the fake's."""

    __slots__ = ("answerer", "applied_environ", "around", "owner", "saved_environ", "test")

    def __init__(self, owner: object, answerer: Answerer, test: str | None) -> None:
        self.owner: object = owner
        self.answerer: Answerer | None = answerer
        #: The test (node id) it was activated in, named when a task that outlived it is refused.
        self.test = test
        #: The activations this one is nested in, in its context, outermost first.
        self.around: tuple[_Activation, ...] = ()
        self.saved_environ: dict[str, str | None] = {}
        self.applied_environ: dict[str, str | None] = {}


#: The activations made in this context (and the ones it was copied from), oldest first.
_bound: contextvars.ContextVar[tuple[_Activation, ...]] = contextvars.ContextVar(
    "pytest_gluejobs_active_fakes", default=()
)
#: Every active activation in the process, in the order they started.
_active: list[_Activation] = []
#: Who answers a context that activated nothing: None, an answerer, or _AMBIGUOUS.
_fallback: Any = None
_AMBIGUOUS = object()
_lock = threading.RLock()


def current() -> Answerer | None:
    """The fake that answers a request made now, or None; AmbiguousGlueFake if none can tell."""
    bound = _bound.get()
    if bound:
        answerer = bound[-1].answerer
        if answerer is not None:
            return answerer
        for activation in reversed(bound):
            if activation.answerer is not None:
                return activation.answerer
    fallback = _fallback
    if fallback is _AMBIGUOUS:
        raise AmbiguousGlueFake(_ambiguity())
    return fallback  # type: ignore[no-any-return]


def current_or_none() -> Answerer | None:
    """Like ``current``, but None where it would refuse."""
    try:
        return current()
    except AmbiguousGlueFake:
        return None


def activate(
    owner: object,
    answerer: Answerer,
    environ: Mapping[str, str | None],
    test: str | None = None,
) -> None:
    """Make ``owner``'s ``answerer`` answer this context's requests (RuntimeError if it is already).

    ``environ`` is applied to ``os.environ`` (a value of None removes the variable); ``test`` is
    the running test's node id, if any.
    """
    global _fallback
    with _lock:
        if any(activation.owner is owner for activation in _active):
            raise RuntimeError(
                "This Glue fake is already active. Activate it once: use the glue_jobs fixture "
                "or one `with mock_glue_jobs()` block, not both for the same fake."
            )
        activation = _Activation(owner, answerer, test)
        activation.around = tuple(a for a in _bound.get() if a.answerer is not None)
        activation.saved_environ = _environment.read(environ)
        activation.applied_environ = dict(environ)
        _environment.apply(environ, activation.saved_environ)
        _active.append(activation)
        _bound.set((*activation.around, activation))
        _fallback = _newest_chain_or_ambiguous()


def deactivate(owner: object) -> bool:
    """Undo ``activate`` for ``owner`` (from any context); whether it was active."""
    global _fallback
    with _lock:
        index = next((i for i, a in enumerate(_active) if a.owner is owner), None)
        if index is None:
            return False
        activation = _active.pop(index)
        # A context that outlives the fake (a task it started) may still hold the record.
        activation.answerer = activation.owner = None
        activation.around = ()
        if index < len(_active):
            # Stopped before a fake started after it, which saved this one's values: that one
            # restores what this one saved instead; until then the environment stays as it is.
            later = _active[index]
            later.saved_environ = {**later.saved_environ, **activation.saved_environ}
        else:
            _environment.restore(activation.saved_environ)
        bound = _bound.get()
        if activation in bound:
            _bound.set(tuple(a for a in bound if a.answerer is not None))
        _fallback = _newest_chain_or_ambiguous()
        return True


def active_owners() -> list[object]:
    """The owners of the active fakes, in the order they started."""
    with _lock:
        return [activation.owner for activation in _active]


def owners_here() -> list[object]:
    """The owners of the active fakes activated in this context, in the order they started."""
    return [a.owner for a in _bound.get() if a.answerer is not None]


def applied_values(key: str) -> frozenset[str | None]:
    """The values the active fakes gave environment variable ``key`` (none: an empty set)."""
    return frozenset(a.applied_environ[key] for a in _active if key in a.applied_environ)


def any_active() -> bool:
    return bool(_active)


def stopped_fakes_held() -> tuple[str | None, ...]:
    """The tests (None: outside one) of the stopped fakes this context still holds the record of.

    Not empty in a task or copied context that outlived the fake it was made under.
    """
    return tuple(a.test for a in _bound.get() if a.answerer is None)


def holds(context: contextvars.Context, owner: object) -> bool:
    """Whether ``context`` holds the record of ``owner``'s activation."""
    return any(a.owner is owner for a in context.get(_bound, ()))


def is_active(owner: object) -> bool:
    return any(activation.owner is owner for activation in _active)


def _newest_chain_or_ambiguous() -> Any:
    if not _active:
        return None
    newest = _active[-1]
    # Every active fake is nested around the newest one: a context of its own would see it too.
    if all(activation is newest or activation in newest.around for activation in _active):
        return newest.answerer
    return _AMBIGUOUS


def _ambiguity() -> str:
    with _lock:
        count = len(_active)
    thread = threading.current_thread().name
    return (
        f"pytest-gluejobs cannot tell which Glue fake should answer a request from thread "
        f"{thread!r}: {count} fakes are active side by side (in other threads or asyncio tasks) "
        "and this thread or task activated none of its own. Nothing was sent to AWS. Run the "
        "code in a context copied from the one whose fake should answer "
        "(`asyncio.to_thread`, `contextvars.copy_context().run`, or "
        "`threading.Thread(target=contextvars.copy_context().run, args=(work,))`), or activate "
        "a fake inside the thread itself."
    )
