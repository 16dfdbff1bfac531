"""docs/fidelity.md names the test pinning each behaviour; every name must be a real test."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
DOC = TESTS.parent / "docs" / "fidelity.md"
# `test_x.py::test_y`, or `::test_y` continuing the file named last on the same line
REFERENCE = re.compile(r"`((?:\w+/)*test_\w+\.py)?::(test_\w+)")


def test_every_test_named_in_fidelity_md_exists() -> None:
    missing: list[str] = []
    count = 0
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), 1):
        current: str | None = None
        for match in REFERENCE.finditer(line):
            current = match.group(1) or current
            count += 1
            if current is None:
                missing.append(f"line {number}: {match.group(0)} names no file")
                continue
            source = (TESTS / current).read_text(encoding="utf-8")
            if not re.search(rf"^def {match.group(2)}\(", source, re.MULTILINE):
                missing.append(f"line {number}: {current}::{match.group(2)}")
    assert count > 50, f"only {count} test references found; is the pattern still right?"
    assert not missing, "docs/fidelity.md names tests that do not exist:\n" + "\n".join(missing)
