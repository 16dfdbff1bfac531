"""Run logs: what runs write to CloudWatch Logs, read back through real Logs clients.

The Logs API as CloudWatch Logs documents it
(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html,
API_FilterLogEvents.html, API_DescribeLogStreams.html): ResourceNotFoundException "The specified
log group does not exist." / "The specified log stream does not exist."; GetLogEvents "If you have
reached the end of the stream, it returns the same token you passed in"; startTime inclusive,
endTime exclusive. Where Glue writes: https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging.html
(``/aws-glue/jobs/output``, ``/error``, ``/logs-v2``; the stream is the run id).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import boto3
import pytest
from helpers import block_network, glue_error, job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

OUTPUT = "/aws-glue/jobs/output"
ERROR = "/aws-glue/jobs/error"


@pytest.fixture
def logs(glue_jobs: GlueJobsFake) -> Any:
    return boto3.client("logs", region_name="us-east-1")


def _start(glue: Any, name: str = "nightly", **start: Any) -> str:
    if name not in glue.list_jobs()["JobNames"]:
        # Several runs at once: the tests start one while another is still running.
        glue.create_job(**job_params(name, ExecutionProperty={"MaxConcurrentRuns": 10}))
    run_id: str = glue.start_job_run(JobName=name, **start)["JobRunId"]
    return run_id


def _state(glue: Any, run_id: str, name: str = "nightly") -> str:
    """The run's state at a read; a run shows STARTING at its first read, so this reads past it."""
    state = "STARTING"
    while state == "STARTING":
        state = glue.get_job_run(JobName=name, RunId=run_id)["JobRun"]["JobRunState"]
    return state


def test_a_run_writes_its_lines_once_it_runs(glue: Any, logs: Any, glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["reading s3://in", "done"])
    run_id = _start(glue)
    with glue_error(logs, "ResourceNotFoundException", "The specified log group does not exist."):
        logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)
    assert _state(glue, run_id) == "RUNNING"
    page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id, startFromHead=True)
    assert [event["message"] for event in page["events"]] == ["reading s3://in", "done"]


def test_a_run_that_printed_nothing_yet_has_no_stream(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["line"])
    first = _start(glue)
    _state(glue, first)
    second = _start(glue, Arguments={"--day": "2"})  # still STARTING
    with glue_error(logs, "ResourceNotFoundException", "The specified log stream does not exist."):
        logs.get_log_events(logGroupName=OUTPUT, logStreamName=second)
    with glue_error(logs, "ResourceNotFoundException", "The specified log stream does not exist."):
        logs.filter_log_events(logGroupName=OUTPUT, logStreamNames=[second])


def test_the_forward_token_repeats_at_the_end_of_the_stream(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    lines = [f"line {n}" for n in range(5)]
    glue_jobs.run_states("nightly", "RUNNING", "SUCCEEDED", logs=lines)
    run_id = _start(glue)
    _state(glue, run_id)
    read: list[str] = []
    token = None
    for _ in range(10):  # a reader that stops when the token repeats
        extra = {"nextToken": token} if token else {}
        page = logs.get_log_events(
            logGroupName=OUTPUT, logStreamName=run_id, startFromHead=True, limit=2, **extra
        )
        read += [event["message"] for event in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert read == lines
    assert page["events"] == []


def test_without_start_from_head_the_newest_events_come_first_and_backward_pages_go_back(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", logs=["a", "b", "c", "d", "e"])
    run_id = _start(glue)
    _state(glue, run_id)
    newest = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id, limit=2)
    assert [e["message"] for e in newest["events"]] == ["d", "e"]
    older = logs.get_log_events(
        logGroupName=OUTPUT, logStreamName=run_id, limit=2, nextToken=newest["nextBackwardToken"]
    )
    assert [e["message"] for e in older["events"]] == ["b", "c"]
    with glue_error(logs, "InvalidParameterException", "nextToken"):
        logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id, nextToken="f/nonsense")


def test_a_failed_runs_error_message_goes_to_the_error_group(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "FAILED", error_message="NameError: x")
    run_id = _start(glue)
    while _state(glue, run_id) != "FAILED":
        pass
    events = logs.filter_log_events(logGroupName=ERROR, logStreamNames=[run_id])["events"]
    assert [(e["logStreamName"], e["message"]) for e in events] == [(run_id, "NameError: x")]


def test_filter_log_events_pages_with_next_token_and_stops(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", logs=[f"{n}" for n in range(7)])
    run_ids = [_start(glue, Arguments={"--n": str(n)}) for n in range(2)]
    for run_id in run_ids:
        _state(glue, run_id)
    pages = list(
        logs.get_paginator("filter_log_events").paginate(
            logGroupName=OUTPUT, logStreamNames=run_ids, PaginationConfig={"PageSize": 3}
        )
    )
    assert [len(p["events"]) for p in pages] == [3, 3, 3, 3, 2, 0]
    assert "nextToken" not in pages[-1]
    assert sorted(e["message"] for p in pages for e in p["events"]) == sorted(
        [f"{n}" for n in range(7)] * 2
    )
    only = logs.filter_log_events(logGroupName=OUTPUT, filterPattern='"5"')["events"]
    assert [e["message"] for e in only] == ["5", "5"]


def test_a_filter_token_resumes_after_what_was_read_as_the_run_writes_more(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", logs=["first"])
    first = _start(glue)
    _state(glue, first)
    page = logs.filter_log_events(logGroupName=OUTPUT)
    assert [e["message"] for e in page["events"]] == ["first"]
    again = logs.filter_log_events(logGroupName=OUTPUT, nextToken=page["nextToken"])
    assert again["events"] == [] and "nextToken" not in again
    glue_jobs.run_states("nightly", "RUNNING", logs=["second"])
    _state(glue, _start(glue))
    later = logs.filter_log_events(logGroupName=OUTPUT, nextToken=page["nextToken"])
    assert [e["message"] for e in later["events"]] == ["second"]


def test_start_time_is_inclusive_and_end_time_exclusive(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", logs=["only"])
    run_id = _start(glue)
    _state(glue, run_id)
    stamp = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)["events"][0]["timestamp"]
    read = logs.filter_log_events
    assert len(read(logGroupName=OUTPUT, startTime=stamp)["events"]) == 1
    assert read(logGroupName=OUTPUT, endTime=stamp)["events"] == []
    assert len(read(logGroupName=OUTPUT, endTime=stamp + 1)["events"]) == 1


def test_describe_log_streams_lists_the_runs_streams(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", logs=["x"])
    run_ids = sorted(_start(glue, Arguments={"--n": str(n)}) for n in range(3))
    for run_id in run_ids:
        _state(glue, run_id)
    page = logs.describe_log_streams(logGroupName=OUTPUT, limit=2)
    assert [s["logStreamName"] for s in page["logStreams"]] == run_ids[:2]
    rest = logs.describe_log_streams(logGroupName=OUTPUT, limit=2, nextToken=page["nextToken"])
    assert [s["logStreamName"] for s in rest["logStreams"]] == run_ids[2:]
    assert "nextToken" not in rest
    (one,) = logs.describe_log_streams(logGroupName=OUTPUT, logStreamNamePrefix=run_ids[1])[
        "logStreams"
    ]
    assert one["arn"].startswith("arn:aws:logs:us-east-1:123456789012:log-group:" + OUTPUT)
    with glue_error(logs, "InvalidParameterException", "LastEventTime"):
        logs.describe_log_streams(
            logGroupName=OUTPUT, orderBy="LastEventTime", logStreamNamePrefix="jr_"
        )


def test_continuous_logging_writes_to_logs_v2(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", logs=["driver line"])
    run_id = _start(glue, Arguments={"--enable-continuous-cloudwatch-log": "true"})
    _state(glue, run_id)
    page = logs.get_log_events(
        logGroupName="/aws-glue/jobs/logs-v2", logStreamName=run_id, startFromHead=True
    )
    assert [e["message"] for e in page["events"]] == ["driver line"]


def test_each_retry_attempt_writes_its_own_stream(
    glue: Any, logs: Any, glue_jobs: GlueJobsFake
) -> None:
    glue.create_job(**job_params(MaxRetries=1))
    glue_jobs.run_states("nightly", "RUNNING", "FAILED", logs=["try"])
    run_id = _start(glue)
    while _state(glue, run_id) != "FAILED":
        pass
    retry = f"{run_id}_attempt_1"
    while _state(glue, retry) != "FAILED":
        pass
    streams = logs.describe_log_streams(logGroupName=OUTPUT)["logStreams"]
    assert sorted(s["logStreamName"] for s in streams) == sorted([run_id, retry])


def test_run_states_refuses_logs_that_are_not_lines(glue_jobs: GlueJobsFake) -> None:
    with pytest.raises(TypeError, match="list of lines"):
        glue_jobs.run_states("nightly", "RUNNING", logs="one line")  # type: ignore[arg-type]


def test_other_log_groups_go_to_moto_and_glue_groups_stay_with_the_fake() -> None:
    mock_aws = pytest.importorskip("moto").mock_aws
    with mock_aws(), mock_glue_jobs() as fake:
        logs = boto3.client("logs", region_name="us-east-1")
        logs.create_log_group(logGroupName="/app")
        logs.create_log_stream(logGroupName="/app", logStreamName="s")
        logs.put_log_events(
            logGroupName="/app",
            logStreamName="s",
            logEvents=[{"timestamp": int(time.time() * 1000), "message": "from the app"}],
        )
        page = logs.get_log_events(logGroupName="/app", logStreamName="s")
        assert [e["message"] for e in page["events"]] == ["from the app"]
        glue = boto3.client("glue", region_name="us-east-1")
        fake.run_states("nightly", "RUNNING", logs=["from the run"])
        run_id = _start(glue)
        _state(glue, run_id)
        page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)
        assert [e["message"] for e in page["events"]] == ["from the run"]


def test_glue_log_groups_go_to_moto_when_no_fake_is_active() -> None:
    mock_aws = pytest.importorskip("moto").mock_aws
    with mock_aws():
        with mock_glue_jobs():
            pass
        logs = boto3.client("logs", region_name="us-east-1")
        logs.create_log_group(logGroupName=OUTPUT)
        assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == [OUTPUT]
        with pytest.raises(logs.exceptions.ResourceNotFoundException):
            logs.get_log_events(logGroupName=OUTPUT, logStreamName="jr_none")


def test_no_log_read_leaves_the_machine(
    glue: Any, glue_jobs: GlueJobsFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = block_network(monkeypatch)
    logs = boto3.client("logs", region_name="us-east-1")
    glue_jobs.run_states("nightly", "RUNNING", logs=["x"])
    run_id = _start(glue)
    _state(glue, run_id)
    logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)
    logs.filter_log_events(logGroupName=OUTPUT)
    logs.describe_log_streams(logGroupName=OUTPUT)
    assert attempts == []


def test_async_clients_read_the_same_logs(glue: Any, glue_jobs: GlueJobsFake) -> None:
    session = pytest.importorskip("aiobotocore.session").get_session()
    glue_jobs.run_states("nightly", "RUNNING", logs=["async line"])
    run_id = _start(glue)
    _state(glue, run_id)

    async def read() -> list[str]:
        async with session.create_client("logs", region_name="us-east-1") as logs:
            page = await logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)
            return [e["message"] for e in page["events"]]

    assert asyncio.run(asyncio.wait_for(read(), 10)) == ["async line"]
