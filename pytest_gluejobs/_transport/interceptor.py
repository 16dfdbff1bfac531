"""The fake's side of the transport: a Glue request in, Glue's answer out.

The transports (``botocore_transport`` for botocore, ``aiobotocore_transport`` for aiobotocore)
hand every request from a Glue endpoint to ``answer``. It is decoded (JSON 1.1:
``X-Amz-Target: AWSGlue.<Operation>``), answered by the active fake's fault rules or service core,
recorded, and returned as a real response object, so botocore parses it, raises its modelled
exceptions and runs its retry logic as it would against Glue. Which fake answers is the
registry's to say (``registry.current``); in a process forked from the one whose fake it is, the
request is sent to that fake's loopback endpoint instead (``forked``). The back-off botocore
computes after a refused attempt is handed to ``take_retry_delay``, which records it on that
attempt's Call.
"""

from __future__ import annotations

import contextvars
import functools
import io
import itertools
import re
import sys
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from .._core.errors import GlueError, OutsideTheFake
from .._core.faults import FaultRules
from .._core.jsondata import as_bytes, decode_body, undecodable
from .._core.model import OPERATIONS, glue_operation_names
from .._core.partitions import Partition
from .._core.service import GlueJobsService
from .._core.store import to_json
from . import forked as _forked
from . import guard as _guard
from . import outliving as _outliving
from . import registry as _registry
from .calls import Call, CallLog
from .errors import NOTHING_SENT as _NOTHING_SENT
from .errors import UnsupportedOperation

T = TypeVar("T")

_TARGET_PREFIX = "AWSGlue."
# Bounded parts, searched in a bounded prefix: an unbounded `[^/,\s]*` after each of many
# "Credential=" makes a hostile header cost quadratic time.
_CREDENTIAL_SCOPE = re.compile(r"Credential=([^/,\s]{0,128})/\d{8}/([^/,\s]{1,64})/")
#: A SigV4 header names its scope within its first few hundred characters.
_SCOPE_SEARCHED = 1024
_HOST_REGION = re.compile(r"glue(?:-fips)?\.([a-z0-9-]+)\.amazonaws")
_ACCOUNT_ID = re.compile(r"\d{12}")


class _Body(io.BytesIO):
    """The raw stream botocore reads a response body from."""

    def stream(self, **kwargs: Any) -> tuple[bytes]:
        return (self.getvalue(),)


class ResponseBuilder(Protocol):
    """Builds the transport's response object from (request, HTTP status, body[, headers])."""

    def __call__(
        self,
        request: AWSPreparedRequest,
        status: int,
        body: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> AWSResponse: ...


class Interceptor:
    """Answers one fake's Glue requests: fault rules first, then the service core."""

    def __init__(
        self,
        service: GlueJobsService,
        faults: FaultRules,
        calls: CallLog,
        *,
        default_partition: Partition,
        real_retry_sleep: bool = False,
    ) -> None:
        self.service = service
        self.faults = faults
        self.calls = calls
        self.default_partition = default_partition
        self.real_retry_sleep = real_retry_sleep
        #: Where this fake's loopback endpoint listens (set by the endpoint when it opens).
        self.loopback: _forked.Loopback | None = None

    def respond(
        self, endpoint: Any, request: AWSPreparedRequest, build: ResponseBuilder
    ) -> AWSResponse:
        # The answer must not depend on how deep the caller's stack is: a caller near the
        # recursion limit is answered on a new thread's stack, the same room for every caller.
        if _stack_is_deep():
            return _on_a_new_stack(self._respond, endpoint, request, build, True)
        return self._respond(endpoint, request, build, False)

    def _respond(
        self, endpoint: Any, request: AWSPreparedRequest, build: ResponseBuilder, new_stack: bool
    ) -> AWSResponse:
        operation = _operation(request)
        partition = self._partition(endpoint, request)
        body = request.body
        if type(body) is not bytes:
            body = as_bytes(body)  # what botocore would send for a bytearray or a file
        try:
            params: Any = decode_body(body)
        except GlueError as undecodable_body:
            return self._refuse(build, request, operation, None, partition, undecodable_body, False)
        except RecursionError:
            if new_stack:  # too deep for a fresh stack: too deep for the fake to follow at all
                return self._refuse(
                    build, request, operation, None, partition, undecodable(), False
                )
            # Nothing has happened yet: the whole request again, with a fresh stack's room.
            return _on_a_new_stack(self._respond, endpoint, request, build, True)
        injected = self.faults.check(operation, params)
        if injected is not None:
            return self._refuse(build, request, operation, body, partition, injected, True)
        try:
            # The service takes ``params`` over; the Call decodes its own from the body.
            result = self.service.handle(operation, params, partition)
        except GlueError as refused:
            return self._refuse(build, request, operation, body, partition, refused, False)
        except OutsideTheFake as outside:
            _last_call.set(None)
            raise UnsupportedOperation(f"{outside} {_NOTHING_SENT}") from None
        answer = result.body()
        account_id, region = partition
        self.calls.answered(operation, body, region, account_id, answer)
        _last_call.set(None)  # only an error is retried: a later sleep is not this call's
        return build(request, 200, answer)

    def _refuse(
        self,
        build: ResponseBuilder,
        request: AWSPreparedRequest,
        operation: str,
        request_body: object,
        partition: Partition,
        error: GlueError,
        injected: bool,
    ) -> AWSResponse:
        answer = to_json({"__type": error.code, "message": error.message})
        account_id, region = partition
        call = Call(
            operation, request_body, region, account_id, error.status, answer, error.code, injected
        )
        self.calls.append(call)
        _last_call.set(call)  # botocore's back-off before retrying this attempt goes on it
        return build(request, error.status, answer)

    def partition(self, endpoint: Any, request: AWSPreparedRequest) -> Partition:
        """The (account, region) a request is for, as its signature names them."""
        return self._partition(endpoint, request)

    def _partition(self, endpoint: Any, request: AWSPreparedRequest) -> Partition:
        account, region = self.default_partition
        auth = request.headers.get("Authorization")
        scope = None
        if type(auth) is bytes:
            # The credential scope comes before the first comma and seldom changes; the signature
            # at the end changes with every request. So the first part is parsed once per value.
            comma = auth.find(b",")
            scope = _cached_scope(auth[: comma if 0 < comma < _SCOPE_SEARCHED else _SCOPE_SEARCHED])
        elif auth:
            scope = _credential_scope(str(auth))
        if scope is not None:
            return scope[0] or account, scope[1]
        host = _HOST_REGION.search(endpoint.host)
        if host is not None:
            region = host.group(1)
        return account, region


#: Frames the fake may use below ``respond`` once the body is decoded, with a margin: validation
#: follows at most MAX_DEPTH levels, and a message shows a value's first 200 characters, at most
#: 201 levels deep (Python 3.12 and later decode far deeper bodies than that on any stack). A
#: caller nearer the recursion limit is answered on a new stack; only decoding can need more.
_FRAMES_AFTER_DECODING = 400


def _stack_is_deep() -> bool:
    try:
        sys._getframe(sys.getrecursionlimit() - _FRAMES_AFTER_DECODING)
    except ValueError:  # the stack is not that deep
        return False
    return True


def _on_a_new_stack(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` on a new thread, in a copy of this context; its ``_last_call`` kept."""
    context = contextvars.copy_context()
    outcome: list[T | BaseException] = []

    def run() -> None:
        try:
            outcome.append(context.run(work, *args))
        except BaseException as error:  # handed back to the caller's thread, raised there
            outcome.append(error)

    thread = threading.Thread(target=run, name="pytest-gluejobs deep caller")
    thread.start()
    thread.join()
    _last_call.set(context.get(_last_call))
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def response_headers(body: bytes) -> dict[str, str]:
    """The headers of an answer with ``body``."""
    return {
        # A UUID-shaped id unique in this process (uuid4 would read os.urandom every time).
        "x-amzn-RequestId": f"{_REQUEST_ID_PREFIX}{next(_request_numbers):012x}",
        "Content-Type": "application/x-amz-json-1.1",
        "Content-Length": str(len(body)),
    }


def sync_response(
    request: AWSPreparedRequest,
    status: int,
    body: bytes,
    headers: Mapping[str, str] | None = None,
) -> AWSResponse:
    """The answer as botocore's synchronous transport returns it (``headers``: the endpoint's)."""
    return AWSResponse(
        request.url, status, response_headers(body) if headers is None else headers, _Body(body)
    )


def _credential_scope(auth: str) -> tuple[str | None, str] | None:
    """(account id or None, region) from a SigV4 Authorization header, or None."""
    scope = _CREDENTIAL_SCOPE.search(auth, 0, _SCOPE_SEARCHED)
    if scope is None:
        return None
    account = scope.group(1) if _ACCOUNT_ID.fullmatch(scope.group(1)) else None
    return account, scope.group(2)


@functools.lru_cache(maxsize=64)
def _cached_scope(auth: bytes) -> tuple[str | None, str] | None:
    return _credential_scope(auth.decode("utf-8", "replace"))


_PROCESS_ID = uuid.uuid4().hex
_REQUEST_ID_PREFIX = (
    f"{_PROCESS_ID[:8]}-{_PROCESS_ID[8:12]}-4{_PROCESS_ID[13:16]}-8{_PROCESS_ID[17:20]}-"
)
_request_numbers = itertools.count(1)


def _header(request: AWSPreparedRequest, name: str) -> str | None:
    value = request.headers.get(name)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return None if value is None else str(value)


#: The X-Amz-Target values of the operations, as botocore sends them (bytes) and as text.
_OPERATION_OF_TARGET: dict[object, str] = {
    target: operation
    for operation in OPERATIONS
    for target in (_TARGET_PREFIX + operation, (_TARGET_PREFIX + operation).encode())
}


def _operation(request: AWSPreparedRequest) -> str:
    try:
        known = _OPERATION_OF_TARGET.get(request.headers["X-Amz-Target"])
    except (KeyError, TypeError):  # no such header, or an unhashable value
        known = None
    if known is not None:
        return known
    target = _header(request, "X-Amz-Target") or ""
    operation = target[len(_TARGET_PREFIX) :] if target.startswith(_TARGET_PREFIX) else ""
    if operation in OPERATIONS:
        return operation
    if operation in glue_operation_names():
        raise UnsupportedOperation(
            f"pytest-gluejobs fakes these Glue operations: {', '.join(OPERATIONS)}; "
            f"{operation} was called while the fake was active. {_NOTHING_SENT}"
        )
    raise UnknownTarget(target if len(target) <= 200 else target[:200] + "...")


class UnknownTarget(Exception):
    """The request named no Glue operation; answered as Glue's UnknownOperationException."""


# -- the one entry point of the transports -------------------------------------------------------

#: The refused Call whose retry back-off botocore computes next, per thread and per asyncio task.
_last_call: contextvars.ContextVar[Call | None] = contextvars.ContextVar(
    "pytest_gluejobs_last_call", default=None
)


def answer(
    endpoint: Any, request: AWSPreparedRequest, build: ResponseBuilder
) -> AWSResponse | None:
    """The active fake's answer to a request from a Glue endpoint; None lets it go to AWS.

    With no fake active it goes to AWS, unless the guard is on or it comes from a thread or task
    that outlived its fake: then RealGlueBlocked is raised before anything is sent.
    """
    interceptor = _registry.current()
    if interceptor is None:
        _last_call.set(None)
        if _guard.is_on() or _outliving.could_refuse():
            target = _header(request, "X-Amz-Target") or ""
            operation = target.removeprefix(_TARGET_PREFIX)[:100]
            raise _outliving.refusal(f"a Glue {operation} request") or _guard.blocked(operation)
        return None
    if _forked.in_a_forked_child and isinstance(interceptor, Interceptor):
        loopback = _forked.ancestors(interceptor.loopback)
        if loopback is not None:
            return _forwarded(interceptor, loopback, endpoint, request, build)
    return answer_with(interceptor, endpoint, request, build)


def _forwarded(
    interceptor: Interceptor,
    loopback: _forked.Loopback,
    endpoint: Any,
    request: AWSPreparedRequest,
    build: ResponseBuilder,
) -> AWSResponse:
    """The answer of the fake this process was forked with, from its endpoint in its process."""
    try:
        _operation(request)  # an operation the fake does not fake is refused here, as in-process
    except UnknownTarget as unknown:
        return _unknown_operation(unknown, request, build)
    account, region = interceptor.partition(endpoint, request)
    status, headers, answer = _forked.send(loopback, request, (account, region))
    # A refused attempt's back-off is slept only where the fake would sleep it (it is recorded in
    # the fake's call log only in-process: that log is in the other process).
    _last_call.set(
        Call("", None, region, account, status, b"", "", False) if status >= 300 else None
    )
    return build(request, status, answer, headers)


def answer_with(
    interceptor: _registry.Answerer,
    endpoint: Any,
    request: AWSPreparedRequest,
    build: ResponseBuilder,
) -> AWSResponse:
    """``interceptor``'s answer to a Glue request (the loopback endpoint names its fake)."""
    try:
        return interceptor.respond(endpoint, request, build)
    except UnknownTarget as unknown:
        return _unknown_operation(unknown, request, build)


def _unknown_operation(
    unknown: UnknownTarget, request: AWSPreparedRequest, build: ResponseBuilder
) -> AWSResponse:
    error = GlueError(
        "UnknownOperationException",
        f"Unknown operation {str(unknown) or '(no X-Amz-Target header)'}: "
        "Glue requests name an operation as 'X-Amz-Target: AWSGlue.<Operation>'.",
    )
    _last_call.set(None)
    return build(request, 400, to_json({"__type": error.code, "message": error.message}))


def passed_through() -> None:
    """A request went to AWS: a back-off botocore computes next is not for a call of the fake."""
    _last_call.set(None)


def take_retry_delay(seconds: float) -> bool:
    """Record botocore's back-off on the attempt the fake just refused; whether to really sleep.

    A back-off that follows no refused attempt of the fake (a real request's) is slept.
    """
    call = _last_call.get()
    interceptor = _registry.current_or_none()
    if call is None or interceptor is None:
        return True
    call.retry_delay = seconds
    _last_call.set(None)  # one back-off per attempt; a further sleep is someone else's
    return interceptor.real_retry_sleep
