"""botocore's transport, patched: requests from Glue endpoints go to the fake, not the network.

``botocore.endpoint.Endpoint._send`` is wrapped (wrapt) while patches are installed; the ``time``
module botocore.endpoint sleeps with between retries is replaced by one whose ``sleep`` records
the back-off on the fake's Call instead of sleeping (unless real sleeping was asked for).
"""

from __future__ import annotations

import time
from typing import Any

import botocore.endpoint
import wrapt

from . import interceptor as _interceptor
from . import logs_transport as _logs

_original_send: Any = None


def _send(wrapped: Any, endpoint: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    prefix = getattr(endpoint, "_endpoint_prefix", None)
    if prefix != "glue":
        if prefix == "logs":  # reads of Glue's own log groups are the fake's
            request = args[0] if args else kwargs["request"]
            logs = _logs.answer(endpoint, request, _interceptor.sync_response)
            if logs is not None:
                return logs
        _interceptor.passed_through()
        return wrapped(*args, **kwargs)
    request = args[0] if args else kwargs["request"]
    response = _interceptor.answer(endpoint, request, _interceptor.sync_response)
    return wrapped(*args, **kwargs) if response is None else response


class _RetrySleep:
    """Stands in for the ``time`` module inside botocore.endpoint, which sleeps between retries."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        if _interceptor.take_retry_delay(seconds):
            time.sleep(seconds)


def install() -> None:
    global _original_send
    if _original_send is None:
        _original_send = botocore.endpoint.Endpoint.__dict__["_send"]
        botocore.endpoint.Endpoint._send = wrapt.FunctionWrapper(_original_send, _send)
        botocore.endpoint.time = _RetrySleep()


def uninstall() -> None:
    global _original_send
    if _original_send is not None:
        botocore.endpoint.Endpoint._send = _original_send
        botocore.endpoint.time = time
        _original_send = None


def is_installed() -> bool:
    return isinstance(botocore.endpoint.Endpoint.__dict__["_send"], wrapt.FunctionWrapper)
