"""The table behind every "every operation" test (tests/every_operation.py) covers exactly the
operations the fake answers, and each of its requests is valid: run in order, each succeeds."""

from __future__ import annotations

import boto3
import every_operation
import pytest
from every_operation import Requests, extra_entries, in_order, seed

from pytest_gluejobs import GlueJobsFake
from pytest_gluejobs._core.model import OPERATIONS


def test_the_table_has_a_request_for_every_operation_and_no_other() -> None:
    assert sorted(in_order()) == sorted(OPERATIONS)
    assert extra_entries() == []


def test_an_operation_without_an_entry_fails_every_test_that_uses_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(every_operation, "OPERATIONS", (*OPERATIONS, "StartBlueprintRun"))
    with pytest.raises(AssertionError, match="no request for StartBlueprintRun"):
        in_order()


def test_every_request_succeeds_in_order(glue_jobs: GlueJobsFake) -> None:
    seed(glue_jobs)
    client = boto3.client("glue")
    requests = Requests()
    for operation in in_order():
        requests.call(client, operation)
    assert [call.operation for call in glue_jobs.calls] == in_order()
    assert [call.status for call in glue_jobs.calls] == [200] * len(OPERATIONS)
    assert [run["Id"] for run in glue_jobs.runs(every_operation.JOB)] == [requests.run_id]
