"""Pieces of the report: figures formatted, bars and verdicts, the sections that stand alone."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from async_clients import AsyncResult
from growth import CALLS, JOBS, Growth, Release
from scenarios import PLUGIN_LOAD
from timing import Samples
from workload import BASELINE, FAKE


@dataclass(frozen=True)
class Bar:
    text: str
    measured: float | None
    limit: float
    at_most: bool  # True: measured <= limit passes; False: measured >= limit passes
    unit: str = "x"

    def verdict(self) -> str:
        if self.measured is None:
            return "not measured"
        ok = self.measured <= self.limit if self.at_most else self.measured >= self.limit
        return "pass" if ok else "**FAIL**"


def us(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e6:,.0f} µs"


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e3:,.1f} ms"


def times(value: float | None, spread: tuple[float, float] | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}x"
    if spread is not None:
        text += f" ({spread[0]:.2f}-{spread[1]:.2f})"
    return text


#: How much a call's fake/baseline ratio, or a helper's time, may grow from the small store to the
#: large one; and how much memory a run of tests may leave held.
GROWTH_BAR = 1.3
RELEASE_BAR_MB = 10


def growth_of(samples: list[Samples]) -> float | None:
    small, large = (each.ratio(FAKE, BASELINE) for each in samples)
    return None if small is None or large is None else large / small


def growth_bars(growth: Growth, release: Release) -> list[Bar]:
    calls = [growth_of(samples) for samples in growth.calls.values()]
    helpers = [large / small for small, large in growth.helpers.values() if small]
    return [
        Bar(
            f"growth: every call's pytest-gluejobs / baseline at {growth.jobs[1]:,} jobs "
            f"({growth.runs[1]:,} runs) ≤ {GROWTH_BAR} x that at {growth.jobs[0]:,} "
            f"({growth.runs[0]:,}); the largest",
            max((g for g in calls if g is not None), default=None),
            GROWTH_BAR,
            True,
        ),
        Bar(
            f"growth: assertion helpers' time (per job for a list of jobs) at "
            f"{growth.jobs[1]:,} jobs ≤ {GROWTH_BAR} x that at {growth.jobs[0]:,}; the largest",
            max(helpers, default=None),
            GROWTH_BAR,
            True,
        ),
        Bar(
            f"memory held after {release.tests} tests x {release.jobs} jobs, within "
            f"±{RELEASE_BAR_MB} MB of where they started",
            abs(release.held) / 1e6,
            RELEASE_BAR_MB,
            True,
            unit=" MB",
        ),
    ]


def render_growth(growth: Growth, release: Release) -> list[str]:
    jobs, runs = growth.jobs, growth.runs
    rounds = len(next(iter(growth.calls.values()))[0].by[FAKE])
    lines = [
        "",
        "### Growth: cost against the size of the store",
        "",
        f"Each call in a partition of {jobs[0]:,} and of {jobs[1]:,} jobs, or (run calls) for a "
        f"job with {runs[0]:,} and with {runs[1]:,} runs, baseline and pytest-gluejobs "
        f"alternating as above ({rounds} rounds). Growth is the ratio in the large store over the "
        "ratio in the small one.",
        "",
        "| Call | store | pytest-gluejobs, small | pytest-gluejobs, large "
        "| pytest-gluejobs / baseline, small | pytest-gluejobs / baseline, large | growth |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for call in CALLS:
        small, large = growth.calls[call.label]
        store = (
            f"{jobs[0]:,} → {jobs[1]:,} jobs"
            if call.dimension == JOBS
            else (f"{runs[0]:,} → {runs[1]:,} runs")
        )
        lines.append(
            f"| {call.label} | {store} | {us(small.median(FAKE))} | {us(large.median(FAKE))} "
            f"| {times(small.ratio(FAKE, BASELINE), small.ratio_range(FAKE, BASELINE))} "
            f"| {times(large.ratio(FAKE, BASELINE), large.ratio_range(FAKE, BASELINE))} "
            f"| {times(growth_of([small, large]))} |"
        )
    lines += [
        "",
        f"Assertion helpers (no baseline; median CPU time, one call when a call takes over a "
        f"second), at {jobs[0]:,} and {jobs[1]:,} jobs:",
        "",
        "| Helper | small | large | growth |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, (before, after) in growth.helpers.items():
        ratio = after / before if before else None
        lines.append(f"| {label} | {us(before)} | {us(after)} | {times(ratio)} |")
    chars = growth.message
    lines += [
        "",
        f"The failure message of `assert_job_names` naming one missing job, every job being "
        f"unexpected: {chars[0]:,} characters at {jobs[0]:,} jobs, {chars[1]:,} at {jobs[1]:,}.",
        "",
        f"Memory released: {release.tests} tests one after another, each entering "
        f"`mock_glue_jobs()`, creating {release.jobs} jobs through a client and reading a page: "
        f"{release.held / 1e6:+.2f} MB of Python memory (tracemalloc) still held after the last, "
        "against before the first (after five warm-up tests).",
    ]
    return lines


def render_plugin_load(samples: Samples) -> list[str]:
    lines = [
        "",
        "### Loading the plugin",
        "",
        "CPU time of the import, in a new interpreter that has imported pytest (median over the "
        "rounds).",
        "",
        "| Import of | statement | CPU time |",
        "| --- | --- | ---: |",
    ]
    for name, statement in PLUGIN_LOAD.items():
        lines.append(f"| {name} | `{statement}` | {ms(samples.median(name))} |")
    return lines


def render_async(result: AsyncResult | None) -> list[str]:
    lines = ["", "### Per call, through a real aiobotocore client", ""]
    if result is None:
        return [*lines, "Not measured: aiobotocore is not installed."]
    lines += [
        f"aiobotocore {result.version}. Baseline: `AioEndpoint._send` wrapped with wrapt, "
        "answering a canned response. Median CPU time per call; the ratio is the median of the "
        "per-round ratios, smallest and largest in brackets. No bar is set for async calls; the "
        "sync bars above apply to sync clients.",
        "",
        "| Call | baseline | pytest-gluejobs | pytest-gluejobs / baseline |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, (base, faked, ratios) in result.calls.items():
        median = statistics.median(ratios)
        lines.append(
            f"| {name} | {base:.1f} µs | {faked:.1f} µs "
            f"| {median:.2f}x [{min(ratios):.2f}-{max(ratios):.2f}] |"
        )
    return lines
