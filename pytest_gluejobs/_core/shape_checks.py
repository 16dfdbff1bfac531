"""The rules for one scalar value of a Glue shape: JSON type, length, range, enum and pattern.

``scalar_check(shape)`` gives the function that returns the constraint texts a value violates
(none: an empty tuple). Texts are worded as AWS words constraint violations and made once per
shape; a valid value costs its tests and nothing else. Lengths of lists and maps follow the same
rule as lengths of strings (``length_check``).
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from typing import Final

from botocore.model import Shape

#: Worker types the live service accepts beyond botocore 1.43's ``WorkerType`` enum: Terraform's
#: acceptance tests create ``R.1X`` jobs against AWS and its validator allows all of these
#: (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/glue/job.go;
#: https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html describes them). Newer
#: botocore models list them; older ones must not reject them.
EXTRA_WORKER_TYPES: Final = ("G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X")

#: GlueVersion "auto" (automatic version upgrades,
#: https://docs.aws.amazon.com/glue/latest/dg/auto-version-upgrades.html) is accepted by Glue and
#: by botocore 1.44's pattern; older models predate it.
_GLUE_VERSION_PATTERN: Final = r"^((\w+\.)+\w+|auto)$"

_INT_BITS: Final = {"integer": 32, "long": 64}
_FLOAT_MAX: Final = {"float": 3.4028234663852886e38, "double": 1.7976931348623157e308}
#: Java's ``.`` matches anything but a line terminator; Python's only excludes ``\n``.
_JAVA_DOT: Final = "[^\\n\\r\\u0085\\u2028\\u2029]"
_SURROGATE_PAIR: Final = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)
#: A Java pattern that is one character class, repeated: ``[...]*`` or ``([...])*``.
_CLASS_STAR: Final = re.compile(r"\^?\(?(\[(?:\\.|[^\]\\])*\])\)?\*\$?")
_PRINTABLE_ASCII: Final = "".join(map(chr, range(0x20, 0x7F)))
#: How many values that matched a pattern are remembered, per pattern.
_REMEMBERED_MATCHES: Final = 256


class TypeMismatch(str):
    """A constraint text saying the JSON type is wrong: the value is then shown as JSON."""

    __slots__ = ()


#: The constraint texts a scalar value violates (empty if none).
ScalarCheck = Callable[[object], tuple[str, ...]]

NO_VIOLATIONS: Final[tuple[str, ...]] = ()
NULL: Final = "Member must not be null"
NOT_AN_OBJECT: Final = TypeMismatch("Member must be an object")
NOT_AN_ARRAY: Final = TypeMismatch("Member must be an array")
_NOT_A_STRING: Final = (TypeMismatch("Member must be a string"),)
_NOT_AN_INTEGER: Final = (TypeMismatch("Member must be an integer"),)
_NOT_A_NUMBER: Final = (TypeMismatch("Member must be a number"),)
_NOT_A_BOOLEAN: Final = (TypeMismatch("Member must be a boolean"),)
_NOT_AN_EPOCH: Final = (
    TypeMismatch("Member must be a timestamp: seconds since the epoch, as a number"),
)
_NOT_A_TIMESTAMP_STRING: Final = (TypeMismatch("Member must be a timestamp string"),)
_NOT_A_BLOB: Final = (TypeMismatch("Member must be a base64-encoded string"),)


def scalar_check(shape: Shape) -> ScalarCheck:
    """The check of a value of the scalar ``shape``."""
    kind = shape.type_name
    if kind == "string":
        return _string(shape)
    if kind in _INT_BITS:
        return _integer(shape, _INT_BITS[kind])
    if kind in _FLOAT_MAX:
        return _float(shape, _FLOAT_MAX[kind])
    if kind == "boolean":
        return _boolean
    if kind == "timestamp":
        # botocore sends epoch seconds unless the shape asks for a text format (``iso8601``).
        if shape.serialization.get("timestampFormat", "unixTimestamp") == "unixTimestamp":
            return _epoch
        return _timestamp_string
    if kind == "blob":
        return _blob
    # A type this module does not know (a future botocore's): accept any value rather than fail.
    return anything


def anything(value: object) -> tuple[str, ...]:
    return NO_VIOLATIONS


def accepted_type(check: ScalarCheck) -> type:
    """A type every value of which ``check`` accepts, when that is all it tests (unconstrained
    strings, booleans): a caller may skip the call for a value of exactly that type. Otherwise
    ``NoneType``, which no checked value has (null is checked before)."""
    if check is _any_string:
        return str
    if check is _boolean:
        return bool
    return type(None)


def length_check(shape: Shape) -> tuple[range, Callable[[int], tuple[str, ...]]]:
    """The lengths ``shape`` allows (of a string, list or map), and the texts a length violates."""
    low, high = _length_bounds(shape)
    too_short = (f"Member must have length greater than or equal to {low}",)
    too_long = (f"Member must have length less than or equal to {high}",)

    def violations(length: int) -> tuple[str, ...]:
        found = NO_VIOLATIONS
        if length < low:
            found = too_short
        if high is not None and length > high:
            found += too_long
        return found

    return range(low, sys.maxsize if high is None else high + 1), violations


def _length_bounds(shape: Shape) -> tuple[int, int | None]:
    return shape.metadata.get("min", 0), shape.metadata.get("max")


def _boolean(value: object) -> tuple[str, ...]:
    return NO_VIOLATIONS if isinstance(value, bool) else _NOT_A_BOOLEAN


def _epoch(value: object) -> tuple[str, ...]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _NOT_AN_EPOCH
    finite = -_FLOAT_MAX["double"] <= value <= _FLOAT_MAX["double"]
    return NO_VIOLATIONS if finite else _NOT_AN_EPOCH


def _timestamp_string(value: object) -> tuple[str, ...]:
    return NO_VIOLATIONS if isinstance(value, str) else _NOT_A_TIMESTAMP_STRING


def _blob(value: object) -> tuple[str, ...]:
    return NO_VIOLATIONS if isinstance(value, str) else _NOT_A_BLOB


def _string(shape: Shape) -> ScalarCheck:
    lengths, length_violations = length_check(shape)
    enum = enum_values(shape)
    allowed = frozenset(enum) if enum else None
    not_allowed = f"Member must satisfy enum value set: [{', '.join(enum)}]"
    pattern_text = _pattern_text(shape)
    pattern = java_regex(pattern_text) if pattern_text is not None else None
    matches = _matcher(pattern) if pattern is not None else None
    no_match = f"Member must satisfy regular expression pattern: {pattern_text}"
    if _length_bounds(shape) == (0, None) and allowed is None and matches is None:
        return _any_string

    def violations(value: object) -> tuple[str, ...]:
        if not isinstance(value, str):
            return _NOT_A_STRING
        found = NO_VIOLATIONS if len(value) in lengths else length_violations(len(value))
        if allowed is not None and value not in allowed:
            found += (not_allowed,)
        if matches is not None and not matches(value):
            found += (no_match,)
        return found

    return violations


def _matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether a string matches ``pattern``, answered without the regex where that is safe.

    Running a regex costs about 0.5 µs, as much as the rest of a small request's validation. Most
    of Glue's free-text patterns (names, descriptions) are one repeated character class that
    admits every printable ASCII character, so such text matches without running it; values of
    the other patterns (versions, schedules) repeat, so each is matched once and remembered.
    """
    fullmatch = pattern.fullmatch
    if _admits_any_printable_ascii(pattern):

        def printable_or_matches(value: str) -> bool:
            return (value.isascii() and value.isprintable()) or fullmatch(value) is not None

        return printable_or_matches
    remembered: set[str] = set()

    def remembered_or_matches(value: str) -> bool:
        if value in remembered:
            return True
        if fullmatch(value) is None:
            return False
        if len(remembered) < _REMEMBERED_MATCHES:
            remembered.add(value)
        return True

    return remembered_or_matches


def _admits_any_printable_ascii(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` is one repeated character class that admits every printable ASCII
    character (``[...]*`` or ``([...])*``, anchored or not)."""
    repeated_class = _CLASS_STAR.fullmatch(pattern.pattern)
    if repeated_class is None:
        return False
    character = re.compile(repeated_class.group(1), pattern.flags)
    return all(character.fullmatch(char) for char in _PRINTABLE_ASCII)


def _any_string(value: object) -> tuple[str, ...]:
    """An unconstrained string shape's check."""
    return NO_VIOLATIONS if isinstance(value, str) else _NOT_A_STRING


def _pattern_text(shape: Shape) -> str | None:
    pattern: str | None = shape.metadata.get("pattern")
    if shape.name == "GlueVersionString" and pattern is not None and "auto" not in pattern:
        return _GLUE_VERSION_PATTERN
    return pattern


def enum_values(shape: Shape) -> list[str]:
    """The values ``shape`` allows, in model order (none: any value)."""
    values: list[str] = list(shape.metadata.get("enum", ()))
    if shape.name == "WorkerType":
        values += [extra for extra in EXTRA_WORKER_TYPES if extra not in values]
    return values


def java_regex(java: str) -> re.Pattern[str] | None:
    """Compile a model pattern (Java syntax) so that Python matches what Java would.

    - ``\\uD800\\uDC00-\\uDBFF\\uDFFF``: Java reads an escaped surrogate pair as one
      supplementary code point, so this range is "any non-BMP code point"; Python needs
      ``\\U00010000-\\U0010FFFF``.
    - ``.`` outside a class excludes every Java line terminator, not only ``\\n``.
    - ``\\w``, ``\\d``, ``\\s`` are ASCII-only in Java (``re.ASCII``).
    A pattern Python still cannot compile is not checked (None) rather than failing every request;
    a test asserts that every pattern of the installed model compiles.
    """
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(java):
        char = java[index]
        if char == "\\":
            pair = _SURROGATE_PAIR.match(java, index)
            if pair is None:
                out.append(java[index : index + 2])
                index += 2
            else:
                out.append(_supplementary(pair))
                index = pair.end()
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "." and not in_class:
            char = _JAVA_DOT
        out.append(char)
        index += 1
    try:
        return re.compile("".join(out), re.ASCII)
    except re.error:
        return None


def _supplementary(pair: re.Match[str]) -> str:
    high, low = int(pair[1], 16), int(pair[2], 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def _integer(shape: Shape, bits: int) -> ScalarCheck:
    smallest, largest = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    out_of_range = (f"Member must be a {bits}-bit integer, between {smallest} and {largest}",)
    return _number(shape, (int,), smallest, largest, _NOT_AN_INTEGER, out_of_range)


def _float(shape: Shape, largest: float) -> ScalarCheck:
    return _number(
        shape, (int, float), -largest, largest, _NOT_A_NUMBER, ("Member must be a finite number",)
    )


def _number(
    shape: Shape,
    kinds: tuple[type[int | float], ...],
    smallest: float,
    largest: float,
    wrong_type: tuple[str, ...],
    out_of_range: tuple[str, ...],
) -> ScalarCheck:
    low: float | None = shape.metadata.get("min")
    high: float | None = shape.metadata.get("max")
    too_low = (f"Member must have value greater than or equal to {low}",)
    too_high = (f"Member must have value less than or equal to {high}",)

    # Integers (most numbers sent) are looked up in the range they may take.
    valid = range(
        math.ceil(max(smallest, -math.inf if low is None else low)),
        math.floor(min(largest, math.inf if high is None else high)) + 1,
    )

    def violations(value: object) -> tuple[str, ...]:
        if type(value) is int and value in valid:
            return NO_VIOLATIONS
        if isinstance(value, bool) or not isinstance(value, kinds):
            return wrong_type
        # Also false for NaN, which compares false with everything.
        if not smallest <= value <= largest:
            return out_of_range
        if low is not None and value < low:
            return too_low
        if high is not None and value > high:
            return too_high
        return NO_VIOLATIONS

    return violations
