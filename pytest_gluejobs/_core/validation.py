"""Shape validation of Glue requests, driven by botocore's Glue service model as loaded at run time.

``validate(operation, params)`` checks a decoded request body against the operation's input shape:
unknown and missing members, JSON types, lengths, sizes, ranges, patterns and enums, at every depth.
Violations are collected and raised as one ``InvalidInputException`` worded the way AWS's Coral
framework words constraint violations (``2 validation errors detected: Value '…' at 'name'
failed to satisfy constraint: …``). Nothing is hard-coded per member: a newer botocore with new
members or enum values is followed without a release.

Two walks. The fast one decides valid or not, stopping at the first violation, and removes a
valid request's null members (Glue treats them as absent); it builds nothing. It is Python source
generated from the model, one function per container shape, compiled on the first request that
reaches the shape: each declared member looked up once, every check written out. Only an invalid
request is walked again, by closures compiled per shape that collect and word every violation, so
the common case pays for one walk, no copy and no message building. Both follow recursive shapes
(``Mapping.Children``) by name, and cap input nesting, so no input can exhaust the Python stack.
"""

from __future__ import annotations

import difflib
import json
import re
import zlib
from collections.abc import Callable
from typing import Any, Final

from botocore.model import ListShape, MapShape, Shape, StructureShape

from . import errors as _errors
from . import model as _model

#: Worker types the live service accepts beyond botocore 1.43's ``WorkerType`` enum: Terraform's
#: 2026 acceptance tests create ``R.1X`` jobs against AWS and its validator allows all of these
#: (research/glue-behavior.md §1.5). Newer botocore models list them; older ones must not reject
#: them.
EXTRA_WORKER_TYPES: Final = ("G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X")

#: GlueVersion "auto" (automatic version upgrades) is accepted by Glue since 2026-11 and by
#: botocore 1.44's pattern ``^((\w+\.)+\w+|auto)$``; older models predate it (research U.2).
_GLUE_VERSION_PATTERN: Final = r"^((\w+\.)+\w+|auto)$"

#: Deepest nesting of containers (objects, arrays) followed. Glue's job shapes nest about a dozen
#: levels deep; the cap keeps hostile input (and recursive shapes) far from the recursion limit.
MAX_DEPTH: Final = 64

#: Longer values are cut in messages (start kept, ``...`` added) so a failing test stays readable.
_SHOWN_CHARS: Final = 200
#: At most this many violations are described in a message (all are counted).
_SHOWN_VIOLATIONS: Final = 20

_INT_BITS: Final = {"integer": 32, "long": 64}
_FLOAT_MAX: Final = {"float": 3.4028234663852886e38, "double": 1.7976931348623157e308}
#: Java's ``.`` matches anything but a line terminator; Python's only excludes ``\n``.
_JAVA_DOT: Final = "[^\\n\\r\\u0085\\u2028\\u2029]"
_SURROGATE_PAIR: Final = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


class _TypeMismatch(str):
    """A constraint text saying the JSON type is wrong: the value is then shown as JSON."""

    __slots__ = ()


_NO_VIOLATIONS: Final[tuple[str, ...]] = ()
_NULL: Final = ("Member must not be null",)
_NOT_A_STRING: Final = (_TypeMismatch("Member must be a string"),)
_NOT_AN_INTEGER: Final = (_TypeMismatch("Member must be an integer"),)
_NOT_A_NUMBER: Final = (_TypeMismatch("Member must be a number"),)
_NOT_A_BOOLEAN: Final = (_TypeMismatch("Member must be a boolean"),)
_NOT_AN_EPOCH: Final = (
    _TypeMismatch("Member must be a timestamp: seconds since the epoch, as a number"),
)
_NOT_A_TIMESTAMP_STRING: Final = (_TypeMismatch("Member must be a timestamp string"),)
_NOT_A_BLOB: Final = (_TypeMismatch("Member must be a base64-encoded string"),)
_NOT_AN_OBJECT: Final = _TypeMismatch("Member must be an object")
_NOT_AN_ARRAY: Final = _TypeMismatch("Member must be an array")
_TOO_DEEP: Final = f"Member must not be nested more than {MAX_DEPTH} levels deep"


class _Report:
    """The violations found in one request: all counted, the first _SHOWN_VIOLATIONS described.

    Describing is what costs (a hostile request can hold millions of violations), so only the
    ones a message shows are ever built.
    """

    __slots__ = ("count", "errors", "listed", "operation")

    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.count = 0
        self.errors: list[str] = []
        #: Structures whose members a message listed already (once is enough to read).
        self.listed: set[str] = set()

    def _shows_next(self) -> bool:
        self.count += 1
        return self.count <= _SHOWN_VIOLATIONS

    def violation(self, value: object, path: str, text: str) -> None:
        if self._shows_next():
            shown = _show(value, as_json=type(text) is _TypeMismatch)
            where = f" at '{_cut(path)}'" if path else ""
            self.errors.append(f"Value '{shown}'{where} failed to satisfy constraint: {text}")

    def null(self, path: str) -> None:
        if self._shows_next():
            self.errors.append(
                f"Value null at '{_cut(path)}' failed to satisfy constraint: {_NULL[0]}"
            )

    def unknown(self, key: object, path: str, shape: StructureShape) -> None:
        if self._shows_next():
            listing = shape.name not in self.listed
            self.listed.add(shape.name)
            self.errors.append(_unknown_member(key, path, shape, self.operation, listing))


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "..."


#: Checks one value found at ``path``, at container ``depth``, adding violations to the report.
_Check = Callable[[object, str, _Report, int], None]
#: The constraint texts a scalar value violates (empty if none).
_Violations = Callable[[object], tuple[str, ...]]

#: Checks a container value found at a container depth, dropping its null structure members in
#: place; raises _Invalid at its first violation.
_Fast = Callable[[object, int], None]
#: A shape's check and its scalar violations (None for containers).
_Compiled = tuple[_Check, _Violations | None]

#: A structure's members (JSON key, path segment, check, scalar violations or None, required)
#: and the set of their keys.
_MemberTable = tuple[list[tuple[str, str, _Check, _Violations | None, bool]], frozenset[object]]

_compiled: dict[str, _Compiled] = {}
_requests: dict[str, tuple[_Check, _Fast]] = {}


class _Invalid(Exception):
    """The fast walk met a violation: the full checks then find and word every one."""


def validate(operation: str, params: object) -> dict[str, Any]:
    """Raise InvalidInputException if ``params`` violates the input shape of ``operation``.

    ``params`` is a decoded JSON request body, so any JSON value; nothing but that GlueError
    escapes. A valid request is returned, itself, with its null structure members removed at
    every depth (Glue treats them as absent): the caller hands over a request it owns.
    """
    compiled = _requests.get(operation)
    if compiled is None:
        shape = _model.operation_model(operation).input_shape
        compiled = _requests[operation] = (_compile(shape)[0], _fast_function(shape))
    check, fast = compiled
    try:
        fast(params, 0)
    except _Invalid:
        pass
    else:
        return params  # type: ignore[return-value]
    _raise_violations(operation, params, check)
    raise AssertionError(
        f"pytest-gluejobs: the fast and the full validation of {operation} disagree on "
        f"{_show(params, as_json=True)}; please report this"
    )


def _raise_violations(operation: str, params: object, check: _Check) -> None:
    """Raise InvalidInputException naming every violation in ``params``, if there is any."""
    report = _Report(operation)
    if isinstance(params, dict):
        check(params, "", report, 0)
    else:
        report.violation(
            params, "", _TypeMismatch(f"The {operation} request must be a JSON object")
        )
    if report.count:
        count = report.count
        message = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(
            report.errors
        )
        if count > len(report.errors):
            message += f"; and {count - len(report.errors)} more"
        # Lone surrogates (legal in decoded JSON) would break UTF-8 encoding of the response.
        raise _errors.invalid_input(message.encode("utf-8", "backslashreplace").decode("utf-8"))


def _lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _compiled_shape(shape: Shape) -> _Compiled:
    """The check and scalar violations of ``shape``, compiled once."""
    found = _compiled.get(shape.name)
    if found is None:
        found = _compiled[shape.name] = _compile(shape)
    return found


def _compile(shape: Shape) -> _Compiled:
    if isinstance(shape, StructureShape):
        return _structure(shape), None
    if isinstance(shape, ListShape):
        return _list(shape), None
    if isinstance(shape, MapShape):
        return _map(shape), None
    violations = _scalar(shape)

    def check(value: object, path: str, report: _Report, depth: int) -> None:
        for text in violations(value):
            report.violation(value, path, text)

    return check, violations


# --- scalars ------------------------------------------------------------------------------------


def _scalar(shape: Shape) -> _Violations:
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
    return _anything


def _boolean(value: object) -> tuple[str, ...]:
    return _NO_VIOLATIONS if isinstance(value, bool) else _NOT_A_BOOLEAN


def _epoch(value: object) -> tuple[str, ...]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _NOT_AN_EPOCH
    finite = -_FLOAT_MAX["double"] <= value <= _FLOAT_MAX["double"]
    return _NO_VIOLATIONS if finite else _NOT_AN_EPOCH


def _timestamp_string(value: object) -> tuple[str, ...]:
    return _NO_VIOLATIONS if isinstance(value, str) else _NOT_A_TIMESTAMP_STRING


def _blob(value: object) -> tuple[str, ...]:
    return _NO_VIOLATIONS if isinstance(value, str) else _NOT_A_BLOB


def _anything(value: object) -> tuple[str, ...]:
    return _NO_VIOLATIONS


def _string(shape: Shape) -> _Violations:
    metadata = shape.metadata
    low: int = metadata.get("min", 0)
    high: int | None = metadata.get("max")
    enum = _enum_values(shape)
    allowed = frozenset(enum) if enum else None
    enum_text = f"Member must satisfy enum value set: [{', '.join(enum)}]"
    pattern_text = _pattern_text(shape)
    pattern = _java_regex(pattern_text) if pattern_text is not None else None
    if low <= 0 and high is None and allowed is None and pattern is None:
        return _any_string

    def violations(value: object) -> tuple[str, ...]:
        if not isinstance(value, str):
            return _NOT_A_STRING
        length = len(value)
        if (
            length >= low
            and (high is None or length <= high)
            and (allowed is None or value in allowed)
            and (pattern is None or pattern.fullmatch(value) is not None)
        ):
            return _NO_VIOLATIONS
        found: list[str] = []
        if length < low:
            found.append(f"Member must have length greater than or equal to {low}")
        if high is not None and length > high:
            found.append(f"Member must have length less than or equal to {high}")
        if allowed is not None and value not in allowed:
            found.append(enum_text)
        if pattern is not None and pattern.fullmatch(value) is None:
            found.append(f"Member must satisfy regular expression pattern: {pattern_text}")
        return tuple(found)

    return violations


def _any_string(value: object) -> tuple[str, ...]:
    """An unconstrained string shape's violations."""
    return _NO_VIOLATIONS if isinstance(value, str) else _NOT_A_STRING


def _pattern_text(shape: Shape) -> str | None:
    pattern: str | None = shape.metadata.get("pattern")
    if shape.name == "GlueVersionString" and pattern is not None and "auto" not in pattern:
        return _GLUE_VERSION_PATTERN
    return pattern


def _enum_values(shape: Shape) -> list[str]:
    values: list[str] = list(shape.metadata.get("enum", ()))
    if shape.name == "WorkerType":
        values += [extra for extra in EXTRA_WORKER_TYPES if extra not in values]
    return values


def _java_regex(java: str) -> re.Pattern[str] | None:
    """Compile a model pattern (Java syntax) so that Python matches what Java would.

    - ``\\uD800\\uDC00-\\uDBFF\\uDFFF``: Java reads an escaped surrogate pair as one
      supplementary code point, so this range is "any non-BMP code point"; Python needs
      ``\\U00010000-\\U0010FFFF``.
    - ``.`` outside a class excludes every Java line terminator, not only ``\\n``.
    - ``\\w``, ``\\d``, ``\\s`` are ASCII-only in Java (``re.ASCII``).
    A pattern Python still cannot compile is not checked (None) rather than failing every request;
    tests/test_validation.py asserts that every pattern of the installed model compiles.
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


def _integer(shape: Shape, bits: int) -> _Violations:
    smallest, largest = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    out_of_range = (f"Member must be a {bits}-bit integer, between {smallest} and {largest}",)
    return _number(shape, (int,), smallest, largest, _NOT_AN_INTEGER, out_of_range)


def _float(shape: Shape, largest: float) -> _Violations:
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
) -> _Violations:
    low: float | None = shape.metadata.get("min")
    high: float | None = shape.metadata.get("max")
    too_low = (f"Member must have value greater than or equal to {low}",)
    too_high = (f"Member must have value less than or equal to {high}",)

    def violations(value: object) -> tuple[str, ...]:
        if isinstance(value, bool) or not isinstance(value, kinds):
            return wrong_type
        # Also false for NaN, which compares false with everything.
        if not smallest <= value <= largest:
            return out_of_range
        if low is not None and value < low:
            return too_low
        if high is not None and value > high:
            return too_high
        return _NO_VIOLATIONS

    return violations


# --- containers ---------------------------------------------------------------------------------


def _structure(shape: StructureShape) -> _Check:
    # Built on first use, so that a recursive shape finds itself already in the cache; one
    # assignment, so a thread never sees half of it.
    table: _MemberTable | None = None

    def check(value: object, path: str, report: _Report, depth: int) -> None:
        nonlocal table
        if not isinstance(value, dict):
            report.violation(value, path, _NOT_AN_OBJECT)
            return
        # Every recursion in a model passes through a structure, so this bounds the stack.
        if depth > MAX_DEPTH:
            report.violation(value, path, _TOO_DEEP)
            return
        if table is None:
            table = _structure_members(shape)
        members, names = table
        prefix = f"{path}." if path else ""
        present = 0
        for key, wire_path, member_check, member_violations, required in members:
            item = value.get(key)
            if item is None:
                if required:
                    report.null(prefix + wire_path)
                continue
            present += 1
            if member_violations is None:
                member_check(item, prefix + wire_path, report, depth + 1)
            else:
                # A scalar: checked here, and its path only built for a violation (rare).
                for text in member_violations(item):
                    report.violation(item, prefix + wire_path, text)
        if present != len(value):
            for key in value:
                if key not in names:
                    report.unknown(key, path, shape)

    return check


def _structure_members(shape: StructureShape) -> _MemberTable:
    required = set(shape.required_members)
    members = [
        (
            member.serialization.get("name", name),
            _lower_camel(name),
            *_compiled_shape(member),
            name in required,
        )
        for name, member in shape.members.items()
    ]
    return members, frozenset(member[0] for member in members)


def _unknown_member(
    key: object, path: str, shape: StructureShape, operation: str, listing: bool = True
) -> str:
    where = f" at '{_cut(path)}'" if path else ""
    known = [member.serialization.get("name", name) for name, member in shape.members.items()]
    close = difflib.get_close_matches(key, known, n=1) if isinstance(key, str) else []
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif listing:
        hint = f"{shape.name} has: {', '.join(known)}"
    else:
        hint = f"see {shape.name}'s members above"
    return (
        f"Unknown member '{_show(key, as_json=False)}'{where} is not part of {operation}'s input "
        f"({hint})"
    )


def _size_bounds(shape: Shape) -> tuple[int, int | None]:
    return shape.metadata.get("min", 0), shape.metadata.get("max")


def _size_violations(shape: Shape) -> Callable[[int], list[str]]:
    low, high = _size_bounds(shape)

    def violations(size: int) -> list[str]:
        found = []
        if size < low:
            found.append(f"Member must have length greater than or equal to {low}")
        if high is not None and size > high:
            found.append(f"Member must have length less than or equal to {high}")
        return found

    return violations


def _list(shape: ListShape) -> _Check:
    element_check, element_violations = _compiled_shape(shape.member)
    size_violations = _size_violations(shape)

    def check(value: object, path: str, report: _Report, depth: int) -> None:
        if not isinstance(value, list):
            report.violation(value, path, _NOT_AN_ARRAY)
            return
        for text in size_violations(len(value)):
            report.violation(value, path, text)
        if element_violations is not None:
            # Scalar elements: the path is only built for a violation.
            for position, item in enumerate(value, 1):
                if item is None:
                    report.null(f"{path}.{position}.member")
                    continue
                for text in element_violations(item):
                    report.violation(item, f"{path}.{position}.member", text)
            return
        for position, item in enumerate(value, 1):
            if item is None:
                report.null(f"{path}.{position}.member")
            else:
                element_check(item, f"{path}.{position}.member", report, depth + 1)

    return check


def _map(shape: MapShape) -> _Check:
    key_violations = _compiled_shape(shape.key)[1] or _anything
    value_check, value_violations = _compiled_shape(shape.value)
    size_violations = _size_violations(shape)

    def check(value: object, path: str, report: _Report, depth: int) -> None:
        if not isinstance(value, dict):
            report.violation(value, path, _NOT_AN_OBJECT)
            return
        for text in size_violations(len(value)):
            report.violation(value, path, text)
        # Scalar keys and values are reported once for the whole map, as Coral does.
        bad_keys: dict[str, None] = {}
        bad_values: dict[str, None] = {}
        for key, item in value.items():
            found = key_violations(key)
            if found:
                bad_keys.update(dict.fromkeys(found))
            if item is None:
                bad_values.update(dict.fromkeys(_NULL))
            elif value_violations is None:
                value_check(item, f"{path}.{_show(key, as_json=False)}", report, depth + 1)
            else:
                found = value_violations(item)
                if found:
                    bad_values.update(dict.fromkeys(found))
        if bad_keys:
            texts = ", ".join(bad_keys)
            report.violation(value, path, f"Map keys must satisfy constraint: [{texts}]")
        if bad_values:
            texts = ", ".join(bad_values)
            report.violation(value, path, f"Map value must satisfy constraint: [{texts}]")

    return check


# --- the fast walk: Python source generated from the model ----------------------------------------

#: How many values that matched a pattern are remembered, per pattern.
_REMEMBERED_MATCHES: Final = 256


def _matches(
    remembered: set[str], fullmatch: Callable[[str], re.Match[str] | None], value: str
) -> bool:
    if fullmatch(value) is None:
        return False
    if len(remembered) < _REMEMBERED_MATCHES:
        remembered.add(value)
    return True


#: What generated code starts from.
_FAST_BUILTINS: Final = {"_Invalid": _Invalid, "_matches": _matches}
#: The generated checks, one function per container shape (``f_<shape>``), and the constants
#: they use; a function calls another by its name here, so recursive shapes are fine.
_fast_namespace: dict[str, Any] = dict(_FAST_BUILTINS)

#: A Java pattern that is one character class, repeated: ``[...]*`` or ``([...])*``.
_CLASS_STAR: Final = re.compile(r"\^?\(?(\[(?:\\.|[^\]\\])*\])\)?\*\$?")
_PRINTABLE_ASCII: Final = "".join(map(chr, range(0x20, 0x7F)))


def _fast_function(shape: Shape) -> _Fast:
    """The fast check of a container shape, generated now if it was not yet."""
    name = _fast_reference(shape)
    function: _Fast = _fast_namespace[name]
    if getattr(function, "__name__", None) != name:
        source = _fast_source(shape, name)
        exec(compile(source, f"<pytest-gluejobs check of {shape.name}>", "exec"), _fast_namespace)
        function = _fast_namespace[name]
    return function


def _fast_reference(shape: Shape) -> str:
    """The name generated code calls ``shape``'s check by; generated on its first call."""
    name = "f_" + _identifier(shape.name)
    if name not in _fast_namespace:

        def generate_on_first_call(value: object, depth: int) -> None:
            _fast_function(shape)(value, depth)

        _fast_namespace[name] = generate_on_first_call
    return name


def _identifier(shape_name: str) -> str:
    """A Python name for generated code, one per shape name (models use plain identifiers)."""
    if shape_name.isidentifier():
        return shape_name
    # Two names differing only where they are not identifiers must not share generated code.
    cleaned = re.sub(r"\W", "_", shape_name)
    return f"{cleaned}_{zlib.crc32(shape_name.encode()):08x}"


#: Containers down to this many levels below a generated function's own are checked in its body,
#: unless they are structures of more than _INLINE_MEMBERS members (the visual-job nodes); the
#: others (and recursive shapes, eventually) by a call to their own function.
_INLINE_LEVELS: Final = 3
_INLINE_MEMBERS: Final = 32


def _fast_source(shape: Shape, name: str) -> str:
    lines = [f"def {name}(value, depth):", *_container_lines(shape, "value", 0, "    ", 0)]
    return "\n".join(lines) + "\n"


def _container_lines(shape: Shape, var: str, offset: int, indent: str, level: int) -> list[str]:
    """Statements checking the non-null value in ``var``, ``offset`` containers below ``depth``.

    Variables are suffixed with the nesting ``level``, so that checks written in line inside
    another's keep theirs apart.
    """
    depth = f"depth + {offset}" if offset else "depth"
    item, key, present = f"i{level}", f"k{level}", f"p{level}"
    if isinstance(shape, StructureShape):
        # Each member the shape declares is looked up once and the non-null ones counted. Only
        # if some member was not counted (rare) are unknown members looked for, with one set
        # comparison, and null members (Glue treats them as absent) removed.
        known = f"K_{_identifier(shape.name)}"
        _fast_namespace[known] = frozenset(
            member.serialization.get("name", name) for name, member in shape.members.items()
        )
        lines = [
            f"if not isinstance({var}, dict) or {depth} > {MAX_DEPTH}:",
            "    raise _Invalid",
            f"{present} = 0",
        ]
        required = set(shape.required_members)
        for name, member in shape.members.items():
            lines.append(f"{item} = {var}.get({member.serialization.get('name', name)!r})")
            lines.append(f"if {item} is not None:")
            lines.append(f"    {present} += 1")
            lines += _value_lines(member, item, offset, "    ", level)
            if name in required:
                lines += ["else:", "    raise _Invalid"]
        lines += [
            f"if {present} != len({var}):",
            f"    if not {known}.issuperset({var}):",
            "        raise _Invalid",
            f"    for {key} in [{key} for {key}, {item} in {var}.items() if {item} is None]:",
            f"        del {var}[{key}]",
        ]
    else:
        size = _size_test(*_size_bounds(shape), f"{var}")
        if isinstance(shape, ListShape):
            element = shape.member
            lines = [f"if not isinstance({var}, list) or not {size}:", "    raise _Invalid"]
            lines.append(f"for {item} in {var}:")
        else:
            assert isinstance(shape, MapShape)
            element = shape.value
            lines = [f"if not isinstance({var}, dict) or not {size}:", "    raise _Invalid"]
            lines.append(f"for {key}, {item} in {var}.items():")
            lines.append(f"    if not ({_valid_scalar(shape.key, key)}):")
            lines.append("        raise _Invalid")
        if not isinstance(element, StructureShape | ListShape | MapShape):
            lines.append(f"    if {item} is None:")  # a null element or map value is invalid
            lines.append("        raise _Invalid")
        lines += _value_lines(element, item, offset, "    ", level)
    return [indent + line for line in lines]


def _value_lines(shape: Shape, var: str, offset: int, indent: str, level: int) -> list[str]:
    """Statements checking the member, element or map value in ``var`` (not null, unless a
    container's check refuses null), found in a container ``offset`` below ``depth``."""
    if isinstance(shape, StructureShape | ListShape | MapShape):
        small = not isinstance(shape, StructureShape) or len(shape.members) <= _INLINE_MEMBERS
        if level + 1 < _INLINE_LEVELS and small:
            return _container_lines(shape, var, offset + 1, indent, level + 1)
        below = f"depth + {offset + 1}"
        return [f"{indent}{_fast_reference(shape)}({var}, {below})"]
    return [f"{indent}if not ({_valid_scalar(shape, var)}):", f"{indent}    raise _Invalid"]


def _valid_scalar(shape: Shape, var: str) -> str:
    """A Python expression, true when the non-null scalar ``var`` is valid for ``shape``.

    The same rules as _scalar's checks, written out so that a valid value costs no call.
    """
    if isinstance(shape, StructureShape | ListShape | MapShape):
        return "True"  # a container where a scalar is expected: not a shape any model has
    kind = shape.type_name
    metadata = shape.metadata
    ident = _identifier(shape.name)
    if kind == "string":
        tests = [f"(type({var}) is str or isinstance({var}, str))"]
        low: int = metadata.get("min", 0)
        high: int | None = metadata.get("max")
        if low > 0 or high is not None:
            tests.append(_size_test(low, high, var))
        enum = _enum_values(shape)
        if enum:
            _fast_namespace[f"E_{ident}"] = frozenset(enum)
            tests.append(f"{var} in E_{ident}")
        pattern_text = _pattern_text(shape)
        pattern = _java_regex(pattern_text) if pattern_text is not None else None
        if pattern is not None:
            _fast_namespace[f"P_{ident}"] = pattern.fullmatch
            if _matches_any_printable_ascii(pattern):
                matched = f"{var}.isascii() and {var}.isprintable() or P_{ident}({var}) is not None"
            else:
                # Values of such patterns (versions, schedules) repeat: each is matched once.
                _fast_namespace.setdefault(f"M_{ident}", set())
                matched = f"{var} in M_{ident} or _matches(M_{ident}, P_{ident}, {var})"
            tests.append(f"({matched})")
        return " and ".join(tests)
    if kind in _INT_BITS or kind in _FLOAT_MAX:
        if kind in _INT_BITS:
            bits = _INT_BITS[kind]
            smallest: float = -(2 ** (bits - 1))
            largest: float = 2 ** (bits - 1) - 1
            tests = [
                f"(type({var}) is int or isinstance({var}, int) and not isinstance({var}, bool))"
            ]
        else:
            largest = _FLOAT_MAX[kind]
            smallest = -largest
            tests = [
                f"(type({var}) is float or type({var}) is int or "
                f"isinstance({var}, int | float) and not isinstance({var}, bool))"
            ]
        tests.append(f"{smallest!r} <= {var} <= {largest!r}")
        if metadata.get("min") is not None:
            tests.append(f"{var} >= {metadata['min']!r}")
        if metadata.get("max") is not None:
            tests.append(f"{var} <= {metadata['max']!r}")
        return " and ".join(tests)
    if kind == "boolean":
        return f"isinstance({var}, bool)"
    # Timestamps, blobs and types this module does not know: their checks, called.
    _fast_namespace[f"V_{ident}"] = _scalar(shape)
    return f"not V_{ident}({var})"


def _size_test(low: int, high: int | None, var: str) -> str:
    if high is None:
        return f"len({var}) >= {low}" if low > 0 else "True"
    return f"{low} <= len({var}) <= {high}" if low > 0 else f"len({var}) <= {high}"


def _matches_any_printable_ascii(pattern: re.Pattern[str]) -> bool:
    """Whether every string of printable ASCII characters matches ``pattern``.

    True for a pattern that is one repeated character class admitting all of them (most of
    Glue's free-text patterns): such a value is then known valid without running the regex.
    """
    shape = _CLASS_STAR.fullmatch(pattern.pattern)
    if shape is None:
        return False
    character = re.compile(shape.group(1), pattern.flags)
    return all(character.fullmatch(char) for char in _PRINTABLE_ASCII)


# --- showing values -----------------------------------------------------------------------------


def _show(value: object, *, as_json: bool) -> str:
    """``value`` as Coral shows it (strings bare, ``[a, b]``, ``{k=v}``), or as JSON; cut if long.

    Only the first _SHOWN_CHARS characters are ever built, so huge or deep values cost little.
    """
    parts: list[str] = []
    size = 0

    def emit(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text)

    def walk(item: object) -> None:
        if size > _SHOWN_CHARS:
            return
        if item is None:
            emit("null")
        elif isinstance(item, bool):
            emit("true" if item else "false")
        elif isinstance(item, str):
            cut = item[: _SHOWN_CHARS + 1]
            emit(json.dumps(cut, ensure_ascii=False) if as_json else cut)
        elif isinstance(item, int | float):
            emit(_show_number(item))
        elif isinstance(item, list):
            emit("[")
            for position, element in enumerate(item):
                if size > _SHOWN_CHARS:
                    break
                if position:
                    emit(", ")
                walk(element)
            emit("]")
        elif isinstance(item, dict):
            emit("{")
            for position, (key, element) in enumerate(item.items()):
                if size > _SHOWN_CHARS:
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
    text = "".join(parts)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "..."


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
        return repr(item)[: _SHOWN_CHARS + 1]
    except Exception:
        return f"<{type(item).__name__}>"
