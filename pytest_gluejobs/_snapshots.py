"""Snapshots of the fake's state: plain JSON-able data, snapshot files and their comparison.

This module knows nothing of pytest: which file belongs to the running test, whether files are being
updated and what to report at the end come from a SnapshotContext that the pytest plugin provides.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from ._assertions import differences
from ._core.state import Everything

#: What snapshot() shows instead of a timestamp unless asked for timestamps.
TIMESTAMP_PLACEHOLDER = "<timestamp>"
#: The key of snapshot data that holds the triggers, by partition then name.
TRIGGERS = "Triggers"


class SnapshotContext(Protocol):
    """What assert_snapshot needs to know of the running test; provided by the pytest plugin."""

    @property
    def update(self) -> bool:
        """True when snapshot files are to be written rather than compared."""

    def path_for(self, name: str | None) -> Path:
        """The snapshot file of this test (and ``name``); raises ValueError if it cannot be one."""

    def claim(self, path: Path) -> None:
        """Record that this test asserts ``path``; raises ValueError if it is asserted twice."""

    def wrote(self, path: Path, *, created: bool) -> None:
        """Record that ``path`` was written, for the end-of-run summary."""

    def up_to_date(self, path: Path) -> None:
        """Record that ``path`` already held the snapshot, for the end-of-run summary."""

    def show(self, path: Path) -> str:
        """``path`` as the user should read it (relative to where pytest was run)."""

    def update_command(self) -> str:
        """The shell command that (re)writes this test's snapshot files."""


# -- data ---------------------------------------------------------------------------------------


def _plain(value: Any, timestamps: bool) -> Any:
    if isinstance(value, dict):
        return {key: _plain(value[key], timestamps) for key in sorted(value)}
    if isinstance(value, list):
        return [_plain(item, timestamps) for item in value]
    if isinstance(value, datetime):
        return value.isoformat() if timestamps else TIMESTAMP_PLACEHOLDER
    return value


def snapshot_data(state: Everything, *, timestamps: bool) -> dict[str, Any]:
    """``{"<account>/<region>": {name: {**job, "Tags": tags}}}`` as plain, key-sorted JSON data.

    A job that has runs also has ``"Runs"``, newest first (so snapshots of jobs without runs are
    as they always were). Only partitions holding jobs appear. When there are triggers,
    ``"Triggers"`` (a key no partition can have: it has no "/") holds them the same way:
    ``{"<account>/<region>": {name: {**trigger, "Tags": tags}}}``. Datetimes become ISO-8601
    strings with ``timestamps``, else the placeholder.
    """
    data: dict[str, Any] = {}
    for (account_id, region), jobs in sorted(state.jobs.items()):
        if jobs:
            data[f"{account_id}/{region}"] = {
                job["Name"]: _plain(
                    {**job, "Tags": tags, **({"Runs": runs[::-1]} if runs else {})}, timestamps
                )
                for job, tags, runs in jobs
            }
    if state.triggers:
        data[TRIGGERS] = {
            f"{account_id}/{region}": {
                trigger["Name"]: _plain({**trigger, "Tags": tags}, timestamps)
                for trigger, tags in triggers
            }
            for (account_id, region), triggers in sorted(state.triggers.items())
        }
    return {key: dict(sorted(data[key].items())) for key in sorted(data)}


def to_text(data: dict[str, Any]) -> str:
    """The snapshot file format: JSON, indent 2, sorted keys, a trailing newline.

    Characters are written as they are, except lone surrogates: the fake keeps them where the
    model sets no pattern (a Role of "\\udc00"; a Java string holds one, so Glue presumably
    does too), and UTF-8 cannot hold them, so they are written as JSON escapes.
    """
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return _LONE_SURROGATE.sub(_escaped, text)


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escaped(surrogate: re.Match[str]) -> str:
    return f"\\u{ord(surrogate.group()):04x}"


# -- files --------------------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def assert_snapshot(
    context: SnapshotContext | None, actual: dict[str, Any], name: str | None
) -> None:
    """Compare ``actual`` (a snapshot) with this test's snapshot file, or write it when updating."""
    __tracebackhide__ = True
    if context is None:
        raise RuntimeError(
            "assert_snapshot() needs the glue_jobs pytest fixture: it names the snapshot file "
            "after the running test. A fake from mock_glue_jobs() or GlueJobsFake() has no test; "
            "compare fake.snapshot() with data you keep yourself instead."
        )
    path = context.path_for(name)
    context.claim(path)
    text = to_text(actual)
    try:
        stored_text: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        stored_text = None

    if context.update:
        if stored_text == text:
            context.up_to_date(path)
        else:
            write_atomically(path, text)
            context.wrote(path, created=stored_text is None)
        return
    if stored_text is None:
        raise AssertionError(
            f"No glue_jobs snapshot file {context.show(path)} yet. Create it with\n"
            f"    {context.update_command()}\n"
            "then review the file and commit it with the test."
        )
    try:
        stored = json.loads(stored_text)
    except (ValueError, RecursionError) as error:
        # RecursionError: arrays or objects nested deeper than the parser will follow.
        problem = "nested too deeply to read" if isinstance(error, RecursionError) else error
        raise AssertionError(
            f"The glue_jobs snapshot file {context.show(path)} is not valid JSON ({problem}). "
            f"Rewrite it from the fake's state with\n    {context.update_command()}"
        ) from None
    if stored != actual:
        raise AssertionError(_mismatch_message(context, path, stored, actual, stored_text, text))


def _mismatch_message(
    context: SnapshotContext,
    path: Path,
    stored: Any,
    actual: dict[str, Any],
    stored_text: str,
    text: str,
) -> str:
    shown = context.show(path)
    # Diff the stored data in the file format, so that a hand-formatted file shows only changes.
    before = to_text(stored) if isinstance(stored, dict) else stored_text
    diff = difflib.unified_diff(
        before.splitlines(keepends=True),
        text.splitlines(keepends=True),
        fromfile=f"{shown} (stored)",
        tofile="glue_jobs.snapshot() (actual)",
    )
    changes = "\n".join(f"  {change}" for change in _changes(stored, actual))
    return (
        f"The fake's state differs from the glue_jobs snapshot {shown}:\n{changes}\n\n"
        f"{''.join(diff)}\n"
        f"If the new state is right, update the file (and review the change) with\n"
        f"    {context.update_command()}"
    )


def _changes(stored: Any, actual: dict[str, Any]) -> list[str]:
    """One line per changed field, job, trigger or partition, naming it."""
    if not isinstance(stored, dict) or not all(
        isinstance(v, dict) and (k != TRIGGERS or all(isinstance(t, dict) for t in v.values()))
        for k, v in stored.items()
    ):
        return ["the stored file does not hold snapshot-shaped data"]
    found: list[str] = []
    for where in sorted((set(stored) | set(actual)) - {TRIGGERS}):
        found.extend(_named_changes("job", where, stored.get(where, {}), actual.get(where, {})))
    stored_triggers, triggers = stored.get(TRIGGERS, {}), actual.get(TRIGGERS, {})
    for where in sorted(set(stored_triggers) | set(triggers)):
        old, new = stored_triggers.get(where, {}), triggers.get(where, {})
        found.extend(_named_changes("trigger", where, old, new))
    return found


def _named_changes(kind: str, where: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            found.append(f"{kind} {name!r} in {where}: new (not in the stored snapshot)")
        elif name not in new:
            found.append(f"{kind} {name!r} in {where}: gone (only in the stored snapshot)")
        else:
            found.extend(
                f"{kind} {name!r} in {where}: {d.path or f'(whole {kind})'}: "
                f"{_short(d.expected)} -> {_short(d.actual)}"
                for d in differences(old[name], new[name], subset=False)
            )
    return found


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
