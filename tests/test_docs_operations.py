"""The docs name every operation the fake answers, and describe the fake as it is today.

Derived from ``pytest_gluejobs._core.model.OPERATIONS``: an operation added to the fake fails these
tests until docs/index.md, docs/api.md (including its faults reference) and the side-by-side table
of docs/comparison.md say that the fake answers it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_gluejobs._core.faults import valid_errors
from pytest_gluejobs._core.model import OPERATIONS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def names(text: str, operation: str) -> bool:
    """Whether ``text`` names ``operation`` as a word (GetJob is not named by GetJobs)."""
    return re.search(rf"(?<![A-Za-z]){operation}(?![A-Za-z])", text) is not None


def section(text: str, heading: str) -> str:
    """The text under ``heading`` (a whole Markdown heading line), up to the next heading."""
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    end = re.search(r"^#{1,6} ", text[start:], re.MULTILINE)
    return text[start : start + end.start()] if end else text[start:]


def table_rows(text: str) -> list[list[str]]:
    """The cells of every Markdown table row in ``text`` (separator rows left out)."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            rows.append([cell.strip() for cell in cells])
    return rows


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("doc", ["api.md", "index.md"])
def test_the_docs_name_every_operation(doc: str, operation: str) -> None:
    assert names(page(doc), operation), f"docs/{doc} does not name {operation}"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_index_says_in_its_first_paragraph_that_the_fake_answers_it(operation: str) -> None:
    first_paragraph = page("index.md").split("\n\n")[1]
    assert names(first_paragraph, operation), first_paragraph


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_fault_reference_covers_every_operation(operation: str) -> None:
    faults = section(page("api.md"), "## Fault")
    rows = table_rows(faults)
    (argument,) = [row for row in rows if row[0] == "`operation`"]
    assert names(argument[-1], operation), argument
    # The errors table: a row naming the operation, listing only errors fail() accepts for it.
    errors = [row for row in rows if len(row) == 2 and names(row[0], operation)]
    assert errors, f"docs/api.md's errors table has no row for {operation}"
    accepted = {error.removesuffix("Exception") for error in valid_errors(operation)}
    for _, listed in errors:
        assert set(listed.split(", ")) <= accepted, (operation, listed, accepted)


def side_by_side() -> tuple[list[str], list[list[str]]]:
    header, *rows = table_rows(section(page("comparison.md"), "## Side by side"))
    return header, rows


def test_the_comparison_table_has_a_column_for_the_fake() -> None:
    header, rows = side_by_side()
    assert header[-1] == "pytest-gluejobs"
    assert all(len(row) == len(header) for row in rows)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_comparison_table_says_the_fake_answers_every_operation(operation: str) -> None:
    _, rows = side_by_side()
    naming = [row for row in rows if names(row[0], operation)]
    assert naming, f"no row of docs/comparison.md's table names {operation}"
    for row in naming:
        assert not re.match(r"(no|none|not)\b", row[-1], re.IGNORECASE), row


#: What the fake has beyond the operation list, in the words the table's first column uses.
FEATURES = ("job runs", "tags", "async")


@pytest.mark.parametrize("feature", FEATURES)
def test_the_comparison_table_does_not_say_the_fake_lacks_what_it_has(feature: str) -> None:
    _, rows = side_by_side()
    about = [row for row in rows if feature in row[0].lower()]
    assert about, f"no row of docs/comparison.md's table is about {feature}"
    for row in about:
        assert not re.match(r"(no|none|not)\b", row[-1], re.IGNORECASE), row
