"""How figures are taken: CPU time per call, per-round samples, and their medians and ratios."""

from __future__ import annotations

import gc
import itertools
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
#: Puts the baseline in place of the active fake while entered.
Swap = Callable[[], AbstractContextManager[None]]


@dataclass
class Samples:
    """Per-round figures (seconds) of each contender for one measure."""

    by: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.by.setdefault(name, []).append(value)

    def median(self, name: str) -> float | None:
        values = self.by.get(name)
        return statistics.median(values) if values else None

    def ratios(self, num: str, den: str) -> list[float]:
        """The ratio of the two contenders' figures in each round (measured side by side)."""
        a, b = self.by.get(num), self.by.get(den)
        if not a or not b:
            return []
        return [x / y for x, y in zip(a, b, strict=True)]

    def ratio(self, num: str, den: str) -> float | None:
        """The median of the per-round ratios: steadier than a ratio of medians when the
        machine's load drifts between rounds."""
        ratios = self.ratios(num, den)
        return statistics.median(ratios) if ratios else None

    def ratio_range(self, num: str, den: str) -> tuple[float, float] | None:
        """Smallest and largest per-round ratio: how noisy the ratio is."""
        ratios = self.ratios(num, den)
        return (min(ratios), max(ratios)) if ratios else None


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rotated(items: Sequence[T], k: int) -> list[T]:
    k %= len(items)
    return [*items[k:], *items[:k]]


def timed_calls(call: Callable[[int], object], start: int, n: int) -> float:
    """CPU seconds per call over ``n`` calls numbered from ``start``.

    CPU time of this process, not wall time: everything measured runs in this one thread without
    I/O or sleeping, so the two differ only by the time other processes held the CPU -- which on
    a shared 2-core machine is most of the noise. Callers collect garbage before their warm-up
    calls, not here: a collection walks the whole heap and leaves the caches cold for whoever
    comes next.
    """
    t0 = time.process_time()
    for i in range(start, start + n):
        call(i)
    return (time.process_time() - t0) / n


def paired(
    call: Callable[[int], object], baseline: Swap, n: int, chunks: int, warmup: int
) -> tuple[float, float]:
    """CPU seconds per call of the active fake and of the baseline, alternating in chunks.

    The fake's calls get fresh numbers (CreateJob names); the baseline answers canned bytes, so
    its numbers do not matter.
    """
    per_chunk = max(1, n // chunks)
    spent = {True: 0.0, False: 0.0}  # by "is the baseline"
    numbers = itertools.count()
    gc.collect()
    for _ in range(warmup):
        call(next(numbers))
    with baseline():
        for i in range(warmup):
            call(i)
    for chunk in range(n // per_chunk):
        for is_baseline in (False, True) if chunk % 2 == 0 else (True, False):
            with baseline() if is_baseline else nullcontext():
                t0 = time.process_time()
                for _ in range(per_chunk):
                    call(next(numbers))
                spent[is_baseline] += time.process_time() - t0
    calls = per_chunk * (n // per_chunk)
    return spent[False] / calls, spent[True] / calls
