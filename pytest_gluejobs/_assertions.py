"""Assertion helpers on stored jobs and recorded calls, with messages a person can act on.

Each helper raises ``AssertionError`` carrying the whole explanation (what was expected, what was
found, field by field, and the nearest candidates), so the message is as good without pytest's
assertion rewriting (unittest, plain scripts) as with it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._core.model import OPERATIONS, glue_operation_names, service_model
from ._core.partitions import Partition
from ._core.state import ServiceState

if TYPE_CHECKING:
    from ._transport.calls import Call

#: How many candidates (names, calls) a message lists before summarising the rest.
_LISTED = 10
#: How many names assert_job_names lists of each kind (missing, unexpected).
_NAMES_LISTED = 20
#: Above this many unexpected names, a missing one is not matched to its closest.
_NAMES_COMPARED = 1000


class _Absent:
    """A member that is not there (distinct from a member whose value is None)."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT: Any = _Absent()


class Difference:
    """One place where two JSON-like values differ: a dotted path, the two values, and a hint."""

    __slots__ = ("actual", "expected", "hint", "path")

    def __init__(self, path: str, expected: Any, actual: Any, hint: str = "") -> None:
        self.path = path
        self.expected = expected
        self.actual = actual
        self.hint = hint

    def describe(self, indent: str = "  ") -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return (
            f"{indent}{self.path or '(whole value)'}:\n"
            f"{indent}  expected: {self.expected!r}\n"
            f"{indent}  actual:   {self.actual!r}{hint}"
        )


def differences(
    expected: Any, actual: Any, *, subset: bool, path: str = "", known: Iterable[str] = ()
) -> list[Difference]:
    """Where ``actual`` fails to match ``expected``, in path order.

    Dicts are compared member by member; with ``subset`` only the members ``expected`` names count,
    otherwise members on either side do. Anything else (lists included) must be equal as a whole.
    ``known`` are further member names to suggest, at this level only, when a member is absent.
    """
    if not (isinstance(expected, dict) and isinstance(actual, dict)):
        return [] if expected == actual else [Difference(path, expected, actual)]
    keys = list(expected) if subset else sorted(set(expected) | set(actual))
    found: list[Difference] = []
    for key in keys:
        where = f"{path}.{key}" if path else str(key)
        want = expected.get(key, ABSENT)
        have = actual.get(key, ABSENT)
        if have is ABSENT and want is not ABSENT:
            found.append(Difference(where, want, ABSENT, _absent_hint(key, actual, known)))
        elif want is ABSENT:
            found.append(Difference(where, ABSENT, have))
        else:
            found.extend(differences(want, have, subset=subset, path=where))
    return found


def _absent_hint(key: str, actual: dict[str, Any], known: Iterable[str]) -> str:
    candidates = sorted(set(actual) | set(known))
    if key in candidates:
        return "not set on this job"
    close = difflib.get_close_matches(str(key), candidates, n=1, cutoff=0.6)
    if close and close[0] in actual:
        return f"did you mean {close[0]!r}?"
    if close:
        return f"did you mean {close[0]!r}? It is not set on this job"
    present = ", ".join(sorted(actual)) or "nothing"
    return f"present here: {present}"


def closest_first(name: str, names: Iterable[str]) -> list[str]:
    """``names`` ordered by similarity to ``name``, most similar first (ties in name order)."""
    ordered = sorted(names)
    return sorted(ordered, key=lambda other: -difflib.SequenceMatcher(None, name, other).ratio())


def _listing(items: Sequence[str], *, separator: str = ", ") -> str:
    shown = separator.join(items[:_LISTED])
    more = len(items) - _LISTED
    return shown + (f"{separator}... and {more} more" if more > 0 else "")


def _where(partition: Partition) -> str:
    return f"{partition[0]}/{partition[1]}"


def _show_job(job: dict[str, Any]) -> str:
    return json.dumps(job, indent=2, sort_keys=True, default=_iso)


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)


# -- jobs ---------------------------------------------------------------------------------------


def assert_job(
    state: ServiceState,
    name: str,
    partition: Partition,
    expected: dict[str, Any],
    *,
    any_calls: bool,
) -> dict[str, Any]:
    """The job exists and matches ``expected`` (nested dicts as subsets); returns it.

    ``Tags`` in ``expected`` is matched against the job's tags, as a subset. ``any_calls`` says
    whether any call reached the fake (a hint when the job is missing).
    """
    __tracebackhide__ = True
    job = state.job(partition, name)
    if job is None:
        raise AssertionError(_missing_job_message(state, name, partition, any_calls))
    actual = dict(job)
    if "Tags" in expected:
        actual["Tags"] = state.tags(partition, name) or {}
    known = [*service_model().shape_for("Job").members, "Tags"]
    found = differences(expected, actual, subset=True, known=known)
    if found:
        listed = "\n".join(difference.describe() for difference in found)
        raise AssertionError(
            f"Glue job {name!r} in {_where(partition)} does not match: "
            f"{len(found)} field(s) differ.\n{listed}\n"
            f"The job as GetJob returns it:\n{_show_job(job)}"
        )
    return job


def _missing_job_message(
    state: ServiceState, name: str, partition: Partition, any_calls: bool
) -> str:
    lines = [f"No Glue job named {name!r} in {_where(partition)}."]
    names = state.job_names(partition)
    if names:
        shown = _listing([repr(other) for other in closest_first(name, names)])
        lines.append(f"Jobs there ({len(names)}), closest name first: {shown}")
    else:
        lines.append("That partition has no jobs.")
    elsewhere = [_where(other) for other in state.partitions_with(name) if other != partition]
    if elsewhere:
        lines.append(
            f"A job named {name!r} exists in {', '.join(elsewhere)}: pass region= and "
            "account_id= to look there, or check where the code under test creates its client."
        )
    if not any_calls:
        lines.append(
            "No Glue call has reached the fake: is the code under test run while the fake is "
            "active, with a botocore-based client?"
        )
    return "\n".join(lines)


def assert_no_job(state: ServiceState, name: str, partition: Partition) -> None:
    """The job does not exist."""
    __tracebackhide__ = True
    job = state.job(partition, name)
    if job is not None:
        raise AssertionError(
            f"Glue job {name!r} exists in {_where(partition)}, but it should not.\n"
            f"The job as GetJob returns it:\n{_show_job(job)}"
        )


def assert_job_names(state: ServiceState, names: Sequence[str], partition: Partition) -> None:
    """The partition holds exactly ``names`` (in any order).

    Passing costs as many steps as there are names given, whatever the store holds; the failure
    message lists at most 20 names of each kind, with the counts.
    """
    __tracebackhide__ = True
    wanted = set(names)
    if state.holds_exactly(partition, wanted):
        return
    actual = state.job_names(partition)
    present = set(actual)
    missing = sorted(wanted - present)
    unexpected = [name for name in actual if name not in wanted]
    lines = [f"The jobs in {_where(partition)} are not the expected ones."]
    compared = unexpected if len(unexpected) <= _NAMES_COMPARED else []
    for name in missing[:_NAMES_LISTED]:
        close = difflib.get_close_matches(name, compared, n=1)
        nearest = f" (closest unexpected name: {close[0]!r})" if close else ""
        lines.append(f"  missing:    {name!r}{nearest}")
    if len(missing) > _NAMES_LISTED:
        lines.append(f"  ... and {len(missing) - _NAMES_LISTED} more missing")
    for name in unexpected[:_NAMES_LISTED]:
        lines.append(f"  unexpected: {name!r}")
    if len(unexpected) > _NAMES_LISTED:
        lines.append(f"  ... and {len(unexpected) - _NAMES_LISTED} more unexpected")
    if len(wanted) <= _NAMES_LISTED and len(actual) <= _NAMES_LISTED:
        lines.append(f"  expected: {sorted(wanted)!r}")
        lines.append(f"  actual:   {actual!r}")
    else:
        lines.append(
            f"  expected {len(wanted)} name(s), found {len(actual)}: {len(missing)} missing, "
            f"{len(unexpected)} unexpected"
        )
    raise AssertionError("\n".join(lines))


# -- calls --------------------------------------------------------------------------------------


def _check_operation(operation: str) -> None:
    if operation in OPERATIONS:
        return
    choices = ", ".join(OPERATIONS)
    if operation in glue_operation_names():
        raise ValueError(
            f"{operation} is a Glue operation the fake does not implement, so it is never "
            f"recorded; the fake records: {choices}."
        )
    folded = {candidate.lower(): candidate for candidate in OPERATIONS}
    close = difflib.get_close_matches(operation.replace("_", "").lower(), folded, n=1)
    suggestion = f" Did you mean {folded[close[0]]!r}?" if close else ""
    raise ValueError(
        f"{operation!r} is not one of the Glue operations the fake records: {choices}.{suggestion}"
    )


def _describe_call(index: int, call: Call) -> str:
    outcome = f"{call.status} {call.error or 'OK'}" + (", injected" if call.injected else "")
    return f"#{index} {call.operation} -> {outcome} in {call.account_id}/{call.region}"


def _closeness(found: list[Difference]) -> float:
    # Among calls with as many differences, those whose differing values look alike come first.
    if not found:
        return 0.0
    ratios = [
        difflib.SequenceMatcher(None, repr(d.expected), repr(d.actual)).ratio() for d in found
    ]
    return -sum(ratios) / len(ratios)


def assert_called(
    calls: list[Call], operation: str, times: int | None, params: dict[str, Any]
) -> list[Call]:
    """``operation`` was called (exactly ``times`` times if given) with params matching as subsets.

    Every HTTP attempt counts, failed and retried ones included. Returns the matching calls.
    """
    __tracebackhide__ = True
    _check_operation(operation)
    if times is not None and times < 0:
        raise ValueError(f"times must be 0 or more; got {times}.")
    numbered = [(index, call) for index, call in enumerate(calls, 1) if call.operation == operation]
    compared = [
        (index, call, differences(params, call.params, subset=True)) for index, call in numbered
    ]
    matching = [(index, call) for index, call, found in compared if not found]
    if (times is None and matching) or len(matching) == times:
        return [call for _, call in matching]

    wanted = "at least once" if times is None else f"exactly {times} time(s)"
    shown_params = f" with params matching {params!r}" if params else ""
    lines = [
        f"Expected {operation} to be called {wanted}{shown_params}; "
        f"{len(matching)} of the {len(numbered)} {operation} call(s) match."
    ]
    if matching and times is not None:
        lines.append("Matching calls:")
        lines.extend(f"  {_describe_call(index, call)}" for index, call in matching[:_LISTED])
    if not numbered:
        lines.append(_other_calls(calls))
    elif len(matching) < len(numbered):
        lines.append(f"{operation} calls that do not match, closest first:")
        ordered = sorted(
            (entry for entry in compared if entry[2]),
            key=lambda entry: (len(entry[2]), _closeness(entry[2]), entry[0]),
        )
        for index, call, found in ordered[:_LISTED]:
            lines.append(f"  {_describe_call(index, call)}")
            lines.extend(difference.describe("    ") for difference in found)
        if len(ordered) > _LISTED:
            lines.append(f"  ... and {len(ordered) - _LISTED} more")
    raise AssertionError("\n".join(lines))


def _other_calls(calls: list[Call]) -> str:
    if not calls:
        return (
            "No Glue call reached the fake at all: is the code under test run while the fake is "
            "active, with a botocore-based client?"
        )
    counts: dict[str, int] = {}
    for call in calls:
        counts[call.operation] = counts.get(call.operation, 0) + 1
    made = ", ".join(f"{operation} x{count}" for operation, count in counts.items())
    return f"Calls that reached the fake: {made}."


def assert_not_called(calls: list[Call], operation: str) -> None:
    """``operation`` was never called."""
    __tracebackhide__ = True
    _check_operation(operation)
    made = [(index, call) for index, call in enumerate(calls, 1) if call.operation == operation]
    if made:
        lines = [f"Expected no {operation} call, but {len(made)} reached the fake:"]
        for index, call in made[:_LISTED]:
            lines.append(f"  {_describe_call(index, call)}, params={call.params!r}")
        if len(made) > _LISTED:
            lines.append(f"  ... and {len(made) - _LISTED} more")
        raise AssertionError("\n".join(lines))
