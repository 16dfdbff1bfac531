"""The jobs and tags of every partition (account, region), kept thread-safe and in name order."""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

#: (account_id, region): Glue keeps a separate set of jobs for each.
Partition = tuple[str, str]


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


class JobRecord:
    """A stored job as GetJob shows it. Never mutated once stored: an update stores a new record.

    Because it never changes, its JSON encoding is made once and reused by every read, and reads
    need not copy it; what is handed to Python callers is cloned from ``data``.
    """

    __slots__ = ("_wire", "data")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._wire: bytes | None = None

    def wire(self) -> bytes:
        if self._wire is None:
            self._wire = to_json(self.data)
        return self._wire


class PartitionJobs:
    """One partition's jobs. Callers hold the store's lock while they use it."""

    __slots__ = ("jobs", "names", "tags")

    def __init__(self) -> None:
        self.jobs: dict[str, JobRecord] = {}
        self.tags: dict[str, dict[str, str]] = {}
        # Sorted, so a page is a bisect and a slice (Glue lists jobs in name order).
        self.names: list[str] = []

    def put(self, name: str, job: dict[str, Any]) -> None:
        if name not in self.jobs:
            bisect.insort(self.names, name)
        self.jobs[name] = JobRecord(job)

    def remove(self, name: str) -> bool:
        if self.jobs.pop(name, None) is None:
            return False
        del self.names[bisect.bisect_left(self.names, name)]
        self.tags.pop(name, None)
        return True

    def names_after(self, cursor: str | None) -> int:
        """Index of the first name strictly after ``cursor`` (0 without a cursor)."""
        return 0 if cursor is None else bisect.bisect_right(self.names, cursor)


class JobStore:
    """Every partition's jobs behind one re-entrant lock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._partitions: dict[Partition, PartitionJobs] = {}

    def partition(self, partition: Partition) -> _Held:
        """Hold the lock and give the partition's jobs (created empty on first use)."""
        return _Held(self, partition)

    def _jobs_of(self, partition: Partition) -> PartitionJobs:
        jobs = self._partitions.get(partition)
        if jobs is None:
            jobs = self._partitions[partition] = PartitionJobs()
        return jobs

    @contextmanager
    def all_partitions(self) -> Iterator[dict[Partition, PartitionJobs]]:
        with self._lock:
            yield self._partitions

    def clear(self) -> None:
        with self._lock:
            self._partitions.clear()


class _Held:
    """What ``with store.partition(p) as jobs`` enters. Every request enters one, and a plain
    class costs a third of a generator-based context manager."""

    __slots__ = ("_partition", "_store")

    def __init__(self, store: JobStore, partition: Partition) -> None:
        self._store = store
        self._partition = partition

    def __enter__(self) -> PartitionJobs:
        self._store._lock.acquire()
        try:
            return self._store._jobs_of(self._partition)
        except BaseException:
            self._store._lock.release()
            raise

    def __exit__(self, *exc: object) -> None:
        self._store._lock.release()
