"""The report: figures as Markdown tables, the bars with their verdicts, and the results file."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import endpoint
from async_clients import AsyncResult
from growth import Growth, Release
from scenarios import Memory
from tables import (
    Bar,
    growth_bars,
    ms,
    render_async,
    render_growth,
    render_plugin_load,
    times,
    us,
)
from timing import Samples
from workload import BASELINE, FAKE, FULL, MOTO, PAGE, Sizes, ops

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "docs" / "performance.md"
START_MARK = "<!-- benchmark-results:start -->"
END_MARK = "<!-- benchmark-results:end -->"


@dataclass
class Results:
    sizes: Sizes
    command: str
    started: dt.datetime
    seconds: float
    cpu_seconds: float
    moto_note: str | None
    calls: dict[str, Samples]
    activation: Samples
    end_to_end: Samples
    paging: Samples
    memory: Memory
    async_calls: AsyncResult | None
    plugin_load: Samples
    endpoint: endpoint.EndpointResult
    growth: Growth
    release: Release


def versions() -> str:
    names = ["botocore", "boto3", "wrapt", "pytest-gluejobs", "moto"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def code_version(checkout: Path | None = None) -> str:
    """The commit of the pytest-gluejobs measured (the one imported here, unless ``checkout``
    names it), and whether its work tree differed from it."""
    if checkout is None:
        import pytest_gluejobs

        checkout = Path(pytest_gluejobs.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(checkout), "describe", "--always", "--dirty=+uncommitted changes"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


#: The per-call bars: reads ≤ 1.15, writes ≤ 1.20 (the margin pays for one validation walk).
CALL_BARS = {"GetJob": 1.15, "CreateJob": 1.20, "UpdateJob": 1.20, "GetJobs": 1.15}


def bars(res: Results) -> list[Bar]:
    out: list[Bar] = []
    for op, limit in CALL_BARS.items():
        out.append(
            Bar(
                f"{op}: pytest-gluejobs / baseline ≤ {limit:.2f}",
                res.calls[op].ratio(FAKE, BASELINE),
                limit,
                True,
            )
        )
    for op in ("GetJob", "CreateJob"):
        out.append(
            Bar(f"{op}: moto / pytest-gluejobs ≥ 2", res.calls[op].ratio(MOTO, FAKE), 2, False)
        )
    act = res.activation.ratio(FAKE, MOTO)
    out.append(
        Bar(
            "activation + deactivation ≤ 5 % of mock_aws() enter + exit",
            None if act is None else act * 100,
            5,
            True,
            unit=" %",
        )
    )
    out.append(
        Bar(
            "typical test end to end ≥ 10x faster than under mock_aws",
            res.end_to_end.ratio(MOTO, FAKE),
            10,
            False,
        )
    )
    out.append(
        Bar(
            f"paging {res.sizes.paging_jobs:,} jobs ≤ 1.5 x "
            f"({res.sizes.paging_jobs // PAGE} x one page)",
            res.paging.ratio("all", "first"),
            1.5,
            True,
        )
    )
    out.append(
        Bar(
            f"peak memory for {res.memory.jobs:,} stored jobs < 50 MB",
            res.memory.peak / 1e6,
            50,
            True,
            unit=" MB",
        )
    )
    out += growth_bars(res.growth, res.release)
    for text, measured, limit in endpoint.bar_rows(res.endpoint):
        # The endpoint gives shares as fractions (limit 0.05); shown here in percent.
        share = limit < 1
        if share and measured is not None:
            measured *= 100
        out.append(
            Bar(text, measured, limit * 100 if share else limit, True, " %" if share else "x")
        )
    unused = res.plugin_load.median("the plugin (every pytest run)")
    out.append(
        Bar(
            "loading the plugin in a pytest run whose tests do not use it ≤ 20 ms",
            None if unused is None else unused * 1e3,
            20,
            True,
            unit=" ms",
        )
    )
    return out


def render(res: Results) -> str:
    s = res.sizes
    lines = [
        f"Run {res.started:%Y-%m-%d %H:%M} UTC, {s.name} sizes, {s.rounds} rounds; "
        f"{res.seconds:.0f} s wall-clock for {res.cpu_seconds:.0f} s of CPU "
        "(the difference is time other processes held the CPU). Figures are CPU time.",
        "",
        f"- Command: `{res.command}`",
        f"- Machine: {os.cpu_count()} cores ({cpu_model()}), "
        f"{platform.system()} {platform.release()}, "
        f"{platform.python_implementation()} {platform.python_version()}",
        f"- Packages: {versions()}; pytest-gluejobs at {code_version()}",
    ]
    if res.moto_note:
        lines.append(f"- moto: {res.moto_note}")
    if s.name != FULL.name:
        lines.append(
            "- **Quick run: sizes too small for the figures or the verdicts to mean anything.**"
        )
    lines += [
        "",
        "### Per call, through a real botocore client",
        "",
        "Median CPU time per call over the rounds. A ratio is the median of the per-round "
        "ratios, with the smallest and largest in brackets, which shows the noise. Baseline and "
        "pytest-gluejobs alternate in short chunks within each round; moto runs next to them.",
        "",
        "| Call | baseline | pytest-gluejobs | moto "
        "| pytest-gluejobs / baseline | moto / pytest-gluejobs |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for op in ops():
        sam = res.calls[op.operation]
        label = op.label.format(s=s)
        moto_cell = us(sam.median(MOTO))
        moto_ratio = times(sam.ratio(MOTO, FAKE), sam.ratio_range(MOTO, FAKE))
        if op.moto_note:
            moto_cell, moto_ratio = op.moto_note, "—"
        fake_ratio = times(sam.ratio(FAKE, BASELINE), sam.ratio_range(FAKE, BASELINE))
        lines.append(
            f"| {label} | {us(sam.median(BASELINE))} | {us(sam.median(FAKE))} | {moto_cell} "
            f"| {fake_ratio} | {moto_ratio} |"
        )
    act, e2e, pag = res.activation, res.end_to_end, res.paging
    act_ratio = act.ratio(FAKE, MOTO)
    lines += [
        "",
        "### Set-up and whole tests",
        "",
        "| Measure | pytest-gluejobs | moto "
        "| pytest-gluejobs as share of moto | moto / pytest-gluejobs |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| activation + deactivation (`mock_glue_jobs()` / `mock_aws()` enter + exit) "
        f"| {us(act.median(FAKE))} | {us(act.median(MOTO))} "
        f"| {'—' if act_ratio is None else f'{act_ratio:.2%}'} | {times(act.ratio(MOTO, FAKE))} |",
        "| typical test: activate, `boto3.client('glue')`, CreateJob + GetJob + GetJobs, "
        "deactivate "
        f"| {ms(e2e.median(FAKE))} | {ms(e2e.median(MOTO))} | "
        f"{'—' if e2e.ratio(FAKE, MOTO) is None else f'{e2e.ratio(FAKE, MOTO):.2%}'} "
        f"| {times(e2e.ratio(MOTO, FAKE), e2e.ratio_range(MOTO, FAKE))} |",
        "",
        "### Scaling (pytest-gluejobs)",
        "",
        "| Measure | time | against | ratio |",
        "| --- | ---: | ---: | ---: |",
        f"| paging {s.paging_jobs:,} jobs, {PAGE} per page, following NextToken "
        f"| {ms(pag.median('all'))} "
        f"| {s.paging_jobs // PAGE} x the first page: {ms(pag.median('first'))} "
        f"| {times(pag.ratio('all', 'first'), pag.ratio_range('all', 'first'))} |",
        "",
        f"Memory (tracemalloc) for {res.memory.jobs:,} stored jobs: "
        f"peak {res.memory.peak / 1e6:.1f} MB above the empty fake, "
        f"{res.memory.retained / 1e6:.1f} MB retained "
        f"({res.memory.retained / res.memory.jobs / 1e3:.1f} kB per job).",
        *render_growth(res.growth, res.release),
        *render_async(res.async_calls),
        *render_plugin_load(res.plugin_load),
        "",
        *endpoint.render(res.endpoint),
        "",
        "### Bars",
        "",
        "| Bar | measured | verdict |",
        "| --- | ---: | --- |",
    ]
    for bar in bars(res):
        measured = "—" if bar.measured is None else f"{bar.measured:.2f}{bar.unit}"
        lines.append(f"| {bar.text} | {measured} | {bar.verdict()} |")
    return "\n".join(lines) + "\n"


def write(output: Path, body: str, start_mark: str = START_MARK, end_mark: str = END_MARK) -> None:
    """Put ``body`` between the result markers of ``output``, keeping the rest, or start a file."""
    block = f"{start_mark}\n{body}{end_mark}\n"
    if output.exists():
        text = output.read_text(encoding="utf-8")
        head, start, rest = text.partition(start_mark)
        _, end, tail = rest.partition(end_mark)
        if not (start and end):
            raise SystemExit(
                f"{output} exists but lacks the lines {start_mark!r} and {end_mark!r} that mark "
                "where the results go; add them, or choose another --output"
            )
        new = head + block + tail.removeprefix("\n")
    else:
        new = f"# pytest-gluejobs benchmark results\n\n{block}"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(new, encoding="utf-8")
