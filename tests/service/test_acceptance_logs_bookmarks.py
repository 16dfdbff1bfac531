"""Acceptance tests for run logs and job bookmarks, written from the public contract.

The contract: ``run_states(job, *states, error_message=None, logs=None)`` scripts the lines each of
the job's next runs writes to ``/aws-glue/jobs/output`` (stream = the run id), a failed run's
ErrorMessage goes to ``/aws-glue/jobs/error``, and the fake answers GetLogEvents, FilterLogEvents
and DescribeLogStreams for Glue's log groups as CloudWatch Logs does; GetJobBookmark and
ResetJobBookmark answer with Glue's JobBookmarkEntry, and a successful run with
``--job-bookmark-option job-bookmark-enable`` advances it. What CloudWatch Logs and Glue answer:

- GetLogEvents https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
  ("If you have reached the end of the stream, it returns the same token you passed in"; both
  tokens are never null; startFromHead defaults to false);
- FilterLogEvents https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
  ("If the results don't include a nextToken, then pagination is finished"; events "in ascending
  timestamp order (oldest first)", newest first with ``startFromHead=false``; searchedLogStreams
  "is no longer supported. This parameter returns an empty list.");
- DescribeLogStreams https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
  (orderBy LogStreamName by default, or LastEventTime; descending; up to 50 streams a page);
- where Glue writes https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging.html;
- GetJobBookmark https://docs.aws.amazon.com/glue/latest/webapi/API_GetJobBookmark.html,
  ResetJobBookmark https://docs.aws.amazon.com/glue/latest/webapi/API_ResetJobBookmark.html,
  JobBookmarkEntry https://docs.aws.amazon.com/glue/latest/webapi/API_JobBookmarkEntry.html,
  which runs advance it https://docs.aws.amazon.com/glue/latest/dg/monitor-continuations.html.

These add what tests/service/test_run_logs.py and test_job_bookmarks.py do not cover.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from helpers import finishes, glue_error, job_params, needs_aiobotocore

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

OUTPUT = "/aws-glue/jobs/output"
ERROR = "/aws-glue/jobs/error"
LOGS_V2 = "/aws-glue/jobs/logs-v2"
ENABLE = {"--job-bookmark-option": "job-bookmark-enable"}
FINAL = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR")
NO_GROUP = "The specified log group does not exist."
NO_STREAM = "The specified log stream does not exist."


@pytest.fixture
def fake() -> Iterator[GlueJobsFake]:
    """A virtual-time fake at a fixed instant: runs started a minute apart write a minute apart."""
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.freeze_time("2026-12-01 09:00:00")
        yield fake


@pytest.fixture
def glue(fake: GlueJobsFake) -> Any:
    client = boto3.client("glue", region_name="us-east-1")
    client.create_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 10}))
    return client


@pytest.fixture
def logs(fake: GlueJobsFake) -> Any:
    return boto3.client("logs", region_name="us-east-1")


def finish(glue: Any, run_id: str, job: str = "nightly") -> dict[str, Any]:
    """Read the run until it ends (each read is one scripted step); the run as Glue shows it."""
    for _ in range(50):
        run: dict[str, Any] = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
        if run["JobRunState"] in FINAL:
            return run
    raise AssertionError(f"run {run_id} did not end: {run['JobRunState']}")


def running(glue: Any, run_id: str, job: str = "nightly") -> None:
    """Read the run past STARTING (its first read shows STARTING), so it has printed its lines."""
    while glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"] == "STARTING":
        pass


def messages(page: dict[str, Any]) -> list[str]:
    return [event["message"] for event in page["events"]]


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


# -- GetLogEvents --------------------------------------------------------------------------------


def test_get_log_events_shape_and_times_follow_the_fakes_clock(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["reading s3://in", "wrote 3 rows"])
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    time.sleep(60)
    running(glue, run_id)  # it starts running a (virtual) minute after it started
    run = finish(glue, run_id)

    page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id, startFromHead=True)

    assert messages(page) == ["reading s3://in", "wrote 3 rows"]
    for event in page["events"]:
        assert set(event) == {"timestamp", "message", "ingestionTime"}
        assert event["timestamp"] == ms(datetime(2026, 12, 1, 9, 1, tzinfo=timezone.utc))
        assert event["ingestionTime"] >= event["timestamp"]
        assert ms(run["StartedOn"]) <= event["timestamp"] <= ms(run["CompletedOn"])
    assert page["nextForwardToken"] and page["nextBackwardToken"]


def test_without_start_from_head_a_small_stream_comes_whole_and_oldest_first(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    lines = [f"line {n}" for n in range(4)]
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=lines)
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, run_id)

    assert messages(logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)) == lines
    newest = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id, startFromHead=False)
    assert messages(newest) == lines


def test_a_reader_going_backwards_stops_when_the_backward_token_repeats(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    lines = [f"line {n}" for n in range(7)]
    fake.run_states("nightly", "RUNNING", logs=lines)
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, run_id)

    def read_backwards() -> list[str]:
        read: list[str] = []
        token = None
        while True:
            extra = {"nextToken": token} if token else {}
            page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id, limit=3, **extra)
            read = messages(page) + read
            if page["nextBackwardToken"] == token:
                return read
            token = page["nextBackwardToken"]

    assert finishes(read_backwards, within=10) == lines


def test_a_tailing_reader_that_stops_when_the_token_repeats_reads_each_line_once(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    # The deferrable Airflow reader and Dagster's CloudWatch reader: startFromHead=True, follow
    # nextForwardToken until it comes back unchanged; read again later from the last token.
    lines = [f"line {n}" for n in range(5)]
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=lines)
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, run_id)

    def drain(token: str | None) -> tuple[list[str], str]:
        read: list[str] = []
        while True:
            extra = {"nextToken": token} if token else {}
            page = logs.get_log_events(
                logGroupName=OUTPUT, logStreamName=run_id, startFromHead=True, limit=2, **extra
            )
            read += messages(page)
            if page["nextForwardToken"] == token:
                return read, page["nextForwardToken"]
            token = page["nextForwardToken"]

    first, token = finishes(lambda: drain(None), within=10)
    finish(glue, run_id)
    again, same = finishes(lambda: drain(token), within=10)

    assert first == lines
    assert again == [] and same == token


def test_time_window_on_get_log_events(fake: GlueJobsFake, glue: Any, logs: Any) -> None:
    fake.run_states("nightly", "RUNNING", logs=["first run"])
    first = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, first)
    stamp = logs.get_log_events(logGroupName=OUTPUT, logStreamName=first)["events"][0]["timestamp"]
    read = logs.get_log_events

    assert messages(read(logGroupName=OUTPUT, logStreamName=first, startTime=stamp)) == [
        "first run"
    ]
    assert messages(read(logGroupName=OUTPUT, logStreamName=first, startTime=stamp + 1)) == []
    assert messages(read(logGroupName=OUTPUT, logStreamName=first, endTime=stamp)) == []
    assert messages(read(logGroupName=OUTPUT, logStreamName=first, endTime=stamp + 1)) == [
        "first run"
    ]


def test_a_run_that_printed_nothing_has_no_stream_even_after_it_ends(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    # No group yet: nothing was ever written to it.
    quiet = glue.start_job_run(JobName="nightly")["JobRunId"]
    assert finish(glue, quiet)["JobRunState"] == "SUCCEEDED"
    with glue_error(logs, "ResourceNotFoundException", NO_GROUP):
        logs.get_log_events(logGroupName=OUTPUT, logStreamName=quiet)
    with glue_error(logs, "ResourceNotFoundException", NO_GROUP):
        logs.describe_log_streams(logGroupName=OUTPUT)
    # Once another run wrote to the group, the quiet run's stream is still missing.
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["loud"])
    loud = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, loud)
    with glue_error(logs, "ResourceNotFoundException", NO_STREAM):
        logs.get_log_events(logGroupName=OUTPUT, logStreamName=quiet)
    with glue_error(logs, "ResourceNotFoundException", NO_GROUP):
        logs.get_log_events(logGroupName=ERROR, logStreamName=loud)  # it did not fail


def test_a_run_stopped_before_it_ran_printed_nothing_one_that_timed_out_did(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    # The lines are written "when it starts running" (docs/logs-and-bookmarks.md); a stream that
    # does not exist answers ResourceNotFoundException, which Airflow's verbose mode relies on.
    # A run that timed out used its minute: it ran, and printed its lines.
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["would print"])
    stopped = glue.start_job_run(JobName="nightly")["JobRunId"]
    glue.batch_stop_job_run(JobName="nightly", JobRunIds=[stopped])  # still STARTING
    timed_out = glue.start_job_run(JobName="nightly", Timeout=1)["JobRunId"]
    time.sleep(60)  # its Timeout passes before anyone read it
    assert finish(glue, stopped)["JobRunState"] == "STOPPED"
    assert finish(glue, timed_out)["JobRunState"] == "TIMEOUT"

    with glue_error(logs, "ResourceNotFoundException", NO_STREAM):
        logs.get_log_events(logGroupName=OUTPUT, logStreamName=stopped)
    printed = logs.get_log_events(logGroupName=OUTPUT, logStreamName=timed_out)
    assert [event["message"] for event in printed["events"]] == ["would print"]
    # Its ErrorMessage is in the error group as well.
    page = logs.get_log_events(logGroupName=ERROR, logStreamName=timed_out)
    assert len(page["events"]) == 1


def test_every_next_run_writes_the_scripted_lines_to_its_own_stream(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["hello"])
    run_ids = [glue.start_job_run(JobName="nightly")["JobRunId"] for _ in range(3)]
    for run_id in run_ids:
        finish(glue, run_id)

    for run_id in run_ids:
        page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)
        assert messages(page) == ["hello"]


def test_lines_are_kept_as_written(fake: GlueJobsFake, glue: Any, logs: Any) -> None:
    lines = ["  indented", "ünïcödé ✓", '{"json": true}', "tab\tinside", ""]
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=lines)
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, run_id)

    page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id, startFromHead=True)
    assert messages(page) == lines


# -- the error group -----------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["GetLogEvents", "FilterLogEvents"])
def test_a_failed_runs_error_message_is_in_the_error_group_under_its_run_id(
    fake: GlueJobsFake, glue: Any, logs: Any, via: str
) -> None:
    fake.run_states("nightly", "RUNNING", "FAILED", error_message="NameError: x", logs=["reading"])
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    run = finish(glue, run_id)
    assert run["ErrorMessage"] == "NameError: x"

    if via == "GetLogEvents":
        page = logs.get_log_events(logGroupName=ERROR, logStreamName=run_id, startFromHead=True)
    else:
        page = logs.filter_log_events(logGroupName=ERROR, logStreamNamePrefix=run_id)
    assert messages(page) == ["NameError: x"]
    assert messages(logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)) == ["reading"]


def test_a_run_that_times_out_writes_its_error_message_to_the_error_group(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    fake.run_states("nightly", "RUNNING", logs=["still going"])
    run_id = glue.start_job_run(JobName="nightly", Timeout=10)["JobRunId"]
    running(glue, run_id)
    time.sleep(600)  # virtual: ten minutes
    run = finish(glue, run_id)

    assert run["JobRunState"] == "TIMEOUT"
    page = logs.get_log_events(logGroupName=ERROR, logStreamName=run_id)
    assert messages(page) == [run["ErrorMessage"]]
    assert page["events"][0]["timestamp"] == ms(run["CompletedOn"])


# -- FilterLogEvents -----------------------------------------------------------------------------


def test_filter_log_events_interleaves_streams_by_time_not_by_name(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    fake.run_states("nightly", "RUNNING", logs=["early 1", "early 2"])
    early = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, early)
    time.sleep(60)
    fake.run_states("nightly", "RUNNING", logs=["late"])
    late = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, late)

    page = logs.filter_log_events(logGroupName=OUTPUT, logStreamNames=[late, early])

    assert [(e["logStreamName"], e["message"]) for e in page["events"]] == [
        (early, "early 1"),
        (early, "early 2"),
        (late, "late"),
    ]
    for event in page["events"]:
        assert set(event) == {"logStreamName", "timestamp", "message", "ingestionTime", "eventId"}
    assert len({event["eventId"] for event in page["events"]}) == 3


def test_filter_log_events_newest_first_with_start_from_head_false(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    # "By default, the events are returned in ascending timestamp order (oldest first). To return
    # events in descending timestamp order (newest first), set the startFromHead parameter to
    # false." (FilterLogEvents, above.) A parameter of 2024: older botocore cannot send it.
    members = logs.meta.service_model.operation_model("FilterLogEvents").input_shape.members
    if "startFromHead" not in members:
        pytest.skip("this botocore's FilterLogEvents has no startFromHead")
    fake.run_states("nightly", "RUNNING", logs=["older"])
    older = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, older)
    time.sleep(60)
    fake.run_states("nightly", "RUNNING", logs=["newer"])
    newer = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, newer)

    page = logs.filter_log_events(logGroupName=OUTPUT, startFromHead=False, limit=1)
    rest = logs.filter_log_events(logGroupName=OUTPUT, nextToken=page["nextToken"], limit=1)

    assert messages(page) == ["newer"]
    assert messages(rest) == ["older"]
    assert messages(logs.filter_log_events(logGroupName=OUTPUT)) == ["older", "newer"]
    # "Setting startFromHead to false is supported only when startTime is on or after Jan 1, 2024
    # 00:00:00 UTC. A request with startFromHead set to false and a startTime before this date
    # returns an InvalidParameterException."
    with glue_error(logs, "InvalidParameterException"):
        logs.filter_log_events(logGroupName=OUTPUT, startFromHead=False, startTime=0)


def test_filter_log_events_searched_log_streams_is_an_empty_list(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    fake.run_states("nightly", "RUNNING", logs=["x"])
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, run_id)

    page = logs.filter_log_events(logGroupName=OUTPUT, logStreamNames=[run_id])

    assert messages(page) == ["x"]
    assert page.get("searchedLogStreams", []) == []


def test_an_airflow_style_verbose_reader_prints_each_line_once(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    # Airflow's GlueJobHook.print_job_logs: FilterLogEvents on <LogGroupName>/output with
    # logStreamNames=[run id] and startTime=StartedOn, a continuation token kept between polls,
    # ResourceNotFoundException meaning "no logs yet".
    fake.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED", logs=["a", "b", "c"])
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    printed: list[str] = []
    token: str | None = None
    while True:
        run = glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]
        kwargs: dict[str, Any] = {
            "logGroupName": f"{run['LogGroupName']}/output",
            "logStreamNames": [run_id],
            "startTime": ms(run["StartedOn"]),
        }
        if token:
            kwargs["nextToken"] = token
        try:
            for page in logs.get_paginator("filter_log_events").paginate(**kwargs):
                printed += messages(page)
                token = page.get("nextToken", token)
        except logs.exceptions.ResourceNotFoundException:
            pass  # no logs yet
        if run["JobRunState"] in FINAL:
            break
        time.sleep(6)

    assert printed == ["a", "b", "c"]


def test_filter_log_events_by_log_group_arn(fake: GlueJobsFake, glue: Any, logs: Any) -> None:
    fake.run_states("nightly", "RUNNING", logs=["by arn"])
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, run_id)
    arn = f"arn:aws:logs:us-east-1:123456789012:log-group:{OUTPUT}"

    assert messages(logs.filter_log_events(logGroupIdentifier=arn)) == ["by arn"]
    page = logs.get_log_events(logGroupIdentifier=arn, logStreamName=run_id)
    assert messages(page) == ["by arn"]


@needs_aiobotocore
def test_an_async_filter_log_events_paginator_ends(fake: GlueJobsFake, glue: Any) -> None:
    from aiobotocore.session import get_session

    fake.run_states("nightly", "RUNNING", logs=[f"{n}" for n in range(5)])
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, run_id)

    async def read() -> list[str]:
        async with get_session().create_client("logs", region_name="us-east-1") as logs:
            paginator = logs.get_paginator("filter_log_events")
            read: list[str] = []
            async for page in paginator.paginate(
                logGroupName=OUTPUT, logStreamNames=[run_id], PaginationConfig={"PageSize": 2}
            ):
                read += messages(page)
            return read

    assert finishes(lambda: asyncio.run(read()), within=10) == [f"{n}" for n in range(5)]


# -- DescribeLogStreams --------------------------------------------------------------------------


def test_describe_log_streams_by_last_event_time_newest_first(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    run_ids = []
    for n in range(3):
        fake.run_states("nightly", "RUNNING", logs=[f"run {n}"])
        run_ids.append(glue.start_job_run(JobName="nightly")["JobRunId"])
        running(glue, run_ids[-1])
        time.sleep(60)

    newest_first = logs.describe_log_streams(
        logGroupName=OUTPUT, orderBy="LastEventTime", descending=True
    )["logStreams"]
    oldest_first = logs.describe_log_streams(logGroupName=OUTPUT, orderBy="LastEventTime")[
        "logStreams"
    ]

    assert [s["logStreamName"] for s in newest_first] == run_ids[::-1]
    assert [s["logStreamName"] for s in oldest_first] == run_ids
    first = oldest_first[0]
    assert first["creationTime"] == first["firstEventTimestamp"] == first["lastEventTimestamp"]
    assert first["lastEventTimestamp"] == ms(datetime(2026, 12, 1, 9, tzinfo=timezone.utc))
    assert first["arn"] == (
        f"arn:aws:logs:us-east-1:123456789012:log-group:{OUTPUT}:log-stream:{run_ids[0]}"
    )


def test_describe_log_streams_by_name_descending_with_a_prefix_pages_to_the_end(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    fake.run_states("nightly", "RUNNING", logs=["x"])
    run_ids = []
    for _ in range(5):
        run_ids.append(glue.start_job_run(JobName="nightly")["JobRunId"])
        running(glue, run_ids[-1])

    pages = list(
        logs.get_paginator("describe_log_streams").paginate(
            logGroupName=OUTPUT,
            logStreamNamePrefix="jr_",
            descending=True,
            PaginationConfig={"PageSize": 2},
        )
    )

    assert [len(page["logStreams"]) for page in pages] == [2, 2, 1]
    assert "nextToken" not in pages[-1]
    names = [s["logStreamName"] for page in pages for s in page["logStreams"]]
    assert names == sorted(run_ids, reverse=True)
    assert (
        logs.describe_log_streams(logGroupName=OUTPUT, logStreamNamePrefix="nope")["logStreams"]
        == []
    )


# -- continuous logging --------------------------------------------------------------------------


def test_continuous_logging_from_the_jobs_default_arguments(fake: GlueJobsFake, logs: Any) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(
        **job_params(
            "streaming",
            DefaultArguments={"--enable-continuous-cloudwatch-log": "true"},
            ExecutionProperty={"MaxConcurrentRuns": 2},
        )
    )
    fake.run_states("streaming", "RUNNING", "SUCCEEDED", logs=["driver says hi"])
    on = glue.start_job_run(JobName="streaming")["JobRunId"]
    off = glue.start_job_run(
        JobName="streaming", Arguments={"--enable-continuous-cloudwatch-log": "false"}
    )["JobRunId"]
    finish(glue, on, "streaming")
    finish(glue, off, "streaming")

    page = logs.get_log_events(logGroupName=LOGS_V2, logStreamName=on, startFromHead=True)
    assert messages(page) == ["driver says hi"]
    with glue_error(logs, "ResourceNotFoundException", NO_STREAM):
        logs.get_log_events(logGroupName=LOGS_V2, logStreamName=off)
    # The output group has both runs' lines either way.
    for run_id in (on, off):
        assert messages(logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)) == [
            "driver says hi"
        ]


# -- the run's LogGroupName is where its lines are -------------------------------------------------


@pytest.mark.parametrize("kind", ["glueetl", "pythonshell"])
def test_lines_are_under_the_runs_log_group_name(fake: GlueJobsFake, logs: Any, kind: str) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params("job", kind))
    fake.run_states("job", "RUNNING", "FAILED", error_message="boom", logs=["hello"])
    run_id = glue.start_job_run(JobName="job")["JobRunId"]
    run = finish(glue, run_id, "job")

    base = run["LogGroupName"]
    assert messages(logs.get_log_events(logGroupName=f"{base}/output", logStreamName=run_id)) == [
        "hello"
    ]
    assert messages(logs.get_log_events(logGroupName=f"{base}/error", logStreamName=run_id)) == [
        "boom"
    ]


# -- who answers ---------------------------------------------------------------------------------


def test_logs_reads_are_not_glue_calls_and_stay_in_their_region(
    fake: GlueJobsFake, glue: Any, logs: Any
) -> None:
    fake.run_states("nightly", "RUNNING", logs=["here"])
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, run_id)
    before = len(fake.calls)

    logs.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)
    logs.filter_log_events(logGroupName=OUTPUT)
    logs.describe_log_streams(logGroupName=OUTPUT)

    assert len(fake.calls) == before
    elsewhere = boto3.client("logs", region_name="eu-west-1")
    with glue_error(elsewhere, "ResourceNotFoundException", NO_GROUP):
        elsewhere.get_log_events(logGroupName=OUTPUT, logStreamName=run_id)


def test_other_glue_looking_groups_and_other_operations_go_to_moto() -> None:
    mock_aws = pytest.importorskip("moto").mock_aws
    with mock_aws(), mock_glue_jobs() as fake:
        logs = boto3.client("logs", region_name="us-east-1")
        # Crawler logs are Glue's too, but not a job run's: moto keeps them.
        logs.create_log_group(logGroupName="/aws-glue/crawlers")
        logs.create_log_stream(logGroupName="/aws-glue/crawlers", logStreamName="my-crawler")
        logs.put_log_events(
            logGroupName="/aws-glue/crawlers",
            logStreamName="my-crawler",
            logEvents=[{"timestamp": int(time.time() * 1000), "message": "crawled"}],
        )
        page = logs.filter_log_events(logGroupName="/aws-glue/crawlers")
        assert messages(page) == ["crawled"]
        streams = logs.describe_log_streams(logGroupName="/aws-glue/crawlers")["logStreams"]
        assert [s["logStreamName"] for s in streams] == ["my-crawler"]
        # A run's lines are the fake's, even beside moto.
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_job(**job_params())
        fake.run_states("nightly", "RUNNING", logs=["from the run"])
        run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
        running(glue, run_id)
        assert messages(logs.filter_log_events(logGroupName=OUTPUT)) == ["from the run"]


def test_reset_forgets_run_logs_and_bookmarks(fake: GlueJobsFake, logs: Any) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["x"])
    finish(glue, glue.start_job_run(JobName="nightly")["JobRunId"])

    fake.reset()

    with glue_error(logs, "ResourceNotFoundException", NO_GROUP):
        logs.describe_log_streams(logGroupName=OUTPUT)
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job_bookmark(JobName="nightly")


ISOLATION_SUITE = """
import boto3
import pytest

OUTPUT = "/aws-glue/jobs/output"
JOB = {"Name": "nightly", "Role": "R", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/n.py"},
       "DefaultArguments": {"--job-bookmark-option": "job-bookmark-enable"}}


def finish(glue, run_id):
    while glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["JobRunState"] != "SUCCEEDED":
        pass


def test_first_writes_logs_and_a_bookmark(glue_jobs):
    glue = boto3.client("glue")
    glue.create_job(**JOB)
    glue_jobs.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["from the first test"])
    finish(glue, glue.start_job_run(JobName="nightly")["JobRunId"])
    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]["Run"] == 1


def test_second_finds_neither(glue_jobs):
    glue = boto3.client("glue")
    logs = boto3.client("logs")
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.filter_log_events(logGroupName=OUTPUT)
    glue.create_job(**JOB)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_job_bookmark(JobName="nightly")
"""


def test_run_logs_and_bookmarks_do_not_leak_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_logs_and_bookmarks_per_test=ISOLATION_SUITE)

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest")

    result.assert_outcomes(passed=2)


# -- job bookmarks -------------------------------------------------------------------------------


def test_bookmark_entry_members_have_glues_types(fake: GlueJobsFake) -> None:
    # JobBookmarkEntry: JobName, JobBookmark, PreviousRunId, RunId (strings); Version, Run,
    # Attempt (integers).
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    first = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, first)
    second = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, second)

    entry = glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]

    assert set(entry) <= {
        "JobName",
        "Version",
        "Run",
        "Attempt",
        "PreviousRunId",
        "RunId",
        "JobBookmark",
    }
    for key in ("JobName", "RunId", "PreviousRunId", "JobBookmark"):
        assert isinstance(entry[key], str), key
    for key in ("Version", "Run", "Attempt"):
        assert type(entry[key]) is int, key
    assert (entry["JobName"], entry["RunId"], entry["PreviousRunId"]) == ("nightly", second, first)


@pytest.mark.parametrize("option", ["job-bookmark-pause", "job-bookmark-disable"])
def test_pause_and_disable_leave_an_existing_entry_as_it_was(
    fake: GlueJobsFake, option: str
) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    finish(glue, glue.start_job_run(JobName="nightly")["JobRunId"])
    before = glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]

    run_id = glue.start_job_run(JobName="nightly", Arguments={"--job-bookmark-option": option})[
        "JobRunId"
    ]
    assert finish(glue, run_id)["JobRunState"] == "SUCCEEDED"

    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"] == before


def test_a_run_argument_enables_bookmarks_over_a_paused_default(fake: GlueJobsFake) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(DefaultArguments={"--job-bookmark-option": "job-bookmark-pause"}))
    run_id = glue.start_job_run(JobName="nightly", Arguments=ENABLE)["JobRunId"]
    finish(glue, run_id)

    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]["RunId"] == run_id


def test_runs_that_do_not_succeed_never_advance_the_entry(fake: GlueJobsFake) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(
        **job_params(DefaultArguments=ENABLE, ExecutionProperty={"MaxConcurrentRuns": 5})
    )
    kept = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, kept)
    before = glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]

    fake.run_states("nightly", "RUNNING")
    stopped = glue.start_job_run(JobName="nightly")["JobRunId"]
    timed_out = glue.start_job_run(JobName="nightly", Timeout=1)["JobRunId"]
    running(glue, stopped)
    glue.batch_stop_job_run(JobName="nightly", JobRunIds=[stopped])
    time.sleep(61)
    fake.run_states("nightly", "RUNNING", "ERROR", error_message="lost the cluster")
    errored = glue.start_job_run(JobName="nightly")["JobRunId"]

    assert [finish(glue, r)["JobRunState"] for r in (stopped, timed_out, errored)] == [
        "STOPPED",
        "TIMEOUT",
        "ERROR",
    ]
    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"] == before


def test_a_retry_that_succeeds_advances_the_entry_with_its_attempt(fake: GlueJobsFake) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(DefaultArguments=ENABLE, MaxRetries=1))
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    running(glue, run_id)
    fake.finish_run(run_id, "FAILED", error_message="flaky")
    retry = f"{run_id}_attempt_1"

    assert finish(glue, retry)["JobRunState"] == "SUCCEEDED"
    entry = glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]
    assert (entry["Run"], entry["Attempt"], entry["RunId"]) == (1, 1, retry)


def test_bookmarks_enabled_by_update_job_advance_from_the_next_run(fake: GlueJobsFake) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params())
    finish(glue, glue.start_job_run(JobName="nightly")["JobRunId"])
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job_bookmark(JobName="nightly")

    glue.update_job(
        JobName="nightly",
        JobUpdate={
            "Role": "GlueServiceRole",
            "Command": {"Name": "glueetl", "ScriptLocation": "s3://bucket/scripts/job.py"},
            "DefaultArguments": ENABLE,
        },
    )
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, run_id)

    entry = glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]
    assert (entry["Run"], entry["RunId"]) == (1, run_id)
    assert "PreviousRunId" not in entry


def test_bookmark_calls_are_recorded_and_reset_then_read_agree(fake: GlueJobsFake) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    finish(glue, glue.start_job_run(JobName="nightly")["JobRunId"])

    reset = glue.reset_job_bookmark(JobName="nightly")
    read = glue.get_job_bookmark(JobName="nightly")

    assert reset["JobBookmarkEntry"] == read["JobBookmarkEntry"]
    assert read["JobBookmarkEntry"]["JobBookmark"] == "{}"
    operations = [call.operation for call in fake.calls]
    assert operations[-2:] == ["ResetJobBookmark", "GetJobBookmark"]


@needs_aiobotocore
def test_bookmarks_through_an_async_client(fake: GlueJobsFake) -> None:
    from aiobotocore.session import get_session

    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(**job_params(DefaultArguments=ENABLE))
    run_id = glue.start_job_run(JobName="nightly")["JobRunId"]
    finish(glue, run_id)

    async def read() -> tuple[dict[str, Any], str]:
        async with get_session().create_client("glue", region_name="us-east-1") as aglue:
            entry = (await aglue.get_job_bookmark(JobName="nightly"))["JobBookmarkEntry"]
            try:
                await aglue.reset_job_bookmark(JobName="missing")
            except aglue.exceptions.EntityNotFoundException as error:
                return entry, error.response["Error"]["Message"]
            raise AssertionError("ResetJobBookmark of a missing job answered")

    entry, message = finishes(lambda: asyncio.run(read()), within=10)
    assert entry["RunId"] == run_id
    assert message == "Continuation for job missing not found"


def test_a_scheduled_run_writes_its_lines_and_advances_the_bookmark(fake: GlueJobsFake) -> None:
    # A trigger's action Arguments are the run's arguments (Action.Arguments,
    # https://docs.aws.amazon.com/glue/latest/webapi/API_Action.html); the run a schedule starts
    # is a run like any other.
    glue = boto3.client("glue", region_name="us-east-1")
    logs = boto3.client("logs", region_name="us-east-1")
    glue.create_job(**job_params())
    fake.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["nightly load"])
    glue.create_trigger(
        Name="at-ten",
        Type="SCHEDULED",
        Schedule="cron(0 10 * * ? *)",
        Actions=[{"JobName": "nightly", "Arguments": ENABLE}],
        StartOnCreation=True,
    )
    time.sleep(3600)  # virtual: 09:00 to 10:00, the trigger fires

    (run,) = glue.get_job_runs(JobName="nightly")["JobRuns"]
    finish(glue, run["Id"])

    assert run["TriggerName"] == "at-ten"
    page = logs.get_log_events(logGroupName=OUTPUT, logStreamName=run["Id"])
    assert messages(page) == ["nightly load"]
    assert glue.get_job_bookmark(JobName="nightly")["JobBookmarkEntry"]["RunId"] == run["Id"]
