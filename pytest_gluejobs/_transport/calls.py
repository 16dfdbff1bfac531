"""The record of every HTTP attempt the fake answered, for assertions on what a test's code sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from .._core.jsondata import clone, decode_body

_NOT_DECODED: Any = object()


class Call:
    """One HTTP attempt that reached the fake, answered or failed.

    ``params`` is the request body as sent, decoded (``{}`` if it was not JSON), and ``response``
    the decoded body of a successful answer (``None`` on error); both are decoded on first access,
    so that recording stays cheap and what a test reads shares nothing with what the fake keeps.
    ``retry_delay`` is the back-off botocore computed after this attempt before retrying it (not
    slept while the fake is active, unless ``real_retry_sleep`` was asked for), or ``None``.
    """

    __slots__ = (
        "_body",
        "_params",
        "_request_body",
        "_response",
        "account_id",
        "error",
        "injected",
        "operation",
        "region",
        "retry_delay",
        "status",
    )

    def __init__(
        self,
        operation: str,
        request_body: object,
        region: str,
        account_id: str,
        status: int,
        body: bytes,
        error: str | None,
        injected: bool,
    ) -> None:
        self.operation = operation
        self._request_body = request_body
        self._params = _NOT_DECODED
        self.region = region
        self.account_id = account_id
        self.status = status
        self.error = error
        self.injected = injected
        self.retry_delay: float | None = None
        self._body = body
        self._response: dict[str, Any] | None = None

    @property
    def params(self) -> Any:
        """The request as sent, decoded: a fresh copy on every read."""
        if self._params is _NOT_DECODED:
            self._params = decode_body(self._request_body)
        return clone(self._params)

    @property
    def response(self) -> dict[str, Any] | None:
        """The answer's body, decoded (None for an error): a fresh copy on every read."""
        if self.error is not None:
            return None
        if self._response is None:
            self._response = json.loads(self._body)
        return clone(self._response)

    def __repr__(self) -> str:
        outcome = self.error or "OK"
        extra = ", injected" if self.injected else ""
        return (
            f"Call({self.operation} {self.status} {outcome}{extra}, params={self.params!r}, "
            f"partition={self.account_id}/{self.region})"
        )


#: An answered call as the interceptor records it: (operation, request body, region, account id,
#: response body). It becomes a Call when a test first reads the log.
Answered = tuple[str, object, str, str, bytes]


class CallLog:
    """Calls in the order they reached the fake; safe to append from many threads.

    Every request appends, few tests read: so appending takes no lock (``list.append`` and
    ``dict.setdefault`` are atomic in CPython, also in the free-threaded build), and a successful
    call is appended as a plain ``Answered`` tuple, made into its Call once, by the first read
    that meets it. Its bodies are kept once per distinct value: a test polling a job run makes
    thousands of calls with the same few bodies, which then cost a tuple each (about 100 bytes).
    """

    def __init__(self) -> None:
        self._entries: list[Call | Answered] = []
        self._bodies: dict[bytes, bytes] = {}
        self._reading = threading.Lock()
        #: The list's own method: called for every refused request, so not a Python call.
        self.append: Callable[[Call | Answered], None] = self._entries.append

    def answered(
        self, operation: str, request_body: object, region: str, account_id: str, body: bytes
    ) -> None:
        """Record a successful call."""
        kept = self._bodies.setdefault
        if type(request_body) is bytes:
            request_body = kept(request_body, request_body)
        self._entries.append((operation, request_body, region, account_id, kept(body, body)))

    def snapshot(self) -> list[Call]:
        with self._reading:
            entries = self._entries.copy()
            for index, entry in enumerate(entries):
                if type(entry) is tuple:
                    operation, request_body, region, account_id, body = entry
                    call = Call(operation, request_body, region, account_id, 200, body, None, False)
                    # Later reads get the same Call; appends meanwhile do not move earlier entries.
                    entries[index] = self._entries[index] = call
            return entries  # type: ignore[return-value]  # every entry is a Call now

    def counts(self) -> tuple[int, int]:
        """How many calls, and how many of them failed by an injected fault (none made a Call)."""
        entries = self._entries.copy()
        injected = sum(1 for entry in entries if isinstance(entry, Call) and entry.injected)
        return len(entries), injected

    def clear(self) -> None:
        with self._reading:
            self._entries.clear()
            self._bodies.clear()
