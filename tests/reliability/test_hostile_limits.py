"""Hostile input that once cost the fake dearly or leaked through (issue 14), each bounded now.

The limits asserted are sizes (a message is never much larger than a page), not times: a
quadratic or exploding path shows as a message or a test run that does not end.
"""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import glue_error, job_params, send_raw

import pytest_gluejobs
from pytest_gluejobs import GlueJobsFake

PAGE = 10_000  # characters: what "about a page" means for a message here


def test_a_million_wrong_values_give_a_short_message(
    glue_jobs: GlueJobsFake, raw_glue: Any
) -> None:
    connections = {"Connections": list(range(1_000_000))}  # each one a wrong type
    with glue_error(raw_glue, "InvalidInputException") as caught:
        raw_glue.create_job(**job_params(Connections=connections))
    message = caught.value.response["Error"]["Message"]
    # Every wrong value is counted (with the list's own length limit, where the model sets one);
    # twenty are described.
    count = int(message.split(" ", 1)[0])
    assert count >= 1_000_000
    assert message.endswith(f"; and {count - 20} more") and len(message) < PAGE


def test_many_long_unknown_members_give_a_short_message(
    glue_jobs: GlueJobsFake, raw_glue: Any
) -> None:
    body = {**job_params(), **{f"Unknown{i}" + "x" * 1000: i for i in range(2000)}}
    response = send_raw(
        raw_glue,
        json.dumps(body).encode(),
        {"X-Amz-Target": "AWSGlue.CreateJob", "Content-Type": "application/x-amz-json-1.1"},
    )
    message = json.loads(response.content)["message"]
    assert "2000 validation errors" in message and len(message) < PAGE


def test_a_huge_target_is_not_echoed(glue_jobs: GlueJobsFake, raw_glue: Any) -> None:
    target = "AWSGlue." + "X" * 1_000_000
    response = send_raw(raw_glue, b"{}", {"X-Amz-Target": target})
    answer = json.loads(response.content)
    assert answer["__type"] == "UnknownOperationException"
    assert len(answer["message"]) < 1000


def test_a_header_of_repeated_credential_scopes_is_read_in_linear_time(
    glue_jobs: GlueJobsFake, raw_glue: Any
) -> None:
    # Quadratic before: 330 KB of "Credential=" took 51 s. The scope is read from the start.
    auth = "AWS4-HMAC-SHA256 " + "Credential=" * 300_000
    response = send_raw(raw_glue, b"{}", {"X-Amz-Target": "AWSGlue.GetJobs", "Authorization": auth})
    assert response.status_code == 200
    assert glue_jobs.calls[-1].region == glue_jobs.region


@pytest.mark.parametrize(
    "wrap", [bytearray, memoryview, io.BytesIO], ids=["bytearray", "memoryview", "file"]
)
def test_bodies_botocore_sends_as_bytes_are_read_as_bytes(
    glue_jobs: GlueJobsFake, raw_glue: Any, wrap: Any
) -> None:
    body = json.dumps(job_params()).encode()
    response = send_raw(raw_glue, wrap(body), {"X-Amz-Target": "AWSGlue.CreateJob"})
    assert response.status_code == 200, response.content
    assert glue_jobs.calls[-1].params["Name"] == "nightly"
    assert list(glue_jobs.jobs) == ["nightly"]


def test_what_a_test_reads_from_the_call_log_is_a_copy(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params())
    call = glue_jobs.calls[0]
    call.params["Name"] = "changed"
    call.params["Command"]["Name"] = "changed"
    assert call.params["Name"] == "nightly"
    glue_jobs.assert_called("CreateJob", Name="nightly", Command={"Name": "glueetl"})
    response = call.response
    assert response is not None
    response["Name"] = "changed"
    assert glue_jobs.calls[0].response == {"Name": "nightly"}


def test_load_keeps_nothing_of_the_callers_containers(glue_jobs: GlueJobsFake) -> None:
    arguments: OrderedDict[str, str] = OrderedDict([("--day", "1")])
    job = OrderedDict(
        [
            ("Role", "R"),
            ("Command", OrderedDict(job_params()["Command"])),
            ("DefaultArguments", arguments),
        ]
    )
    glue_jobs.load({f"{glue_jobs.account_id}/{glue_jobs.region}": {"nightly": job}})
    arguments["--day"] = "2"
    job["Role"] = "changed"
    stored = glue_jobs.job("nightly")
    assert stored is not None
    assert (stored["Role"], stored["DefaultArguments"]) == ("R", {"--day": "1"})
    assert type(stored["DefaultArguments"]) is dict


def _nested(levels: int) -> object:
    value: object = "x"
    for _ in range(levels):
        value = [value]
    return value


def _stack_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def _called_at_depth(depth: int, call: Callable[[], Any]) -> Any:
    """``call()`` made with the stack ``depth`` frames deep."""

    def down(more: int) -> Any:
        return call() if more <= 0 else down(more - 1)

    return down(depth - _stack_depth())


@pytest.mark.parametrize(
    "body",
    [
        json.dumps(job_params(DefaultArguments={"--deep": _nested(200)})),  # a wrong type, deep
        json.dumps(job_params(NonOverridableArguments={"--a": "b"})),  # a valid job
        "[" * 5000 + "]" * 5000,  # deeper than JSON decoding follows
    ],
    ids=["deep-wrong-value", "valid-job", "too-deep-to-decode"],
)
def test_the_answer_does_not_depend_on_the_callers_stack_depth(
    glue_jobs: GlueJobsFake, raw_glue: Any, body: str
) -> None:
    # The caller's stack is its own: the fake must answer a request made 30 frames short of the
    # recursion limit as it answers one made from a shallow stack (before: a RecursionError, or
    # a valid body called undecodable).
    headers = {"X-Amz-Target": "AWSGlue.CreateJob"}

    def outcome() -> tuple[int, str | None]:
        glue_jobs.reset()
        response = send_raw(raw_glue, body.encode(), headers)
        return response.status_code, json.loads(response.content).get("__type")

    expected = outcome()
    limit = sys.getrecursionlimit()
    for depth in range(limit - 600, limit - 30, 10):
        assert _called_at_depth(depth, outcome) == expected, f"at stack depth {depth}"


def test_a_polling_loop_costs_the_call_log_about_a_tuple_a_call(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # Before: each logged call kept its own request and answer bodies (~0.6 KB for a GetJobRun);
    # 200,000 polls grew a process by 170 MiB. Equal bodies are kept once now.
    glue.create_job(**job_params())
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    polls = 500

    def poll() -> None:
        for _ in range(polls):
            glue.get_job_run(JobName="nightly", RunId=run_id)

    poll()  # the run reaches its final state, botocore's caches fill
    fake_files = [tracemalloc.Filter(True, str(Path(pytest_gluejobs.__file__).parent / "*"))]
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot().filter_traces(fake_files)
        poll()
        after = tracemalloc.take_snapshot().filter_traces(fake_files)
    finally:
        tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert len(glue_jobs.calls) == 2 + 2 * polls
    assert grown / polls < 200, f"{grown / polls:.0f} bytes per logged call"


def test_a_deep_caller_counts_once_toward_a_fault(glue_jobs: GlueJobsFake, raw_glue: Any) -> None:
    # A request answered again on a new stack (its body too deep for the caller's stack) is shown
    # to the fault rules once: `after=1` spares exactly the first matching call at every depth.
    deep_value = json.dumps(job_params(DefaultArguments={"--deep": _nested(200)})).encode()
    headers = {"X-Amz-Target": "AWSGlue.CreateJob"}
    limit = sys.getrecursionlimit()
    for depth in range(limit - 600, limit - 30, 10):
        glue_jobs.reset()
        fault = glue_jobs.fail("CreateJob", "InternalServiceException", after=1, times=1)
        first = _called_at_depth(depth, lambda: send_raw(raw_glue, deep_value, headers))
        assert json.loads(first.content)["__type"] == "InvalidInputException", f"at {depth}"
        assert fault.fired == 0, f"at stack depth {depth}"
        second = send_raw(raw_glue, deep_value, headers)
        assert json.loads(second.content)["__type"] == "InternalServiceException"
