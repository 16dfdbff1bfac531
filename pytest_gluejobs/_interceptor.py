"""The patch on botocore's transport: Glue requests are answered in-process, in Glue's wire format.

``botocore.endpoint.Endpoint._send`` is wrapped (wrapt) while at least one fake is active. A request
from a Glue endpoint is decoded (JSON 1.1: ``X-Amz-Target: AWSGlue.<Operation>``), answered by the
active fake's fault rules or service core, recorded, and returned as a real ``AWSResponse``, so
botocore parses it, raises its modelled exceptions and runs its retry logic as it would against
Glue. Every other request passes through untouched. botocore's back-off between attempts the fake
answered is not slept (it is recorded on the Call) unless real sleeping was asked for.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import threading
import time
import uuid
from typing import Any

import botocore.endpoint
import wrapt
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from . import _moto_compat, _signing
from ._calls import Call, CallLog
from ._errors import GlueError, UnsupportedOperation
from ._faults import FaultRules
from ._jsondata import decode_body
from ._model import OPERATIONS, glue_operation_names
from ._service import GlueJobsService
from ._store import Partition, to_json

_TARGET_PREFIX = "AWSGlue."
_CREDENTIAL_SCOPE = re.compile(r"Credential=([^/,\s]*)/\d{8}/([^/,\s]+)/")
_HOST_REGION = re.compile(r"glue(?:-fips)?\.([a-z0-9-]+)\.amazonaws")
_ACCOUNT_ID = re.compile(r"\d{12}")


class _Body(io.BytesIO):
    """The raw stream botocore reads a response body from."""

    def stream(self, **kwargs: Any) -> tuple[bytes]:
        return (self.getvalue(),)


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

    def respond(
        self, endpoint: botocore.endpoint.Endpoint, request: AWSPreparedRequest
    ) -> AWSResponse:
        operation = _operation(request)
        partition = self._partition(endpoint, request)
        body = request.body
        try:
            params: Any = decode_body(body)
        except GlueError as undecodable:
            return self._refuse(request, operation, None, partition, undecodable, False)
        injected = self.faults.check(operation, params)
        if injected is not None:
            return self._refuse(request, operation, body, partition, injected, True)
        try:
            # The service takes ``params`` over; the Call decodes its own from the body.
            result = self.service.handle(operation, params, partition)
        except GlueError as refused:
            return self._refuse(request, operation, body, partition, refused, False)
        answer = result.body()
        account_id, region = partition
        self.calls.append((operation, body, region, account_id, answer))  # a Call when read
        _last_call.call = None  # only an error is retried: a later sleep is not this call's
        return _response(request, 200, answer)

    def _refuse(
        self,
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
        _last_call.call = call  # botocore's back-off before retrying this attempt goes on it
        return _response(request, error.status, answer)

    def _partition(
        self, endpoint: botocore.endpoint.Endpoint, request: AWSPreparedRequest
    ) -> Partition:
        account, region = self.default_partition
        auth = request.headers.get("Authorization")
        scope = None
        if type(auth) is bytes:
            # The credential scope comes before the first comma and seldom changes; the signature
            # at the end changes with every request. So the first part is parsed once per value.
            comma = auth.find(b",")
            scope = _cached_scope(auth[:comma] if comma > 0 else auth)
        elif auth:
            scope = _credential_scope(str(auth))
        if scope is not None:
            return scope[0] or account, scope[1]
        host = _HOST_REGION.search(endpoint.host)
        if host is not None:
            region = host.group(1)
        return account, region


def _response(request: AWSPreparedRequest, status: int, body: bytes) -> AWSResponse:
    headers = {
        # A UUID-shaped id unique in this process (uuid4 would read os.urandom every time).
        "x-amzn-RequestId": f"{_REQUEST_ID_PREFIX}{next(_request_numbers):012x}",
        "Content-Type": "application/x-amz-json-1.1",
        "Content-Length": str(len(body)),
    }
    return AWSResponse(request.url, status, headers, _Body(body))


def _credential_scope(auth: str) -> tuple[str | None, str] | None:
    """(account id or None, region) from a SigV4 Authorization header, or None."""
    scope = _CREDENTIAL_SCOPE.search(auth)
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
            f"pytest-gluejobs fakes only Glue's job-definition operations "
            f"({', '.join(OPERATIONS)}); {operation} was called while the fake was active. "
            "Nothing was sent to AWS. Mock that call another way (e.g. unittest.mock around your "
            "code's call), or deactivate the fake for it."
        )
    raise UnknownTarget(target)


class UnknownTarget(Exception):
    """The request named no Glue operation; answered as Glue's UnknownOperationException."""


# -- the patch ------------------------------------------------------------------------------------

_last_call = threading.local()
_stack: list[Interceptor] = []
_stack_lock = threading.Lock()
_original_send: Any = None


def _send(wrapped: Any, endpoint: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    try:
        interceptor: Interceptor | None = _stack[-1]
    except IndexError:  # no fake active (or the last one just left, in another thread)
        interceptor = None
    if interceptor is None or getattr(endpoint, "_endpoint_prefix", None) != "glue":
        _last_call.call = None
        return wrapped(*args, **kwargs)
    request = args[0] if args else kwargs["request"]
    try:
        return interceptor.respond(endpoint, request)
    except UnknownTarget as unknown:
        error = GlueError(
            "UnknownOperationException",
            f"Unknown operation {str(unknown) or '(no X-Amz-Target header)'}: "
            "Glue requests name an operation as 'X-Amz-Target: AWSGlue.<Operation>'.",
        )
        _last_call.call = None
        return _response(request, 400, to_json({"__type": error.code, "message": error.message}))


class _RetrySleep:
    """Stands in for the ``time`` module inside botocore.endpoint, which sleeps between retries."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        call: Call | None = getattr(_last_call, "call", None)
        interceptor = next(reversed(_stack), None)
        if call is None or interceptor is None:
            time.sleep(seconds)
            return
        call.retry_delay = seconds
        _last_call.call = None  # one back-off per attempt; a further sleep is someone else's
        if interceptor.real_retry_sleep:
            time.sleep(seconds)


def activate(interceptor: Interceptor) -> None:
    """Make ``interceptor`` answer Glue requests until ``deactivate``; fakes nest as a stack."""
    global _original_send
    with _stack_lock:
        if interceptor in _stack:
            raise RuntimeError(
                "This Glue fake is already active. Activate it once: use the glue_jobs fixture "
                "or one `with mock_glue_jobs()` block, not both for the same fake."
            )
        if not _stack:
            _original_send = botocore.endpoint.Endpoint.__dict__["_send"]
            botocore.endpoint.Endpoint._send = wrapt.FunctionWrapper(_original_send, _send)
            botocore.endpoint.time = _RetrySleep()
            _signing.install()
            _moto_compat.install()
        _stack.append(interceptor)


def deactivate(interceptor: Interceptor) -> None:
    """Undo ``activate``; the last one out removes the patch."""
    global _original_send
    with _stack_lock:
        if interceptor in _stack:
            _stack.remove(interceptor)
        if not _stack and _original_send is not None:
            botocore.endpoint.Endpoint._send = _original_send
            botocore.endpoint.time = time
            _signing.uninstall()
            _moto_compat.uninstall()
            _original_send = None


def is_patched() -> bool:
    """Whether botocore's transport is patched right now (for tests of teardown)."""
    return isinstance(botocore.endpoint.Endpoint.__dict__["_send"], wrapt.FunctionWrapper)


def deactivate_all() -> None:
    """Remove the patch whatever is still active (the end of a test session)."""
    with _stack_lock:
        remaining = list(_stack)
    for interceptor in reversed(remaining):
        deactivate(interceptor)
