"""The record of every HTTP attempt the fake answered, for assertions on what a test's code sent."""

from __future__ import annotations

import json
import threading
from typing import Any


class Call:
    """One HTTP attempt that reached the fake, answered or failed.

    ``response`` is the decoded body of a successful answer (``None`` on error), decoded on first
    access so that recording stays cheap. ``retry_delay`` is the back-off botocore computed after
    this attempt before retrying it (not slept while the fake is active, unless
    ``real_retry_sleep`` was asked for), or ``None``.
    """

    __slots__ = (
        "_body",
        "_response",
        "account_id",
        "error",
        "injected",
        "operation",
        "params",
        "region",
        "retry_delay",
        "status",
    )

    def __init__(
        self,
        *,
        operation: str,
        params: Any,
        region: str,
        account_id: str,
        status: int,
        body: bytes,
        error: str | None,
        injected: bool,
    ) -> None:
        self.operation = operation
        self.params = params
        self.region = region
        self.account_id = account_id
        self.status = status
        self.error = error
        self.injected = injected
        self.retry_delay: float | None = None
        self._body = body
        self._response: dict[str, Any] | None = None

    @property
    def response(self) -> dict[str, Any] | None:
        if self.error is not None:
            return None
        if self._response is None:
            self._response = json.loads(self._body)
        return self._response

    def __repr__(self) -> str:
        outcome = self.error or "OK"
        extra = ", injected" if self.injected else ""
        return (
            f"Call({self.operation} {self.status} {outcome}{extra}, params={self.params!r}, "
            f"partition={self.account_id}/{self.region})"
        )


class CallLog:
    """Calls in the order they reached the fake; safe to append from many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []

    def append(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
