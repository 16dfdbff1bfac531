"""How a request's values are shown in validation messages: as AWS shows them, and cut when long."""

from __future__ import annotations

import json
from typing import Final

#: Longer values and paths are cut in messages (start kept, ``...`` added) so a failing test stays
#: readable.
SHOWN_CHARS: Final = 200


def cut(text: str) -> str:
    """``text``, or its first SHOWN_CHARS characters followed by ``...``."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def show(value: object, *, as_json: bool) -> str:
    """``value`` as AWS shows it (strings bare, ``[a, b]``, ``{k=v}``), or as JSON; cut if long.

    Only the first SHOWN_CHARS characters are ever built, so huge or deep values cost little.
    """
    parts: list[str] = []
    size = 0

    def emit(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text)

    def walk(item: object) -> None:
        if size > SHOWN_CHARS:
            return
        if item is None:
            emit("null")
        elif isinstance(item, bool):
            emit("true" if item else "false")
        elif isinstance(item, str):
            shown = item[: SHOWN_CHARS + 1]
            emit(json.dumps(shown, ensure_ascii=False) if as_json else shown)
        elif isinstance(item, int | float):
            emit(_show_number(item))
        elif isinstance(item, list):
            emit("[")
            for position, element in enumerate(item):
                if size > SHOWN_CHARS:
                    break
                if position:
                    emit(", ")
                walk(element)
            emit("]")
        elif isinstance(item, dict):
            emit("{")
            for position, (key, element) in enumerate(item.items()):
                if size > SHOWN_CHARS:
                    break
                if position:
                    emit(", ")
                walk(key)
                emit(": " if as_json else "=")
                walk(element)
            emit("}")
        else:
            emit(_show_other(item))

    walk(value)
    return cut("".join(parts))


def _show_number(number: int | float) -> str:
    if isinstance(number, float):
        if number != number:
            return "NaN"
        if number in (float("inf"), float("-inf")):
            return "Infinity" if number > 0 else "-Infinity"
        return repr(number)
    try:
        return str(number)
    except ValueError:  # beyond Python's int-to-str digit limit
        return f"<{number.bit_length()}-bit integer>"


def _show_other(item: object) -> str:
    """A value no JSON decoder makes (a caller passed Python objects): its repr, if it has one."""
    try:
        return repr(item)[: SHOWN_CHARS + 1]
    except Exception:
        return f"<{type(item).__name__}>"
