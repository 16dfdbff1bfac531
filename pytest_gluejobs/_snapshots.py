"""Snapshots of the fake's state: plain JSON-able data, snapshot files, comparison, and loading.

This module knows nothing of pytest: which file belongs to the running test, whether files are being
updated and what to report at the end come from a SnapshotContext that the pytest plugin provides.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ._assertions import differences
from ._core.errors import GlueError
from ._core.jsondata import plain
from ._core.runs import RUN_STATES, Run
from ._core.service import GlueJobsService
from ._core.service import now as service_now
from ._core.store import Partition

if TYPE_CHECKING:
    from ._fake import GlueJobsFake

#: What snapshot() shows instead of a timestamp unless asked for timestamps.
TIMESTAMP_PLACEHOLDER = "<timestamp>"

#: The members of a snapshotted job that CreateJob does not take: set by the service, not the user.
_READ_ONLY = ("CreatedOn", "LastModifiedOn")


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


#: A job as the snapshot reads it: its fields, its tags, its runs (newest first).
SnapshotJob = tuple[dict[str, Any], dict[str, str], list[dict[str, Any]]]


def snapshot_data(state: dict[Partition, list[SnapshotJob]], *, timestamps: bool) -> dict[str, Any]:
    """``{"<account>/<region>": {name: {**job, "Tags": tags}}}`` as plain, key-sorted JSON data.

    A job that has runs also has ``"Runs"``, newest first (so snapshots of jobs without runs are
    as they always were). Only partitions holding jobs appear. Datetimes become ISO-8601 strings
    with ``timestamps``, else the placeholder. ``state`` is only read (its caller holds the lock).
    """
    data: dict[str, Any] = {}
    for (account_id, region), jobs in sorted(state.items()):
        if jobs:
            data[f"{account_id}/{region}"] = {
                job["Name"]: _plain(
                    {**job, "Tags": tags, **({"Runs": runs} if runs else {})}, timestamps
                )
                for job, tags, runs in jobs
            }
    return {key: dict(sorted(jobs.items())) for key, jobs in data.items()}


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


def assert_snapshot(fake: GlueJobsFake, name: str | None, *, timestamps: bool) -> None:
    """Compare the fake's snapshot with this test's snapshot file, or write it when updating."""
    __tracebackhide__ = True
    context = fake.snapshot_context
    if context is None:
        raise RuntimeError(
            "assert_snapshot() needs the glue_jobs pytest fixture: it names the snapshot file "
            "after the running test. A fake from mock_glue_jobs() or GlueJobsFake() has no test; "
            "compare fake.snapshot() with data you keep yourself instead."
        )
    path = context.path_for(name)
    context.claim(path)
    actual = fake.snapshot(timestamps=timestamps)
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
    except ValueError as error:
        raise AssertionError(
            f"The glue_jobs snapshot file {context.show(path)} is not valid JSON ({error}). "
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
    """One line per changed field, job or partition, naming it."""
    if not isinstance(stored, dict) or not all(isinstance(v, dict) for v in stored.values()):
        return ["the stored file does not hold snapshot-shaped data"]
    found: list[str] = []
    for where in sorted(set(stored) | set(actual)):
        old, new = stored.get(where, {}), actual.get(where, {})
        for job in sorted(set(old) | set(new)):
            if job not in old:
                found.append(f"job {job!r} in {where}: new (not in the stored snapshot)")
            elif job not in new:
                found.append(f"job {job!r} in {where}: gone (only in the stored snapshot)")
            else:
                found.extend(
                    f"job {job!r} in {where}: {d.path or '(whole job)'}: "
                    f"{_short(d.expected)} -> {_short(d.actual)}"
                    for d in differences(old[job], new[job], subset=False)
                )
    return found


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- loading ------------------------------------------------------------------------------------


def load(fake: GlueJobsFake, data: object) -> None:
    """Seed ``fake`` from snapshot-shaped data: all of it, or nothing if any of it is refused.

    Each job goes through CreateJob's validation and defaults, and must come out as given (so a
    snapshot loads back to itself); ``"<timestamp>"`` placeholders become the current time.
    """
    # A scratch service checks and builds everything first, so a bad job leaves the fake untouched.
    scratch = GlueJobsService(
        default_glue_version=fake._service.rules.default_glue_version,
        extra_glue_versions=fake._service.rules.versions.extra,
    )
    if not isinstance(data, dict):
        raise ValueError(_load_problem("", f"expected a dict of partitions, got {_kind(data)}"))
    loaded: dict[Partition, list[SnapshotJob]] = {}
    for key, jobs in data.items():
        partition = _partition(key)
        if not isinstance(jobs, dict):
            raise ValueError(
                _load_problem(key, f"expected a dict of jobs by name, got {_kind(jobs)}")
            )
        loaded[partition] = [
            _build(scratch, partition, key, name, job) for name, job in jobs.items()
        ]

    with fake._service.store.all_partitions():
        for partition, built in loaded.items():
            with fake._service.store.partition(partition) as stored:
                clash = [job["Name"] for job, _, _ in built if job["Name"] in stored.jobs]
                if clash:
                    raise ValueError(
                        _load_problem(
                            _key(partition),
                            f"job(s) {', '.join(map(repr, clash))} already exist; load() adds "
                            "jobs to the fake's state, so call reset() first to replace them",
                        )
                    )
        for partition, built in loaded.items():
            with fake._service.store.partition(partition) as stored:
                for job, tags, runs in built:
                    name = job["Name"]
                    stored.put(name, job, tags)
                    if runs:
                        script = stored.scripts.get(name, fake._service.runs.default_script)
                        stored.runs[name] = [Run(run, script) for run in runs]


def _key(partition: Partition) -> str:
    return f"{partition[0]}/{partition[1]}"


def _kind(value: object) -> str:
    return type(value).__name__


def _load_problem(where: str, problem: str) -> str:
    place = f" at {where!r}" if where else ""
    return f"load(): snapshot data{place}: {problem}."


def _partition(key: object) -> Partition:
    parts = key.split("/") if isinstance(key, str) else []
    if len(parts) != 2 or not all(parts):
        raise ValueError(
            _load_problem(
                str(key),
                "a partition key must be '<account_id>/<region>', e.g. '123456789012/us-east-1'",
            )
        )
    return parts[0], parts[1]


def _build(
    scratch: GlueJobsService, partition: Partition, key: str, name: object, given: object
) -> SnapshotJob:
    where = f"{key} > {name}"
    if not isinstance(name, str) or not name:
        raise ValueError(_load_problem(where, "a job's key must be its name, a non-empty string"))
    if not isinstance(given, dict):
        raise ValueError(
            _load_problem(where, f"expected the job's fields as a dict, got {_kind(given)}")
        )
    if given.get("Name", name) != name:
        raise ValueError(
            _load_problem(where, f"the job's Name {given['Name']!r} differs from its key {name!r}")
        )
    fields = {"Name": name, **plain(given)}
    runs = _runs_to_load(where, fields.pop("Runs", []))
    times = {member: fields.pop(member, TIMESTAMP_PLACEHOLDER) for member in _READ_ONLY}
    params = dict(fields)
    # GetJob echoes capacity it derives (MaxCapacity from workers, AllocatedCapacity from
    # MaxCapacity) that CreateJob would refuse alongside its source; the rules derive it again.
    if "WorkerType" in params:
        params.pop("MaxCapacity", None)
        params.pop("AllocatedCapacity", None)
    elif "MaxCapacity" in params:
        params.pop("AllocatedCapacity", None)
    params.pop("AutoUpgradeMetadata", None)  # output only: Glue sets it for an `auto` job
    try:
        scratch.handle("CreateJob", params, partition)
    except GlueError as error:
        raise ValueError(
            _load_problem(where, f"Glue would refuse this job ({error.code}: {error.message})")
        ) from None
    with scratch.store.partition(partition) as jobs:
        job = dict(jobs.jobs[name].data)
        tags = dict(jobs.jobs[name].tags)
    fields.pop("Tags", None)
    found = differences(fields, job, subset=True)
    if found:
        listed = "; ".join(f"{d.path} is {d.expected!r} but Glue shows {d.actual!r}" for d in found)
        raise ValueError(
            _load_problem(where, f"{listed} for this definition; fix or remove the field(s)")
        )
    for member, value in times.items():
        if value != TIMESTAMP_PLACEHOLDER:
            job[member] = _timestamp(where, member, value)
    return job, tags, runs


_RUN_TIMES = ("StartedOn", "LastModifiedOn", "CompletedOn")


def _runs_to_load(where: str, given: object) -> list[dict[str, Any]]:
    """A snapshot's ``Runs`` (newest first) as run data, oldest first; ValueError if malformed."""
    if not isinstance(given, list):
        raise ValueError(_load_problem(where, f"Runs must be a list of runs, got {_kind(given)}"))
    loaded = []
    for index, run in enumerate(given):
        at = f"{where} > Runs[{index}]"
        if not isinstance(run, dict) or not isinstance(run.get("Id"), str):
            raise ValueError(_load_problem(at, "a run must be a dict with its Id"))
        if run.get("JobRunState") not in RUN_STATES:
            raise ValueError(
                _load_problem(at, f"JobRunState must be one of {', '.join(RUN_STATES)}")
            )
        data = dict(run)
        now = service_now()
        for member in _RUN_TIMES:
            if member in data:
                value = data[member]
                data[member] = (
                    now if value == TIMESTAMP_PLACEHOLDER else _timestamp(at, member, value)
                )
        loaded.append(data)
    return loaded[::-1]


def _timestamp(where: str, member: str, value: object) -> datetime:
    text = value[:-1] + "+00:00" if isinstance(value, str) and value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(
            _load_problem(
                where,
                f"{member} is {value!r}; expected an ISO-8601 time with a UTC offset, e.g. "
                f"'2024-01-31T12:00:00+00:00', or {TIMESTAMP_PLACEHOLDER!r} for the current time",
            )
        )
    return parsed.astimezone(timezone.utc)
