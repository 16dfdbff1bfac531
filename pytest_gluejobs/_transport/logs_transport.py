"""CloudWatch Logs requests that read Glue's own log groups, answered from the fake's run logs.

While a fake is active, a request from a Logs endpoint (JSON 1.1, ``X-Amz-Target:
Logs_20140328.<Operation>``) that reads one of Glue's log groups with GetLogEvents,
FilterLogEvents or DescribeLogStreams is answered here, so an orchestrator streaming a run's
output finds what the test scripted. Every other Logs request (another group, another operation)
goes on untouched: to moto when moto is active, else wherever it was going. With no fake active,
a read of Glue's log groups is refused where a Glue request would be (the guard, ``outliving``).
In a process forked from the test such a read is refused too: the run logs it would read are the
test's, in the test's process, and the loopback endpoint answers Glue's API only; the copy the
fork made is not answered from, as it would miss what the test's runs wrote since.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from .._core import run_logs as _run_logs
from .._core.jsondata import as_bytes
from .._core.store import to_json
from . import forked as _forked
from . import guard as _guard
from . import interceptor as _interceptor
from . import outliving as _outliving
from . import registry as _registry
from .errors import UnsupportedOperation

_TARGET_PREFIX = "Logs_20140328."


def glue_log_read(request: AWSPreparedRequest) -> tuple[str, dict[str, Any]] | None:
    """(operation, params) of a request that reads a Glue log group the fake answers, else None."""
    target = request.headers.get("X-Amz-Target")
    if isinstance(target, bytes):
        target = target.decode("utf-8", "replace")
    if not isinstance(target, str) or not target.startswith(_TARGET_PREFIX):
        return None
    operation = target[len(_TARGET_PREFIX) :]
    if operation not in _run_logs.OPERATIONS:
        return None
    body = as_bytes(request.body)
    if not isinstance(body, (bytes, str)):
        return None
    try:
        params = json.loads(body or b"{}")
    except ValueError:
        return None
    if not isinstance(params, dict):
        return None
    if not _run_logs.is_glue_log_group(_run_logs.group_named(params)):
        return None
    return operation, params


def answer(
    endpoint: Any, request: AWSPreparedRequest, build: _interceptor.ResponseBuilder
) -> AWSResponse | None:
    """The active fake's answer to a read of a Glue log group; None lets the request go on.

    With no fake active, such a read is refused (RealGlueBlocked) where a Glue request would be:
    while the guard is on, and from a thread or task that outlived its fake.
    """
    interceptor = _registry.current()
    if not isinstance(interceptor, _interceptor.Interceptor):
        if interceptor is None and (_guard.is_on() or _outliving.could_refuse()):
            read = glue_log_read(request)
            if read is not None:
                operation, group = read[0], _run_logs.group_named(read[1])
                raise _outliving.refusal(
                    f"a CloudWatch Logs {operation} request for Glue's log group {group!r}"
                ) or _guard.blocked(f"{operation} of log group {group!r}", logs=True)
        return None
    read = glue_log_read(request)
    if read is None:
        return None
    operation, params = read
    if _forked.in_a_forked_child and _forked.ancestors(interceptor.loopback) is not None:
        raise UnsupportedOperation(
            f"pytest-gluejobs cannot answer a CloudWatch Logs {operation} request for Glue's log "
            f"group {_run_logs.group_named(params)!r} in a process forked from the test: the "
            "fake keeps its runs' logs in the test's process, and answers a forked process "
            "over its loopback endpoint, which serves AWS Glue's API only. Nothing was sent to "
            "AWS. Read the run's logs in the test's own process."
        )
    account, region = interceptor.partition(endpoint, request)
    arn_partition = "aws-cn" if region.startswith("cn-") else "aws"
    if region.startswith("us-gov-"):
        arn_partition = "aws-us-gov"
    try:
        with interceptor.service.store.partition((account, region)) as jobs:
            body = to_json(
                _run_logs.answer(
                    operation, params, jobs.logs, f"arn:{arn_partition}:logs:{region}:{account}:"
                )
            )
    except _run_logs.LogsError as error:
        return build(request, 400, to_json({"__type": error.code, "message": error.message}))
    _interceptor.passed_through()
    return build(request, 200, body)


def is_glue_log_read(event_name: object, request: object) -> bool:
    """Whether moto's request hook should leave this request to the fake (see moto_compat)."""
    return (
        isinstance(event_name, str)
        and event_name.startswith("before-send.cloudwatch-logs.")
        and isinstance(request, AWSPreparedRequest)
        and _registry.current_or_none() is not None
        and glue_log_read(request) is not None
    )
