"""The jobs and tags of every partition (account, region), kept thread-safe and in name order."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: (account_id, region): Glue keeps a separate set of jobs for each.
Partition = tuple[str, str]


class PartitionJobs:
    """One partition's jobs. Callers hold the store's lock while they use it."""

    __slots__ = ("jobs", "names", "tags")

    def __init__(self) -> None:
        self.jobs: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, dict[str, str]] = {}
        # Sorted, so a page is a bisect and a slice (Glue lists jobs in name order).
        self.names: list[str] = []

    def put(self, name: str, job: dict[str, Any]) -> None:
        if name not in self.jobs:
            bisect.insort(self.names, name)
        self.jobs[name] = job

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

    @contextmanager
    def partition(self, partition: Partition) -> Iterator[PartitionJobs]:
        """Hold the lock and give the partition's jobs (created empty on first use)."""
        with self._lock:
            jobs = self._partitions.get(partition)
            if jobs is None:
                jobs = self._partitions[partition] = PartitionJobs()
            yield jobs

    @contextmanager
    def all_partitions(self) -> Iterator[dict[Partition, PartitionJobs]]:
        with self._lock:
            yield self._partitions

    def clear(self) -> None:
        with self._lock:
            self._partitions.clear()
