"""Turning the fake on and off: the registry of active fakes, the guard, and the patches they need.

Patches are in place while a fake is active, the guard is on, or a thread or task started under a
fake still runs (``outliving``: its requests are refused, not sent), and gone otherwise:
botocore's transport, signer, client creation and configured endpoint, moto's request hook,
aiobotocore's transport, signer and session, and ``threading.Thread.start``. Modules imported
later (moto, aiobotocore) are patched when they are imported, through post-import hooks. A hook
fires once; a module dropped from ``sys.modules`` and imported again (pytester restores
``sys.modules`` after an in-process run) is a new module, so every activation arms a hook again
for each such module that is not imported now.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping

import wrapt

from . import aiobotocore_transport as _aiobotocore_transport
from . import botocore_transport as _botocore_transport
from . import child_endpoint as _child_endpoint
from . import client_creation as _client_creation
from . import guard as _guard
from . import interceptor as _interceptor
from . import moto_compat as _moto_compat
from . import outliving as _outliving
from . import registry as _registry
from . import signing as _signing

_lock = threading.RLock()
_installed = False
#: Modules whose post-import hook is registered and has not fired yet.
_armed: set[str] = set()

#: Modules whose import may need a patch, and the installer that patches them.
_LATE_IMPORTS = {
    "moto.core.botocore_stubber": _moto_compat.install,
    "aiobotocore.endpoint": _aiobotocore_transport.install,
    "aiobotocore.signers": _signing.install,
    "aiobotocore.session": _client_creation.install,
}


def _on_import(module: object) -> None:
    name = getattr(module, "__name__", "")
    with _lock:
        _armed.discard(name)
        if _installed:
            _LATE_IMPORTS[name]()


def _arm_hooks() -> None:
    for name in _LATE_IMPORTS:
        if name not in _armed and name not in sys.modules:
            _armed.add(name)
            wrapt.register_post_import_hook(_on_import, name)


def _install() -> None:
    global _installed
    _arm_hooks()
    if _installed:
        return
    _installed = True
    _botocore_transport.install()
    _child_endpoint.install()
    _signing.install()
    _client_creation.install()
    _moto_compat.install()
    _aiobotocore_transport.install()
    _outliving.install(_release)


def _uninstall() -> None:
    global _installed
    if (
        _installed
        and not _registry.active_owners()
        and not _guard.is_on()
        and not _outliving.holding()
    ):
        _installed = False
        _botocore_transport.uninstall()
        _child_endpoint.uninstall()
        _signing.uninstall()
        _client_creation.uninstall()
        _moto_compat.uninstall()
        _aiobotocore_transport.uninstall()
        _outliving.uninstall()


def _release() -> None:
    with _lock:
        _uninstall()


def activate(
    owner: object, interceptor: _interceptor.Interceptor, environ: Mapping[str, str | None]
) -> None:
    """Make ``owner``'s ``interceptor`` answer this context's Glue requests until ``deactivate``.

    ``environ`` is applied to ``os.environ`` (None: removed) and restored by ``deactivate``.
    """
    with _lock:
        _registry.activate(owner, interceptor, environ, _guard.current_test)
        _install()


def deactivate(owner: object) -> None:
    """Undo ``activate``; the last one out removes the patches (unless still needed)."""
    with _lock:
        _outliving.hold_tasks_of(owner)
        _registry.deactivate(owner)
        _uninstall()


def is_active(owner: object) -> bool:
    return _registry.is_active(owner)


def active_owners() -> list[object]:
    """The owners of the active fakes, in the order they started."""
    return _registry.active_owners()


def owners_here() -> list[object]:
    """The owners of the fakes activated in this context (thread, task), oldest first."""
    return _registry.owners_here()


def turn_guard_on() -> None:
    with _lock:
        _guard.turn_on()
        _install()


def turn_guard_off() -> None:
    with _lock:
        _guard.turn_off()
        _uninstall()


def is_patched() -> bool:
    """Whether botocore's transport is patched right now (for tests of teardown)."""
    return _botocore_transport.is_installed()
