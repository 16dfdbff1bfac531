"""aiobotocore's transport, patched as botocore's is: async Glue requests go to the same fake.

aiobotocore's ``AioEndpoint`` has its own ``async def _send`` and sleeps between retries with
``asyncio.sleep`` (2.x, inside ``_needs_retry``) or its ``_sleep`` method (3.x; the anyio endpoint
has its own). While patches are installed, ``_send`` is wrapped (wrapt) to ask the same
interceptor as the sync transport, and the back-off is recorded instead of slept. Nothing happens
until aiobotocore is imported; ``install`` is called again when it is (a post-import hook).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from typing import Any

import wrapt
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from . import interceptor as _interceptor
from . import logs_transport as _logs

#: (owner, attribute, original value) of every patch in place, to be put back in reverse order.
_patched: list[tuple[Any, str, Any]] = []


class _AsyncBody:
    """The raw response aiobotocore reads: ``await raw.read()``, and (2.x, aiohttp's) headers."""

    def __init__(self, body: bytes, headers: Mapping[str, str]) -> None:
        self._body = body
        self.raw_headers = tuple((k.encode(), v.encode()) for k, v in headers.items())

    async def read(self, *args: Any) -> bytes:
        return self._body


def _async_response(
    request: AWSPreparedRequest,
    status: int,
    body: bytes,
    headers: Mapping[str, str] | None = None,
) -> AWSResponse:
    from aiobotocore.awsrequest import AioAWSResponse

    if headers is None:
        headers = _interceptor.response_headers(body)
    response: AWSResponse = AioAWSResponse(request.url, status, headers, _AsyncBody(body, headers))
    return response


async def _send(wrapped: Any, endpoint: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    prefix = getattr(endpoint, "_endpoint_prefix", None)
    if prefix != "glue":
        if prefix == "logs":  # reads of Glue's own log groups are the fake's
            request = args[0] if args else kwargs["request"]
            logs = _logs.answer(endpoint, request, _async_response)
            if logs is not None:
                return logs
        _interceptor.passed_through()
        return await wrapped(*args, **kwargs)
    request = args[0] if args else kwargs["request"]
    response = _interceptor.answer(endpoint, request, _async_response)
    return await wrapped(*args, **kwargs) if response is None else response


class _AsyncRetrySleep:
    """Stands in for the ``asyncio`` module inside aiobotocore.endpoint (2.x sleeps with it)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(seconds: float, *args: Any) -> None:
        if _interceptor.take_retry_delay(seconds):
            await asyncio.sleep(seconds, *args)


def _recording_sleep(original: Any) -> Any:
    async def _sleep(endpoint: Any, seconds: float) -> None:
        if _interceptor.take_retry_delay(seconds):
            await original(endpoint, seconds)

    return _sleep


def _patch(owner: Any, attribute: str, value: Any) -> None:
    _patched.append((owner, attribute, owner.__dict__[attribute]))
    setattr(owner, attribute, value)


def install() -> None:
    """Patch aiobotocore's endpoint if it is imported and not patched yet.

    Patched or not is read from the class itself: the module imported now may be a new one (a
    module dropped from ``sys.modules`` and imported again), not the one patched before.
    """
    module = sys.modules.get("aiobotocore.endpoint")
    endpoint_class = getattr(module, "AioEndpoint", None)
    if endpoint_class is None or isinstance(
        endpoint_class.__dict__["_send"], wrapt.FunctionWrapper
    ):
        return
    _patch(endpoint_class, "_send", wrapt.FunctionWrapper(endpoint_class.__dict__["_send"], _send))
    sleepers = [
        cls
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, endpoint_class) and "_sleep" in cls.__dict__
    ]
    if sleepers:  # 3.x: every endpoint class that sleeps its own way
        for cls in sleepers:
            _patch(cls, "_sleep", _recording_sleep(cls.__dict__["_sleep"]))
    else:  # 2.x: _needs_retry calls asyncio.sleep from the module
        _patch(module, "asyncio", _AsyncRetrySleep())


def uninstall() -> None:
    while _patched:
        owner, attribute, original = _patched.pop()
        setattr(owner, attribute, original)


def is_installed() -> bool:
    return bool(_patched)
