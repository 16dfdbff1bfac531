"""Shape validation of Glue requests, driven by botocore's Glue service model as loaded at run time.

``validate(operation, params)`` checks a decoded request body against the operation's input shape:
unknown and missing members, JSON types, lengths, sizes, ranges, patterns and enums, at every depth.
Violations are collected and raised as one ``InvalidInputException`` worded the way AWS words
constraint violations (``2 validation errors detected: Value '…' at 'name' failed to satisfy
constraint: …``). Nothing is hard-coded per member: a newer botocore with new members or enum
values is followed without a release.

One walk, made of a check per shape (built from the model on the first request that reaches the
shape, and kept), which a report drives in one of two ways. Deciding, it visits the members a
request sent, in the order sent, stops at the first violation and builds nothing: a valid request
costs its tests alone. Describing, for a request found invalid, the same checks visit every
member in model order and collect every violation, with the path of each in the request (passed
down as a chain of tuples, spelled out only for a message). Recursive shapes (``Mapping.Children``)
are followed by name, and input nesting is capped, so no input can exhaust the Python stack. The
scalar rules live in ``shape_checks``, the way values are shown in ``value_display``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, Final, TypeAlias

from botocore.model import ListShape, MapShape, Shape, StructureShape

from . import errors as _errors
from . import model as _model
from .shape_checks import (
    NOT_AN_ARRAY,
    NOT_AN_OBJECT,
    NULL,
    ScalarCheck,
    TypeMismatch,
    accepted_type,
    anything,
    length_check,
    scalar_check,
)
from .value_display import cut, show

#: Deepest nesting of containers (objects, arrays) followed. Glue's job shapes nest about a dozen
#: levels deep; the cap keeps hostile input (and recursive shapes) far from the recursion limit.
MAX_DEPTH: Final = 64

#: At most this many violations are described in a message (all are counted).
_SHOWN_VIOLATIONS: Final = 20
_TOO_DEEP: Final = f"Member must not be nested more than {MAX_DEPTH} levels deep"

#: Where a value sits in the request, spelled out only for a message: None for the request itself,
#: ``(parent, "memberName")`` for a structure member, ``(parent, position)`` for a list element,
#: ``(parent, key, None)`` for a map value.
Where: TypeAlias = "tuple[Any, ...] | None"

#: Checks a container value found at ``where``, at container ``depth``, telling the report of its
#: violations; while deciding, a valid structure's null members are removed (Glue treats them as
#: absent).
_Check = Callable[[object, Where, int, "_Report"], None]
#: A shape's check, and for a scalar shape its rules alone (None for a container), which a
#: container applies itself so that the value's path is only made for a violation.
_Checks = tuple[_Check, ScalarCheck | None]
#: One member of a structure: JSON key, path segment, check, scalar rules, a type the rules accept
#: whole, required.
_Member = tuple[str, str, _Check, ScalarCheck | None, type, bool]
#: A structure's members in model order, the same by JSON key, and how many are required.
_MemberTable = tuple[list[_Member], dict[str, _Member], int]

_checks: dict[str, _Checks] = {}
_requests: dict[str, _Check] = {}


def validate(operation: str, params: object) -> dict[str, Any]:
    """Raise InvalidInputException if ``params`` violates the input shape of ``operation``.

    ``params`` is a decoded JSON request body, so any JSON value; nothing but that GlueError
    escapes. A valid request is returned, itself, with its null structure members removed at
    every depth (Glue treats them as absent): the caller hands over a request it owns.
    """
    check = _requests.get(operation)
    if check is None:
        check = _requests[operation] = _container_check(
            _model.operation_model(operation).input_shape
        )
    try:
        check(params, None, 0, _DECIDING)
    except _Invalid:
        pass
    else:
        return params  # type: ignore[return-value]
    report = _Report(operation)
    if isinstance(params, dict):
        check(params, None, 0, report)
    else:
        text = TypeMismatch(f"The {operation} request must be a JSON object")
        report.violation(params, None, text)
    raise report.error()


class _Invalid(Exception):
    """Deciding, a check met a violation: the request is then described."""


class _Report:
    """Deciding, raises _Invalid at the first violation. Describing, collects the violations of a
    request: all counted, the first _SHOWN_VIOLATIONS described.

    Describing is what costs (a hostile request can hold millions of violations), so only the
    ones a message shows are ever built.
    """

    __slots__ = ("count", "deciding", "errors", "listed", "operation")

    def __init__(self, operation: str, *, deciding: bool = False) -> None:
        self.operation = operation
        self.deciding = deciding
        self.count = 0
        self.errors: list[str] = []
        #: Structures whose members a message listed already (once is enough to read).
        self.listed: set[str] = set()

    def spoiled(self) -> None:
        """A violation was found that is described later (a map's, after all its entries)."""
        if self.deciding:
            raise _Invalid

    def _shows_next(self) -> bool:
        if self.deciding:
            raise _Invalid
        self.count += 1
        return self.count <= _SHOWN_VIOLATIONS

    def violation(self, value: object, where: Where, text: str) -> None:
        if self._shows_next():
            shown = show(value, as_json=type(text) is TypeMismatch)
            self.errors.append(f"Value '{shown}'{_at(where)} failed to satisfy constraint: {text}")

    def violations(self, value: object, where: Where, texts: tuple[str, ...]) -> None:
        for text in texts:
            self.violation(value, where, text)

    def null(self, where: Where) -> None:
        if self._shows_next():
            self.errors.append(f"Value null{_at(where)} failed to satisfy constraint: {NULL}")

    def unknown(self, key: object, where: Where, shape: StructureShape) -> None:
        if not self._shows_next():
            return
        known = [member.serialization.get("name", name) for name, member in shape.members.items()]
        close = difflib.get_close_matches(key, known, n=1) if isinstance(key, str) else []
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif shape.name not in self.listed:
            hint = f"{shape.name} has: {', '.join(known)}"
        else:
            hint = f"see {shape.name}'s members above"
        self.listed.add(shape.name)
        self.errors.append(
            f"Unknown member '{show(key, as_json=False)}'{_at(where)} is not part of "
            f"{self.operation}'s input ({hint})"
        )

    def error(self) -> _errors.GlueError:
        count = self.count
        message = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(
            self.errors
        )
        if count > len(self.errors):
            message += f"; and {count - len(self.errors)} more"
        # Lone surrogates (legal in decoded JSON) would break UTF-8 encoding of the response.
        return _errors.invalid_input(message.encode("utf-8", "backslashreplace").decode("utf-8"))


#: The report every request is first checked with: it raises at the first violation and keeps
#: nothing, so one serves every thread.
_DECIDING: Final = _Report("", deciding=True)


def _at(where: Where) -> str:
    """`` at '<path>'`` for a value below the request itself, else nothing."""
    segments: list[str] = []
    while where is not None:
        if len(where) == 3:
            where, key, _ = where
            segments.append(show(key, as_json=False))
        else:
            where, segment = where
            segments.append(segment if isinstance(segment, str) else f"{segment}.member")
    return f" at '{cut('.'.join(reversed(segments)))}'" if segments else ""


def _checks_of(shape: Shape) -> _Checks:
    """The check of ``shape``, built on its first use and kept."""
    found = _checks.get(shape.name)
    if found is None:
        if isinstance(shape, StructureShape | ListShape | MapShape):
            found = _checks[shape.name] = (_container_check(shape), None)
        else:
            scalar = scalar_check(shape)

            def check(value: object, where: Where, depth: int, report: _Report) -> None:
                report.violations(value, where, scalar(value))

            found = _checks[shape.name] = (check, scalar)
    return found


def _container_check(shape: Shape) -> _Check:
    if isinstance(shape, StructureShape):
        return _structure(shape)
    if isinstance(shape, ListShape):
        return _list(shape)
    assert isinstance(shape, MapShape), shape
    return _map(shape)


def _structure(shape: StructureShape) -> _Check:
    # Built on first use, so that a recursive shape finds itself already among the checks; one
    # assignment, so a thread never sees half of it.
    table: _MemberTable | None = None

    def check(value: object, where: Where, depth: int, report: _Report) -> None:
        nonlocal table
        if not isinstance(value, dict):
            report.violation(value, where, NOT_AN_OBJECT)
            return
        # Every recursion in a model passes through a structure, so this bounds the stack.
        if depth > MAX_DEPTH:
            report.violation(value, where, _TOO_DEEP)
            return
        if table is None:
            table = _structure_members(shape)
        members, by_key, required_count = table
        if report.deciding:
            # Only the members sent are visited, in the order sent.
            required = 0
            nulls = False
            for key, item in value.items():
                member = by_key.get(key)
                if member is None:
                    raise _Invalid
                if item is None:
                    nulls = True
                    continue
                _, _, container, scalar, accepted, is_required = member
                required += is_required
                if scalar is None:
                    container(item, None, depth + 1, report)
                elif type(item) is not accepted and scalar(item):
                    raise _Invalid
            if required != required_count:
                raise _Invalid
            if nulls:
                for key in [key for key, item in value.items() if item is None]:
                    del value[key]
            return
        present = 0
        get = value.get
        for key, segment, container, scalar, accepted, required in members:
            item = get(key)
            if item is None:
                if required:
                    report.null((where, segment))
                continue
            present += 1
            if scalar is None:
                container(item, (where, segment), depth + 1, report)
            elif type(item) is not accepted:
                found = scalar(item)
                if found:
                    report.violations(item, (where, segment), found)
        if present != len(value):
            for key in value:
                if key not in by_key:
                    report.unknown(key, where, shape)

    return check


def _structure_members(shape: StructureShape) -> _MemberTable:
    required = set(shape.required_members)
    members = []
    for name, member in shape.members.items():
        check, scalar = _checks_of(member)
        accepted = accepted_type(scalar) if scalar is not None else type(None)
        segment = name[:1].lower() + name[1:]
        key = member.serialization.get("name", name)
        members.append((key, segment, check, scalar, accepted, name in required))
    return members, {member[0]: member for member in members}, len(required)


def _list(shape: ListShape) -> _Check:
    element, scalar = _checks_of(shape.member)
    accepted = accepted_type(scalar) if scalar is not None else type(None)
    lengths, length_violations = length_check(shape)

    def check(value: object, where: Where, depth: int, report: _Report) -> None:
        if not isinstance(value, list):
            report.violation(value, where, NOT_AN_ARRAY)
            return
        if len(value) not in lengths:
            report.violations(value, where, length_violations(len(value)))
        for position, item in enumerate(value, 1):
            if item is None:
                report.null((where, position))
            elif scalar is None:
                element(item, (where, position), depth + 1, report)
            elif type(item) is not accepted:
                found = scalar(item)
                if found:
                    report.violations(item, (where, position), found)

    return check


def _map(shape: MapShape) -> _Check:
    key_check = _checks_of(shape.key)[1] or anything
    key_accepted = accepted_type(key_check)
    container, scalar = _checks_of(shape.value)
    accepted = accepted_type(scalar) if scalar is not None else type(None)
    lengths, length_violations = length_check(shape)

    def check(value: object, where: Where, depth: int, report: _Report) -> None:
        if not isinstance(value, dict):
            report.violation(value, where, NOT_AN_OBJECT)
            return
        if len(value) not in lengths:
            report.violations(value, where, length_violations(len(value)))
        # Scalar keys and values are reported once for the whole map, as AWS does.
        bad_keys: dict[str, None] = {}
        bad_values: dict[str, None] = {}
        for key, item in value.items():
            if type(key) is not key_accepted:
                found = key_check(key)
                if found:
                    bad_keys.update(dict.fromkeys(found))
                    report.spoiled()
            if item is None:
                bad_values[NULL] = None
                report.spoiled()
            elif scalar is None:
                container(item, (where, key, None), depth + 1, report)
            elif type(item) is not accepted:
                found = scalar(item)
                if found:
                    bad_values.update(dict.fromkeys(found))
                    report.spoiled()
        if bad_keys:
            texts = ", ".join(bad_keys)
            report.violation(value, where, f"Map keys must satisfy constraint: [{texts}]")
        if bad_values:
            texts = ", ".join(bad_values)
            report.violation(value, where, f"Map value must satisfy constraint: [{texts}]")

    return check
