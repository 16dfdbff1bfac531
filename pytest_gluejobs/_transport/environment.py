"""Reading, changing and restoring the process environment for a fake, at a cost that stays small.

A fake sets or removes thirteen variables when it starts and puts them back when it stops, and
most of them are unset before it starts. Asking ``os.environ`` for an unset variable raises and
catches a KeyError inside ``os``, which made these lookups a third of a fake's set-up and
teardown. So whether a variable is set is read from the mapping ``os.environ`` keeps of the
process environment (its ``_data``, keyed as ``encodekey`` encodes names), and every change goes
through ``os.environ`` itself, which keeps the process environment that child processes inherit
in step (``putenv``, ``unsetenv``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

#: Names as ``os.environ`` stores them (bytes on POSIX, upper case on Windows), per name.
_encoded: dict[str, Any] = {}


def _is_set(environ: Any, key: str) -> bool:
    data = getattr(environ, "_data", None)
    if data is None:  # os.environ replaced by a plain mapping, as a test may do
        return key in environ
    encoded = _encoded.get(key)
    if encoded is None:
        encoded = _encoded[key] = environ.encodekey(key)
    return encoded in data


def read(keys: Iterable[str]) -> dict[str, str | None]:
    """The value of each of ``keys`` in ``os.environ`` now; None where it is not set."""
    environ: Any = os.environ
    return {key: environ[key] if _is_set(environ, key) else None for key in keys}


def apply(values: Mapping[str, str | None], now: Mapping[str, str | None]) -> None:
    """Give each of ``values`` to ``os.environ`` (None: unset), writing only what differs from
    ``now``, the values read before: each write costs a ``putenv`` or an ``unsetenv``."""
    for key, value in values.items():
        if value != now[key]:
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value


def restore(values: Mapping[str, str | None]) -> None:
    """Put ``values`` back in ``os.environ`` (None: unset), whatever was written since."""
    environ: Any = os.environ
    for key, value in values.items():
        if value is not None:
            environ[key] = value
        elif _is_set(environ, key):
            del environ[key]
