"""Time the orchestrator recipes (tests/orchestrators/) under virtual time, beside real sleeps.

Each orchestrator lives in an environment of its own, so it is named by that environment's Python:

    python benchmarks/recipes.py --airflow ENV/bin/python --dagster ENV/bin/python \\
        --prefect ENV/bin/python [--rounds 3] [--output docs/performance.md]

For each one given, every round runs its recipe file with pytest in that Python, in a subprocess
whose ``PYTHONPATH`` puts this checkout first (so this checkout's pytest-gluejobs is measured,
whatever that environment has installed) and loads ``recipe_probe.py``, a pytest plugin of this
benchmark's own. Per test it collects the wall time of the set-up phase (where session fixtures
such as an orchestrator's start-up show, once) and of the call phase, and how many seconds of
waits virtual time skipped. The same test with real sleeps is estimated as its call time plus the
waits skipped: running them would take many minutes per test. Threads a test starts that wait
too race ahead of it under virtual time, so for such a test the estimate is a range, from the
waits of the test's own thread (a lower bound) to how far the clock moved. Rounds run the
orchestrators in turn; each figure is the median over rounds, with the smallest and largest
beside it.

An orchestrator not given, or whose recipes were skipped (not installed there), is reported as
not measured. The table is printed and written into ``docs/performance.md`` between the recipe
result markers (the rest of that file is kept).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report import DEFAULT_OUTPUT, REPO, code_version, write

START_MARK = "<!-- recipe-results:start -->"
END_MARK = "<!-- recipe-results:end -->"
PROBE = "recipe_probe"
#: The orchestrators: their command-line option, their name, and the packages that say which.
ORCHESTRATORS = {
    "airflow": ("Airflow", ["apache-airflow", "apache-airflow-providers-amazon"]),
    "dagster": ("Dagster", ["dagster", "dagster-aws"]),
    "prefect": ("Prefect", ["prefect", "prefect-aws"]),
}
#: pytest's exit statuses for "every test passed", "some failed" and "none ran" (a recipe file
#: skips itself as a whole where its orchestrator is not installed).
RAN = (0, 1, 5)
#: Seconds a recipe file's pytest run may take (about 20 s on a quiet 2-core machine).
RUN_TIMEOUT = 600


@dataclass
class Test:
    name: str
    outcomes: list[str] = field(default_factory=list)
    setup: list[float] = field(default_factory=list)
    call: list[float] = field(default_factory=list)
    #: How far the clock moved for waits during the call.
    skipped: list[float] = field(default_factory=list)
    #: Call time plus the waits the test's own thread asked for, and plus ``skipped``.
    real_low: list[float] = field(default_factory=list)
    real: list[float] = field(default_factory=list)
    reason: str = ""


@dataclass
class Orchestrator:
    key: str
    python: str | None
    tests: dict[str, Test] = field(default_factory=dict)
    runs: list[float] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    #: Why it was not measured (None: measured).
    missing: str | None = None

    @property
    def name(self) -> str:
        return ORCHESTRATORS[self.key][0]


def run_pytest(command: list[str], env: dict[str, str]) -> tuple[int | None, str]:
    """Run ``command`` in the checkout: its exit status (None: it did not finish) and output.

    In a session of its own, so that what it started (Prefect's API server) goes with it when it
    is stopped.
    """
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        printed, _ = proc.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        stop(proc)
        printed, _ = proc.communicate(timeout=10)
        return None, printed
    except BaseException:  # Ctrl-C: nothing of the run may be left behind
        stop(proc)
        raise
    return proc.returncode, printed


def stop(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run_round(orch: Orchestrator) -> None:
    """Run the orchestrator's recipe file once and add its figures."""
    assert orch.python is not None
    recipe = f"tests/orchestrators/test_{orch.key}.py"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), str(REPO / "benchmarks"), *filter(None, [env.get("PYTHONPATH")])]
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "probe.json"
        env["GLUEJOBS_RECIPE_PROBE"] = str(out)
        command = [orch.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", PROBE, recipe]
        started = time.perf_counter()
        try:
            status, printed = run_pytest(command, env)
        except OSError as error:
            orch.missing = f"{orch.python} could not be run: {error}"
            return
        wall = time.perf_counter() - started
        if status not in RAN or not out.exists():
            tail = "\n".join(printed.strip().splitlines()[-15:])
            orch.missing = (
                f"its pytest run did not finish in {RUN_TIMEOUT} s"
                if status is None
                else f"pytest exited with status {status}"
            )
            print(f"{orch.name}: `{shlex.join(command)}`: {orch.missing}:\n{tail}")
            return
        probe: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    measured = Path(probe["pytest_gluejobs"])
    if measured != REPO / "pytest_gluejobs":
        raise SystemExit(
            f"{orch.name}: the recipes imported pytest-gluejobs from {measured}, not from this "
            f"checkout ({REPO}); is something in {orch.python}'s environment put before PYTHONPATH?"
        )
    orch.runs.append(wall)
    orch.versions = probe["versions"]
    for nodeid, figures in probe["tests"].items():
        test = orch.tests.setdefault(nodeid, Test(nodeid.rpartition("::")[2]))
        test.outcomes.append(figures.get("outcome", "passed"))
        if figures.get("outcome") == "skipped":
            test.reason = figures.get("reason", "")
            continue
        call, skipped = figures.get("call", 0.0), figures.get("call_skipped", 0.0)
        test.setup.append(figures.get("setup", 0.0))
        test.call.append(call)
        test.skipped.append(skipped)
        test.real_low.append(call + figures.get("call_own_waits", 0.0))
        test.real.append(call + skipped)
    if not any(test.call for test in orch.tests.values()):
        reasons = sorted({test.reason for test in orch.tests.values()} - {""})
        orch.missing = "its recipes were skipped" + (f" ({'; '.join(reasons)})" if reasons else "")


def seconds(values: list[float], *, spread: bool = True) -> str:
    """The median in seconds, with the smallest and largest when they differ."""
    if not values:
        return "—"
    median = f"{statistics.median(values):.2f} s"
    low, high = min(values), max(values)
    if not spread or len(values) < 2 or f"{low:.2f}" == f"{high:.2f}":
        return median
    return f"{median} ({low:.2f}-{high:.2f})"


def render_test(test: Test) -> str:
    outcome = "" if set(test.outcomes) == {"passed"} else f" (**{', '.join(test.outcomes)}**)"
    if statistics.median(test.skipped) > 0:
        skipped = seconds(test.skipped)
        low, high = statistics.median(test.real_low), statistics.median(test.real)
        real = f"≈ {low:.2f}-{high:.2f} s" if f"{low:.2f}" != f"{high:.2f}" else f"≈ {high:.2f} s"
    else:
        skipped, real = "0 s", seconds(test.call, spread=False)
    return (
        f"| `{test.name}`{outcome} | {seconds(test.setup)} | {seconds(test.call)} "
        f"| {skipped} | {real} |"
    )


def render(
    orchs: list[Orchestrator], rounds: int, command: str, started: dt.datetime, load: str
) -> str:
    lines = [
        "### Orchestrator recipes",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC, {rounds} round{'s' if rounds > 1 else ''}, "
        f"on {os.cpu_count()} cores; load average (1, 5, 15 minutes) {load}. "
        "Wall-clock time, which a busy machine stretches.",
        "",
        f"- Command: `{command}`",
        f"- pytest-gluejobs at {code_version(REPO)}",
    ]
    for orch in orchs:
        if orch.missing:
            lines.append(f"- {orch.name}: not measured: {orch.missing}")
            continue
        packages = ", ".join(
            f"{name} {orch.versions.get(name, 'not installed')}"
            for name in [*ORCHESTRATORS[orch.key][1], "botocore", "moto", "python"]
        )
        lines.append(
            f"- {orch.name}: {packages}; the whole pytest run of `tests/orchestrators/"
            f"test_{orch.key}.py` {seconds(orch.runs)}"
        )
    if all(orch.missing for orch in orchs):
        return "\n".join(lines) + "\n"
    lines += [
        "",
        "Per test, the median over the rounds with the smallest and largest in brackets. Set-up "
        "includes the session's fixtures for the first test that needs them (an orchestrator's "
        "start-up). *Waits skipped* is how far virtual time moved the fake's clock for sleeps "
        "and an idle event loop's timers during the call; *with real sleeps* is an estimate "
        "(call + waits skipped), not a run, except for a test that skipped none. Where threads "
        "the test started wait too (Dagster's message readers), they race ahead of the test's "
        "own thread under virtual time and move the clock further than real sleeps would: the "
        "estimate is then a range, from call + the waits the test's own thread asked for (a "
        "lower bound) to call + how far the clock moved.",
    ]
    for orch in orchs:
        measured = [test for test in orch.tests.values() if test.call]
        if orch.missing or not measured:
            continue
        lines += [
            "",
            f"#### {orch.name}",
            "",
            "| recipe test | set-up | call, with virtual time | waits skipped | with real sleeps |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(render_test(test) for test in measured),
        ]
        skipped = [test for test in orch.tests.values() if not test.call]
        if skipped:
            lines += ["", "Skipped: " + "; ".join(f"`{t.name}` ({t.reason})" for t in skipped)]
    return "\n".join(lines) + "\n"


def load_average() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for key, (name, packages) in ORCHESTRATORS.items():
        parser.add_argument(
            f"--{key}",
            metavar="PYTHON",
            help=f"the Python of an environment with {' and '.join(packages)} installed "
            f"(not given: {name} is reported as not measured)",
        )
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of each recipe file (default 3)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"the Markdown file whose recipe results to replace (default {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    orchs = [Orchestrator(key, getattr(args, key)) for key in ORCHESTRATORS]
    for orch in orchs:
        if orch.python is None:
            orch.missing = f"no --{orch.key} given"
    started = dt.datetime.now(dt.timezone.utc)
    load_before = load_average()
    for number in range(1, args.rounds + 1):
        for orch in orchs:
            if orch.missing is None:
                print(f"round {number}/{args.rounds}: {orch.name}", flush=True)
                run_round(orch)
    load = f"{load_before} at the start, {load_average()} at the end"
    command = shlex.join(["python", "benchmarks/recipes.py", *sys.argv[1:]])
    body = render(orchs, args.rounds, command, started, load)
    print(body)
    write(args.output, body, START_MARK, END_MARK)
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
