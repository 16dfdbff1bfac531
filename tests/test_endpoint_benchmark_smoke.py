"""The endpoint's benchmark (benchmarks/endpoint.py) runs end to end on tiny sizes.

As for the main benchmark, nothing here looks at a time: only that every measure produced a
figure and every bar a verdict.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[\d,.]+"


def test_a_quick_run_measures_everything_and_judges_both_bars() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "endpoint.py"), "--quick", "--rounds", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = done.stdout
    for row in (
        rf"^\| GetJob through boto3, wall-clock \| {NUMBER} µs \| {NUMBER} µs \| {NUMBER}x",
        rf"^\| GetJob through boto3, CPU time of both processes \| {NUMBER} µs \| {NUMBER} µs \|",
        rf"^\| activation \+ deactivation \(CPU time\) \| {NUMBER} µs \| {NUMBER} µs \|",
    ):
        assert re.search(row, report, re.MULTILINE), f"{row!r} not in:\n{report}"
    verdicts = re.findall(r"^\| .+ \| .+ \| (pass|\*\*FAIL\*\*|not measured) \|$", report, re.M)
    assert len(verdicts) == 2, report
