"""The benchmark (benchmarks/run.py) runs end to end on tiny sizes, so it cannot rot.

Nothing here looks at a time: the figures of a quick run mean nothing, and timing asserts on a
shared machine only make flaky tests. What is checked is that every measure produced a figure and
that the results file is updated in place without touching the rest of it.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pytest_gluejobs._core.model import OPERATIONS

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "run.py"
DOCS = ROOT / "docs" / "performance.md"
NUMBER = r"[\d,.]+"


def load_benchmark(name: str = "run") -> ModuleType:
    """benchmarks/<name>.py as a module, its sibling modules found as running run.py finds them."""
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", SCRIPT.parent / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    before = set(sys.modules)
    # dataclasses look their module up in sys.modules while the class is built
    sys.modules[spec.name] = module
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCRIPT.parent))
        # The benchmark's modules (report, timing, ...) must not shadow anything for later tests.
        for name in set(sys.modules) - before:
            path = getattr(sys.modules[name], "__file__", None) or ""
            if name == spec.name or path.startswith(str(SCRIPT.parent)):
                del sys.modules[name]
    return module


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """One quick run into a file that already has hand-written text around the result markers."""
    output = tmp_path_factory.mktemp("bench") / "performance.md"
    output.write_text(
        "# Performance\n\nhand-written intro\n\n"
        "<!-- benchmark-results:start -->\nstale results\n<!-- benchmark-results:end -->\n\n"
        "## Findings\n\nhand-written findings\n",
        encoding="utf-8",
    )
    docs_before = DOCS.read_bytes() if DOCS.exists() else None
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=output.parent,
    )
    assert proc.returncode == 0, f"benchmark failed:\n{proc.stdout}\n{proc.stderr}"
    assert (DOCS.read_bytes() if DOCS.exists() else None) == docs_before, (
        "a --quick run with --output must not touch docs/performance.md"
    )
    return output.read_text(encoding="utf-8"), proc.stdout


@pytest.mark.parametrize(
    "call",
    [
        "GetJob",
        "CreateJob",
        "UpdateJob",
        "GetJobs, one 100-job page",
        "ListJobs, tag filter over 30 jobs",
        "BatchGetJobs, 25 names",
    ],
)
def test_every_call_is_measured_for_baseline_and_fake(
    quick_run: tuple[str, str], call: str
) -> None:
    report, _ = quick_run
    row = re.compile(
        rf"^\| {re.escape(call)} \| {NUMBER} µs \| {NUMBER} µs \| .* \| {NUMBER}x \(.*\) \|",
        re.MULTILINE,
    )
    assert row.search(report), f"no measured row for {call!r} in:\n{report}"


def test_moto_has_no_update_job_row(quick_run: tuple[str, str]) -> None:
    report, _ = quick_run
    assert re.search(r"^\| UpdateJob \|.*\| moto has no UpdateJob \|", report, re.MULTILINE)


@pytest.mark.parametrize(
    "measure",
    [
        rf"^\| activation \+ deactivation .*\| {NUMBER} µs \|",
        rf"^\| typical test: .*\| {NUMBER} ms \|",
        rf"^\| paging 300 jobs, 100 per page, following NextToken \| {NUMBER} ms \| 3 x the first",
        rf"^Memory \(tracemalloc\) for 300 stored jobs: peak {NUMBER} MB",
        rf"^\| the plugin \(every pytest run\) \| `import pytest_gluejobs\.plugin` \| {NUMBER} ms",
        rf"^\| the fake \(a run's first glue_jobs test\) \| `.*` \| {NUMBER} ms \|",
        rf"^\| GetJob through boto3, wall-clock \| {NUMBER} µs \| {NUMBER} µs \|",
    ],
)
def test_setup_scaling_and_memory_are_measured(quick_run: tuple[str, str], measure: str) -> None:
    report, _ = quick_run
    assert re.search(measure, report, re.MULTILINE), f"{measure!r} not found in:\n{report}"


def test_growth_is_measured_for_every_operation_the_fake_answers(
    quick_run: tuple[str, str],
) -> None:
    report, _ = quick_run
    growth = load_benchmark("growth")
    covered = {operation for call in growth.CALLS for operation in call.operations}
    assert set(OPERATIONS) <= covered, set(OPERATIONS) - covered
    for call in growth.CALLS:
        row = re.compile(
            rf"^\| {re.escape(call.label)} \| {NUMBER} → {NUMBER} (jobs|runs) \| {NUMBER} µs "
            rf"\| {NUMBER} µs \| {NUMBER}x \(.*\) \| {NUMBER}x \(.*\) \| {NUMBER}x \|$",
            re.MULTILINE,
        )
        assert row.search(report), f"no growth row for {call.label!r} in:\n{report}"


@pytest.mark.parametrize(
    "measure",
    [
        rf"^\| assert_job, one job \| {NUMBER} µs \| {NUMBER} µs \| {NUMBER}x \|$",
        rf"^\| assert_job_names, every job \(per job\) \| {NUMBER} µs \| {NUMBER} µs \| {NUMBER}x",
        rf"^The failure message of `assert_job_names` .*: {NUMBER} characters at 20 jobs",
        rf"^Memory released: 3 tests .* [+-]{NUMBER} MB of Python memory",
    ],
)
def test_helpers_and_release_are_measured(quick_run: tuple[str, str], measure: str) -> None:
    report, _ = quick_run
    assert re.search(measure, report, re.MULTILINE), f"{measure!r} not found in:\n{report}"


def test_every_bar_has_a_verdict(quick_run: tuple[str, str]) -> None:
    report, _ = quick_run
    bars = report.split("### Bars", 1)[1]
    verdicts = re.findall(r"^\| .+ \| .+ \| (pass|\*\*FAIL\*\*|not measured) \|$", bars, re.M)
    assert len(verdicts) == 16, bars


def test_report_is_printed_and_says_it_is_a_quick_run(quick_run: tuple[str, str]) -> None:
    report, stdout = quick_run
    assert "### Bars" in stdout
    assert "Quick run" in report
    assert "python benchmarks/run.py --quick --output" in report


def test_results_replace_only_the_marked_block(quick_run: tuple[str, str]) -> None:
    report, _ = quick_run
    assert report.startswith(
        "# Performance\n\nhand-written intro\n\n<!-- benchmark-results:start -->"
    )
    assert report.endswith(
        "<!-- benchmark-results:end -->\n\n## Findings\n\nhand-written findings\n"
    )
    assert "stale results" not in report
    assert report.count("<!-- benchmark-results:start -->") == 1


def test_a_file_without_markers_is_refused_not_overwritten(tmp_path: Path) -> None:
    bench = load_benchmark()
    output = tmp_path / "notes.md"
    output.write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="lacks the lines"):
        bench.write(output, "results\n")
    assert output.read_text(encoding="utf-8") == "my own notes\n"


def test_a_new_file_gets_a_title_and_the_marked_block(tmp_path: Path) -> None:
    bench = load_benchmark()
    output = tmp_path / "new" / "perf.md"
    bench.write(output, "results\n")
    assert output.read_text(encoding="utf-8") == (
        "# pytest-gluejobs benchmark results\n\n"
        "<!-- benchmark-results:start -->\nresults\n<!-- benchmark-results:end -->\n"
    )
