"""The jobs, tags and runs of every partition (account, region), kept thread-safe."""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from .bookmarks import JobBookmark
from .partitions import Partition
from .run_logs import LogGroups
from .run_records import Run, RunIndex, Script
from .trigger_rules import TriggerRecord


def _wire_value(value: object) -> float:
    if isinstance(value, datetime):
        # Glue sends timestamps as epoch seconds with a millisecond fraction.
        return round(value.timestamp(), 3)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


# One encoder for every call: json.dumps with any non-default option builds a new one each time.
_ENCODER = json.JSONEncoder(default=_wire_value, separators=(",", ":"))


def to_json(data: object) -> bytes:
    """Glue's JSON encoding of response data (timestamps as epoch seconds)."""
    return _ENCODER.encode(data).encode()


#: The tags of every job without any; never changed.
_NO_TAGS: dict[str, str] = {}


class JobRecord:
    """A stored job as GetJob shows it, and its tags (which GetJob does not show).

    Never mutated once stored: an update stores a new record. Because it never changes, its JSON
    encoding is made once and reused by every read, and reads need not copy it; what is handed
    to Python callers is cloned from ``data`` and ``tags``.
    """

    __slots__ = ("_wire", "data", "tags")

    def __init__(self, data: dict[str, Any], tags: dict[str, str] | None) -> None:
        self.data = data
        self.tags = tags or _NO_TAGS
        self._wire: bytes | None = None

    def wire(self) -> bytes:
        if self._wire is None:
            self._wire = to_json(self.data)
        return self._wire


class PartitionJobs:
    """One partition's jobs and their runs. Callers hold the store's lock while they use it."""

    __slots__ = (
        "_run_indexes",
        "bookmarks",
        "jobs",
        "logs",
        "names",
        "runs",
        "scripts",
        "tagged",
        "triggers",
    )

    def __init__(self) -> None:
        self.jobs: dict[str, JobRecord] = {}
        # Sorted, so a page is a bisect and a slice (Glue lists jobs in name order).
        self.names: list[str] = []
        #: For each tag (key, value), the names of the jobs that carry it, sorted: ListJobs with
        #: a Tags filter walks the jobs of its rarest tag, not every job.
        self.tagged: dict[tuple[str, str], list[str]] = {}
        #: Each job's runs, oldest first (retry attempts are runs too).
        self.runs: dict[str, list[Run]] = {}
        self._run_indexes: dict[str, RunIndex] = {}
        #: The states the test scripted for a job's runs (kept when the job is deleted).
        self.scripts: dict[str, Script] = {}
        #: Each job's bookmark entry (GetJobBookmark), once a run has recorded one.
        self.bookmarks: dict[str, JobBookmark] = {}
        #: What runs wrote to CloudWatch Logs: log group -> log stream (the run id) -> events.
        self.logs: LogGroups = {}
        #: The partition's triggers by name (CreateTrigger; _core/triggers.py).
        self.triggers: dict[str, TriggerRecord] = {}

    def put(self, name: str, job: dict[str, Any], tags: dict[str, str] | None) -> None:
        current = self.jobs.get(name)
        if current is None:
            self.add(name, job, tags)
            return
        record = self.jobs[name] = JobRecord(job, tags)
        if record.tags is not current.tags:
            self._untag(name, current.tags, record.tags)
            self._tag(name, record.tags, current.tags)

    def add(self, name: str, job: dict[str, Any], tags: dict[str, str] | None) -> None:
        """``put`` for a name known to be new."""
        _insert(self.names, name)
        record = self.jobs[name] = JobRecord(job, tags)
        if record.tags:
            self._tag(name, record.tags, _NO_TAGS)

    def remove(self, name: str) -> bool:
        """Delete a job, its tags and its runs (a job created again starts with no history)."""
        record = self.jobs.pop(name, None)
        if record is None:
            return False
        self.runs.pop(name, None)
        self._run_indexes.pop(name, None)
        self.bookmarks.pop(name, None)
        del self.names[bisect.bisect_left(self.names, name)]
        self._untag(name, record.tags, _NO_TAGS)
        return True

    def names_after(self, cursor: str | None) -> int:
        """Index of the first name strictly after ``cursor`` (0 without a cursor)."""
        return 0 if cursor is None else bisect.bisect_right(self.names, cursor)

    def tagged_after(self, tags: Mapping[str, str], cursor: str | None) -> Iterator[str]:
        """In name order after ``cursor``, the jobs that carry every one of ``tags``.

        A job matches when each tag filtered on is on it with the same value (our reading;
        Glue does not say).
        """
        carriers = []
        for item in tags.items():
            names = self.tagged.get(item)
            if names is None:
                return
            carriers.append(names)
        rarest = min(carriers, key=len)
        wanted = tags.items()
        start = 0 if cursor is None else bisect.bisect_right(rarest, cursor)
        for position in range(start, len(rarest)):
            name = rarest[position]
            # Item views compare as sets, in C.
            if len(carriers) == 1 or wanted <= self.jobs[name].tags.items():
                yield name

    def run_index(self, name: str) -> RunIndex:
        """The job's runs by id and those not ended yet, up to date with ``runs[name]``."""
        runs = self.runs.get(name)
        if runs is None:
            return RunIndex([])
        index = self._run_indexes.get(name)
        if index is None or not index.follows(runs):
            index = self._run_indexes[name] = RunIndex(runs)
        index.catch_up()
        return index

    def _tag(self, name: str, tags: dict[str, str], before: dict[str, str]) -> None:
        """Index the tags of ``name`` that it did not carry ``before``."""
        had = before.items()
        for item in tags.items():
            if item not in had:
                _insert(self.tagged.setdefault(item, []), name)

    def _untag(self, name: str, tags: dict[str, str], after: dict[str, str]) -> None:
        """Drop from the index the tags of ``name`` that it no longer carries ``after``."""
        keeps = after.items()
        for item in tags.items():
            if item not in keeps:
                names = self.tagged[item]
                del names[bisect.bisect_left(names, name)]
                if not names:
                    del self.tagged[item]


def _insert(names: list[str], name: str) -> None:
    """Put ``name`` into the sorted list ``names``."""
    # Names often come in order (a test's job-1, job-2, ...): then one comparison with the last
    # name, which is likely in the CPU cache, instead of a bisection over the list.
    if not names or name > names[-1]:
        names.append(name)
    else:
        bisect.insort(names, name)


class JobStore:
    """Every partition's jobs behind one re-entrant lock.

    The service, on every request, holds ``lock`` and calls ``jobs_of``: half the cost of a
    context manager written in Python. Other callers use ``with store.partition(p) as jobs``.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._partitions: dict[Partition, PartitionJobs] = {}

    def jobs_of(self, partition: Partition) -> PartitionJobs:
        """The partition's jobs, created empty on first use. Hold ``lock`` while using them."""
        jobs = self._partitions.get(partition)
        if jobs is None:
            jobs = self._partitions[partition] = PartitionJobs()
        return jobs

    @contextmanager
    def partition(self, partition: Partition) -> Iterator[PartitionJobs]:
        """Hold the lock and give the partition's jobs."""
        with self.lock:
            yield self.jobs_of(partition)

    @contextmanager
    def all_partitions(self) -> Iterator[dict[Partition, PartitionJobs]]:
        with self.lock:
            yield self._partitions

    def clear(self) -> None:
        with self.lock:
            self._partitions.clear()
