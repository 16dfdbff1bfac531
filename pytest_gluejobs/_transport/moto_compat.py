"""Side by side with moto: while a Glue fake is active, moto answers every service but Glue.

moto answers requests from a botocore ``before-send`` handler, which runs before
``Endpoint._send`` and so would hide Glue requests from the fake. While a fake is active, moto's
handler is told to let Glue requests through; with no fake active (the guard alone keeps the
patches in place), moto answers Glue as it would without pytest-gluejobs. Nothing happens until
moto is imported; ``install`` is called again when it is (a post-import hook), so moto imported
inside a test is covered too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from . import logs_transport as _logs
from . import registry as _registry

_patched: list[tuple[Any, Any]] = []


def _a_fake_answers() -> bool:
    try:
        return _registry.current() is not None
    except _registry.AmbiguousGlueFake:
        return True  # the transport refuses the request, saying why


def _skipping_glue(original: Callable[..., Any]) -> Callable[..., Any]:
    # A plain function, not a wrapt wrapper: it runs on every request of every client while a fake
    # is active, and binding it as a method costs a third of what binding a wrapper does.
    def __call__(self: Any, *args: Any, **kwargs: Any) -> Any:
        event_name = args[0] if args else kwargs.get("event_name", "")
        if (
            isinstance(event_name, str)
            and event_name.startswith("before-send.glue.")
            and _a_fake_answers()
        ):
            return None
        if _logs.is_glue_log_read(event_name, args[1] if len(args) > 1 else kwargs.get("request")):
            return None
        return original(self, *args, **kwargs)

    return __call__


def install() -> None:
    module = sys.modules.get("moto.core.botocore_stubber")
    stubber_class = getattr(module, "BotocoreStubber", None)
    # Per class: the module imported now may be a new one, not the one patched before.
    if stubber_class is None or any(patched is stubber_class for patched, _ in _patched):
        return
    original = stubber_class.__dict__["__call__"]
    stubber_class.__call__ = _skipping_glue(original)
    _patched.append((stubber_class, original))


def uninstall() -> None:
    while _patched:
        stubber_class, original = _patched.pop()
        stubber_class.__call__ = original
