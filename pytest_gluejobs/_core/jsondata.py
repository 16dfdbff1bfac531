"""JSON data in the fake: decoding request bodies; copying what the fake stores and hands out."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import GlueError

T = TypeVar("T")


def clone(value: T) -> T:
    """A deep copy of JSON-like data; much cheaper than ``copy.deepcopy`` for this shape of data.

    Scalars (str, numbers, bool, None, datetime) are immutable and shared; containers are rebuilt.
    """
    return _clone(value)  # type: ignore[no-any-return]


def _clone(value: Any) -> Any:
    if type(value) is dict:
        return {k: _clone(v) for k, v in value.items()}
    if type(value) is list:
        return [_clone(v) for v in value]
    return value


#: The C scanner behind json.loads, called directly: it skips two whitespace scans and a frame.
_SCAN: Callable[[str, int], tuple[object, int]]
_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def decode_body(body: object) -> object:
    """A request body as JSON data; an empty body is ``{}``. Raises SerializationException."""
    if type(body) is bytes and body:
        # botocore sends compact JSON, which the scanner takes whole without json.loads's two
        # whitespace scans (a quarter of its cost). Anything else goes the long way below.
        try:
            text = body.decode("utf-8")
            value, end = _SCAN(text, 0)
        except (StopIteration, ValueError, RecursionError):
            pass
        else:
            if end == len(text):
                return value
    if body is None or body == b"" or body == "":
        return {}
    if hasattr(body, "read"):
        raise GlueError("SerializationException", "Request body must be a JSON document.")
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        return json.loads(text)
    except (ValueError, RecursionError):
        raise GlueError(
            "SerializationException", "Request body is not a valid JSON document."
        ) from None
