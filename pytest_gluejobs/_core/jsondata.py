"""JSON data in the fake: decoding request bodies; copying what the fake stores and hands out."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
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


def plain(value: object) -> Any:
    """A deep copy as plain JSON containers: any mapping a dict, any list or tuple a list.

    For data a caller hands in (``load()``): their dict subclasses must not stay in the store.
    """
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def as_bytes(body: object) -> object:
    """A request body as the bytes botocore sends for it; other bodies are left as they are.

    botocore sends the content of a bytearray, a memoryview or a file-like body; reading a file
    puts it back where it was, as botocore expects to read it again when it retries.
    """
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    read = getattr(body, "read", None)
    if read is None:
        return body
    tell = getattr(body, "tell", None)
    start = tell() if callable(tell) else None
    content = read()
    if start is not None:
        body.seek(start)  # type: ignore[attr-defined]
    return content.encode("utf-8") if isinstance(content, str) else content


#: The C scanner behind json.loads, called directly: it skips two whitespace scans and a frame.
_SCAN: Callable[[str, int], tuple[object, int]]
_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def decode_body(body: object) -> object:
    """A request body as JSON data; an empty body is ``{}``. Raises SerializationException.

    RecursionError is raised as it is: whether the body nests too deep or the caller's stack left
    too little room for it, only the caller can tell.
    """
    if type(body) is bytes and body:
        # botocore sends compact JSON, which the scanner takes whole without json.loads's two
        # whitespace scans (a quarter of its cost). Anything else goes the long way below.
        try:
            text = body.decode("utf-8")
            value, end = _SCAN(text, 0)
        except (StopIteration, ValueError):
            pass
        else:
            if end == len(text):
                return value
    if body is None or body == b"" or body == "":
        return {}
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        return json.loads(text)
    except ValueError:
        raise undecodable() from None


def undecodable() -> GlueError:
    """Glue's answer to a body that is not JSON (or nests deeper than it will follow)."""
    return GlueError("SerializationException", "Request body is not a valid JSON document.")
