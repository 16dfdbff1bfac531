"""Run logs: the lines job runs write to CloudWatch Logs, and the Logs reads that find them.

A run writes to Glue's own log groups under its LogGroupName (``/aws-glue/jobs`` for Spark jobs),
in a stream named by its run id (https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging.html):
the lines a test scripted go to ``<group>/output`` when the run starts running (and, for a run
with ``--enable-continuous-cloudwatch-log true``, to ``<group>/logs-v2`` too); a run that ends
with an ErrorMessage writes it to ``<group>/error``. A stream exists once something was written to
it, a group once one of its streams does.

GetLogEvents, FilterLogEvents and DescribeLogStreams are answered for those groups as CloudWatch
Logs answers them (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/):
ResourceNotFoundException for a group or stream that does not exist, and tokens that page the way
the service's do: at the end of a stream GetLogEvents hands back the forward token it was given;
FilterLogEvents gives a token after every page with events (resuming after them) and none after
an empty page; DescribeLogStreams gives one while more streams are left.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

#: The Logs operations the fake answers for Glue's log groups.
OPERATIONS = ("GetLogEvents", "FilterLogEvents", "DescribeLogStreams")
#: The run argument that turns on continuous logging, and the group suffix it writes to.
CONTINUOUS_LOGGING = "--enable-continuous-cloudwatch-log"
_KINDS = ("/output", "/error", "/logs-v2")
_PREFIX = "/aws-glue/"
_MAX_EVENTS = 10_000
_MAX_STREAMS = 50
_EVENT_TOKEN = re.compile(r"([fb])/(\d{56})/s")
#: FilterLogEvents' newest-first order (startFromHead=false) is refused before this instant (ms).
_NEWEST_FIRST_SINCE = 1_704_067_200_000
_NEWEST_FIRST = "filter-newest-first"


class LogStream:
    """One stream's events, oldest first: (timestamp ms, ingestion time ms, message)."""

    __slots__ = ("created", "events", "name")

    def __init__(self, name: str, created: int) -> None:
        self.name = name
        self.created = created
        self.events: list[tuple[int, int, str]] = []


#: A partition's log groups: group name -> stream name -> stream.
LogGroups = dict[str, dict[str, LogStream]]


class LogsError(Exception):
    """An error CloudWatch Logs would answer with (always a 400 client error here)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def is_glue_log_group(name: object) -> bool:
    """Whether ``name`` is one of the groups Glue's runs write to."""
    return isinstance(name, str) and name.startswith(_PREFIX) and name.endswith(_KINDS)


def group_named(params: Mapping[str, Any]) -> object:
    """The log group a request names: logGroupName, or logGroupIdentifier (a name or an ARN)."""
    name = params.get("logGroupName")
    if name is None:
        name = params.get("logGroupIdentifier")
        if isinstance(name, str) and name.startswith("arn:") and ":log-group:" in name:
            name = name.split(":log-group:", 1)[1].removesuffix(":*")
    return name


# -- what runs write ------------------------------------------------------------------------------


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def write(groups: LogGroups, group: str, stream: str, lines: Iterable[str], at: datetime) -> None:
    """Append ``lines`` (one event each) to a stream, creating the group and stream if new."""
    streams = groups.setdefault(group, {})
    log_stream = streams.get(stream)
    time = _ms(at)
    if log_stream is None:
        log_stream = streams[stream] = LogStream(stream, time)
    log_stream.events.extend((time, time, line) for line in lines)


def run_running(
    groups: LogGroups,
    run: Mapping[str, Any],
    job: Mapping[str, Any],
    lines: tuple[str, ...],
    at: datetime,
) -> None:
    """A run started running: it prints its scripted lines (once per run)."""
    base = run.get("LogGroupName")
    if not lines or not base or run["Id"] in groups.get(f"{base}/output", {}):
        return
    write(groups, f"{base}/output", run["Id"], lines, at)
    arguments = {**(job.get("DefaultArguments") or {}), **(run.get("Arguments") or {})}
    if str(arguments.get(CONTINUOUS_LOGGING, "")).lower() == "true":
        write(groups, f"{base}/logs-v2", run["Id"], lines, at)


def run_finished(
    groups: LogGroups,
    run: Mapping[str, Any],
    job: Mapping[str, Any],
    lines: tuple[str, ...],
    at: datetime,
) -> None:
    """A run ended: its lines, if it never ran, and its ErrorMessage to the error group.

    A run scripted to end without RUNNING still prints its lines; one stopped before it ran
    printed nothing. (A run that timed out used its time: it ran, and printed.)
    """
    if run.get("JobRunState") != "STOPPED":
        run_running(groups, run, job, lines, at)
    base = run.get("LogGroupName")
    if base and run.get("ErrorMessage"):
        write(groups, f"{base}/error", run["Id"], [run["ErrorMessage"]], at)


# -- the Logs operations ------------------------------------------------------------------------


def answer(
    operation: str, params: Mapping[str, Any], groups: LogGroups, arn_prefix: str
) -> dict[str, Any]:
    """Answer one of OPERATIONS for a Glue log group; raises LogsError as the service would.

    ``arn_prefix`` is ``arn:<partition>:logs:<region>:<account>:`` for the streams' ARNs.
    """
    if params.get("logGroupName") is not None and params.get("logGroupIdentifier") is not None:
        raise LogsError(
            "InvalidParameterException",
            "LogGroupName and LogGroupIdentifier are mutually exclusive: send one of them.",
        )
    group = str(group_named(params))
    streams = groups.get(group)
    if streams is None:
        raise LogsError("ResourceNotFoundException", "The specified log group does not exist.")
    if operation == "GetLogEvents":
        return _get_log_events(params, streams)
    if operation == "FilterLogEvents":
        return _filter_log_events(params, streams)
    return _describe_log_streams(params, group, streams, arn_prefix)


def _limit(params: Mapping[str, Any], largest: int) -> int:
    limit = params.get("limit")
    if limit is None:
        return largest
    if type(limit) is not int or not 1 <= limit <= largest:
        raise LogsError(
            "InvalidParameterException",
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
            f"constraint: Member must have value between 1 and {largest}",
        )
    return limit


def _window(params: Mapping[str, Any]) -> tuple[int, int | None]:
    start, end = params.get("startTime"), params.get("endTime")
    # startTime is inclusive, endTime exclusive (GetLogEvents / FilterLogEvents reference).
    return (start if type(start) is int else 0), (end if type(end) is int else None)


def _stream(streams: Mapping[str, LogStream], name: object) -> LogStream:
    stream = streams.get(name) if isinstance(name, str) else None
    if stream is None:
        raise LogsError("ResourceNotFoundException", "The specified log stream does not exist.")
    return stream


def _get_log_events(params: Mapping[str, Any], streams: Mapping[str, LogStream]) -> dict[str, Any]:
    stream = _stream(streams, params.get("logStreamName"))
    limit = _limit(params, _MAX_EVENTS)
    start, end = _window(params)
    events = stream.events
    selected = [
        i for i, (time, _, _) in enumerate(events) if time >= start and (end is None or time < end)
    ]
    token = params.get("nextToken")
    if token is not None:
        match = _EVENT_TOKEN.fullmatch(token) if isinstance(token, str) else None
        if match is None or int(match.group(2)) > len(events):
            raise LogsError("InvalidParameterException", "The specified nextToken is invalid.")
        forward, position = match.group(1) == "f", int(match.group(2))
    else:
        forward = params.get("startFromHead") is True
        position = 0 if forward else len(events)
    if forward:
        page = [i for i in selected if i >= position][:limit]
    else:
        page = [i for i in selected if i < position][-limit:]
    # An empty page hands back the position it was asked for: a reader that follows
    # nextForwardToken until it repeats stops at the end of the stream.
    after = page[-1] + 1 if page else position
    before = page[0] if page else position
    return {
        "events": [
            {"timestamp": events[i][0], "message": events[i][2], "ingestionTime": events[i][1]}
            for i in page
        ],
        "nextForwardToken": f"f/{after:056d}/s",
        "nextBackwardToken": f"b/{before:056d}/s",
    }


def _filter_log_events(
    params: Mapping[str, Any], streams: Mapping[str, LogStream]
) -> dict[str, Any]:
    names, prefix = params.get("logStreamNames"), params.get("logStreamNamePrefix")
    if names is not None and prefix is not None:
        raise LogsError(
            "InvalidParameterException",
            "logStreamNames and logStreamNamePrefix are mutually exclusive: send one of them.",
        )
    if names is not None:
        chosen = [_stream(streams, name) for name in dict.fromkeys(names)]
    else:
        chosen = [s for s in streams.values() if s.name.startswith(prefix or "")]
    limit = _limit(params, _MAX_EVENTS)
    start, end = _window(params)
    matches = _pattern(params.get("filterPattern"))
    found = sorted(
        (time, stream.name, i, ingested, message)
        for stream in chosen
        for i, (time, ingested, message) in enumerate(stream.events)
        if time >= start and (end is None or time < end) and matches(message)
    )
    token = params.get("nextToken")
    if token is not None:
        # The token's direction wins over startFromHead (FilterLogEvents reference).
        newest_first, after = _filter_position(token)
    else:
        newest_first, after = _newest_first(params, start), None
    if newest_first:
        found.reverse()
    if after is not None:
        found = [e for e in found if (e[:3] < after if newest_first else e[:3] > after)]
    page = found[:limit]
    answer: dict[str, Any] = {
        "events": [
            {
                "logStreamName": name,
                "timestamp": time,
                "message": message,
                "ingestionTime": ingested,
                "eventId": f"{time:020d}{i:036d}",
            }
            for time, name, i, ingested, message in page
        ],
        # "As of May 15, 2020, this parameter is no longer supported. This parameter returns an
        # empty list." (FilterLogEvents reference.)
        "searchedLogStreams": [],
    }
    # A page with events ends with a token that resumes after them, even when nothing follows
    # yet: a reader that keeps its last token sees only what the run writes later. A page with
    # no events has no token. (Airflow's GlueJobHook.print_job_logs relies on both: "if the
    # response is empty there is no nextToken in it".)
    if page:
        time, name, i = page[-1][:3]
        kind = _NEWEST_FIRST if newest_first else "filter"
        answer["nextToken"] = _encode(f"{kind}/{json.dumps([time, name, i])}")
    return answer


def _newest_first(params: Mapping[str, Any], start: int) -> bool:
    """Whether a first FilterLogEvents request asks for the newest events first."""
    if params.get("startFromHead") is not False:
        return False
    if "startTime" in params and start < _NEWEST_FIRST_SINCE:
        raise LogsError(
            "InvalidParameterException",
            "startFromHead=false is supported only with a startTime on or after "
            "Jan 1, 2024 00:00:00 UTC (1704067200000).",
        )
    return True


def _describe_log_streams(
    params: Mapping[str, Any], group: str, streams: Mapping[str, LogStream], arn_prefix: str
) -> dict[str, Any]:
    prefix = params.get("logStreamNamePrefix")
    order = params.get("orderBy") or "LogStreamName"
    if order not in ("LogStreamName", "LastEventTime"):
        raise LogsError(
            "InvalidParameterException",
            f"1 validation error detected: Value '{order}' at 'orderBy' failed to satisfy "
            "constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]",
        )
    if order == "LastEventTime" and prefix is not None:
        raise LogsError(
            "InvalidParameterException",
            "Cannot order by LastEventTime with a logStreamNamePrefix.",
        )
    limit = _limit(params, _MAX_STREAMS)
    chosen = [s for s in streams.values() if s.name.startswith(prefix or "")]
    if order == "LogStreamName":
        chosen.sort(key=lambda s: s.name)
    else:
        chosen.sort(key=lambda s: (s.events[-1][0] if s.events else s.created, s.name))
    if params.get("descending") is True:
        chosen.reverse()
    offset = _offset(params.get("nextToken"), "streams")
    page = chosen[offset : offset + limit]
    answer: dict[str, Any] = {"logStreams": [_describe(s, group, arn_prefix) for s in page]}
    if offset + limit < len(chosen):
        answer["nextToken"] = _encode(f"streams/{offset + limit}")
    return answer


def _describe(stream: LogStream, group: str, arn_prefix: str) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "logStreamName": stream.name,
        "creationTime": stream.created,
        "arn": f"{arn_prefix}log-group:{group}:log-stream:{stream.name}",
        "storedBytes": 0,  # deprecated by the service, which answers 0
    }
    if stream.events:
        shown["firstEventTimestamp"] = stream.events[0][0]
        shown["lastEventTimestamp"] = stream.events[-1][0]
        shown["lastIngestionTime"] = stream.events[-1][1]
    return shown


def _encode(token: str) -> str:
    return base64.b64encode(token.encode()).decode()


def _filter_position(token: object) -> tuple[bool, tuple[int, str, int]]:
    """Whether a FilterLogEvents token reads newest first, and (timestamp, stream, index) of the
    last event it was given after."""
    try:
        kind, _, position = base64.b64decode(str(token), validate=True).decode().partition("/")
        time, name, i = json.loads(position)
        if (
            kind in ("filter", _NEWEST_FIRST)
            and type(time) is int
            and isinstance(name, str)
            and type(i) is int
        ):
            return kind == _NEWEST_FIRST, (time, name, i)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        pass
    raise LogsError("InvalidParameterException", "The specified nextToken is invalid.")


def _offset(token: object, kind: str) -> int:
    if token is None:
        return 0
    try:
        found, _, offset = base64.b64decode(str(token), validate=True).decode().partition("/")
        if found == kind and offset.isdigit():
            return int(offset)
    except (binascii.Error, UnicodeDecodeError):
        pass
    raise LogsError("InvalidParameterException", "The specified nextToken is invalid.")


def _pattern(pattern: object) -> Any:
    """A matcher for a filter pattern of terms (all must occur); other syntaxes are refused."""
    if pattern is None or not str(pattern).strip():
        return lambda message: True
    text = str(pattern).strip()
    if text[0] in "{[" or any(term.startswith(("?", "-", "%")) for term in text.split()):
        raise LogsError(
            "InvalidParameterException",
            f"pytest-gluejobs matches filter patterns made of terms and quoted phrases only "
            f"(every one must occur); got {text[:100]!r}. Leave filterPattern out and filter "
            "the events in the test.",
        )
    terms = [quoted or bare for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', text)]
    return lambda message: all(term in message for term in terms)


def scripted_lines(logs: object) -> tuple[str, ...]:
    """``run_states(logs=...)`` as lines; TypeError naming what is wrong."""
    if logs is None:
        return ()
    if isinstance(logs, (str, bytes)) or not isinstance(logs, Iterable):
        raise TypeError(f"run_states: logs must be a list of lines (str), got {logs!r}.")
    lines = tuple(logs)
    for line in lines:
        if not isinstance(line, str):
            raise TypeError(f"run_states: every line in logs must be a str, got {line!r}.")
    return lines
