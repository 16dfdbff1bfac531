"""The recipe benchmark (benchmarks/recipes.py) and its pytest plugin run, so they cannot rot.

The orchestrators are not installed in the suite's environment: the plugin is checked on a test
of its own that sleeps under virtual time, and the command on a recipe file that skips itself.
Nothing here looks at a time.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT
from test_benchmark_smoke import load_benchmark

SCRIPT = ROOT / "benchmarks" / "recipes.py"

SLEEPING_TESTS = """
import asyncio
import threading
import time

import pytest


@pytest.mark.glue_jobs(virtual_time=True)
def test_sleeps_under_virtual_time(glue_jobs):
    time.sleep(30)
    asyncio.run(asyncio.sleep(60))


def test_sleeps_for_real():
    time.sleep(0.01)


@pytest.mark.glue_jobs(virtual_time=True)
def test_sleeps_beside_a_thread_it_started(glue_jobs):
    reader = threading.Thread(target=time.sleep, args=(100,))
    reader.start()
    time.sleep(10)
    reader.join()
"""


def test_the_probe_counts_the_waits_virtual_time_skipped_in_each_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = pytester.path / "probe.json"
    path = [str(ROOT), str(ROOT / "benchmarks"), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, path)))
    monkeypatch.setenv("GLUEJOBS_RECIPE_PROBE", str(output))
    pytester.makepyfile(test_sleeps=SLEEPING_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "recipe_probe")
    result.assert_outcomes(passed=3)
    tests = json.loads(output.read_text(encoding="utf-8"))["tests"]
    virtual = tests["test_sleeps.py::test_sleeps_under_virtual_time"]
    real = tests["test_sleeps.py::test_sleeps_for_real"]
    # 30 s of time.sleep and 60 s of asyncio.sleep (the clock counts whole microseconds).
    assert virtual["call_skipped"] == pytest.approx(90, abs=0.001)
    assert virtual["outcome"] == "passed"
    assert {"setup", "call", "teardown"} <= virtual.keys()
    assert virtual["call_own_waits"] == pytest.approx(90, abs=0.001)
    assert real["call_skipped"] == real["call_own_waits"] == 0
    assert real["outcome"] == "passed"
    # The thread's 100 s move the clock; the test's own thread asked for 10.
    both = tests["test_sleeps.py::test_sleeps_beside_a_thread_it_started"]
    assert both["call_skipped"] >= 100
    assert both["call_own_waits"] == pytest.approx(10, abs=0.001)


def test_the_estimate_with_real_sleeps_is_call_time_plus_waits_skipped() -> None:
    recipes = load_benchmark("recipes")
    slept = recipes.Test("test_polls", ["passed"] * 3, [1.0, 2.0, 3.0], [0.2, 0.4, 0.3])
    slept.skipped = [60.0, 60.0, 60.0]
    slept.real_low = slept.real = [call + 60.0 for call in slept.call]
    row = recipes.render_test(slept)
    assert row == "| `test_polls` | 2.00 s (1.00-3.00) | 0.30 s (0.20-0.40) | 60.00 s | ≈ 60.30 s |"
    awake = recipes.Test("test_knob_at_0", ["passed", "failed"], [0.0], [0.1], [0.0])
    assert recipes.render_test(awake) == (
        "| `test_knob_at_0` (**passed, failed**) | 0.00 s | 0.10 s | 0 s | 0.10 s |"
    )
    # Threads the test started waited too: from its own thread's waits to the clock's move.
    raced = recipes.Test("test_readers", ["passed"], [0.0], [0.5], [80.0], [50.5], [80.5])
    assert recipes.render_test(raced).endswith("| 80.00 s | ≈ 50.50-80.50 s |")


@pytest.mark.skipif(
    importlib.util.find_spec("prefect") is not None, reason="Prefect is installed here"
)
def test_orchestrators_not_given_or_not_installed_are_reported_not_measured(
    tmp_path: Path,
) -> None:
    output = tmp_path / "performance.md"
    output.write_text(
        "intro\n<!-- benchmark-results:start -->\nbenchmark\n<!-- benchmark-results:end -->\n"
        "<!-- recipe-results:start -->\nstale\n<!-- recipe-results:end -->\n\nfindings\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--prefect", sys.executable, "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"benchmark failed:\n{proc.stdout}\n{proc.stderr}"
    text = output.read_text(encoding="utf-8")
    head, block = text.split("<!-- recipe-results:start -->\n")
    assert head == (
        "intro\n<!-- benchmark-results:start -->\nbenchmark\n<!-- benchmark-results:end -->\n"
    )
    assert block.endswith("<!-- recipe-results:end -->\n\nfindings\n")
    assert "stale" not in block
    assert "- Airflow: not measured: no --airflow given" in block
    assert "- Dagster: not measured: no --dagster given" in block
    assert "- Prefect: not measured: its recipes were skipped (Skipped: could not import" in block
