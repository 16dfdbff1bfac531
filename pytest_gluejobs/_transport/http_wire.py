"""HTTP/1.1 on one loopback connection: requests read within bounds, answers written back.

Only what AWS SDKs send to a JSON 1.1 service is accepted: a request line, at most
``MAX_HEAD_BYTES`` of headers, and a body of ``Content-Length`` bytes (at most
``MAX_BODY_BYTES``; no chunked bodies). A request must arrive whole within ``REQUEST_SECONDS`` of
its first byte, and an idle connection is closed after ``IDLE_SECONDS``. Everything else is a
``BadRequest`` with the HTTP status to answer, after which the connection is closed.
"""

from __future__ import annotations

import re
import socket
import time
from http import HTTPStatus

MAX_HEAD_BYTES = 16 * 1024
MAX_HEADER_LINES = 100
MAX_BODY_BYTES = 10 * 1024 * 1024
REQUEST_SECONDS = 10.0
IDLE_SECONDS = 60.0
_CHUNK = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _real_clock(clock: object = time.monotonic) -> float:
    # Bound as a default: freezegun replaces time.monotonic wherever a module holds it, and a
    # frozen clock must not stretch a slow client's deadline for ever.
    return clock()  # type: ignore[operator,no-any-return]


class BadRequest(Exception):
    """The request cannot be answered as Glue: answer ``status`` with ``code`` and close."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Request:
    """One request as received: headers by lower-case name, each with every value sent."""

    __slots__ = ("body", "headers", "keep_alive", "method", "target")

    def __init__(
        self, method: str, target: str, headers: dict[str, list[str]], body: bytes, keep: bool
    ) -> None:
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.keep_alive = keep

    def header(self, name: str) -> str | None:
        values = self.headers.get(name)
        return values[0] if values else None


class Connection:
    """A client's connection: reads its requests one after the other, writes the answers."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()

    def read_request(self) -> Request | None:
        """The next request, or None once the client closed or stayed idle too long."""
        if not self._buffer:
            self.sock.settimeout(IDLE_SECONDS)
            try:
                chunk = self.sock.recv(_CHUNK)
            except (TimeoutError, OSError):
                return None
            if not chunk:
                return None
            self._buffer += chunk
        deadline = _real_clock() + REQUEST_SECONDS
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end >= 0 or len(self._buffer) > MAX_HEAD_BYTES:
                break
            self._receive(deadline)
        if end < 0 or end > MAX_HEAD_BYTES:
            raise BadRequest(
                431,
                "RequestHeaderFieldsTooLarge",
                f"The request line and headers exceed {MAX_HEAD_BYTES:,} bytes.",
            )
        head = bytes(self._buffer[:end]).lstrip(b"\r\n")
        del self._buffer[: end + 4]
        method, target, version, headers = _parse_head(head)
        length = _content_length(headers)
        expect = headers.get("expect")
        if expect and expect[0].lower() == "100-continue":
            self.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        while len(self._buffer) < length:
            self._receive(deadline)
        body = bytes(self._buffer[:length])
        del self._buffer[:length]
        tokens = {t.strip().lower() for v in headers.get("connection", ()) for t in v.split(",")}
        keep = "close" not in tokens if version == "HTTP/1.1" else "keep-alive" in tokens
        return Request(method, target, headers, body, keep)

    def _receive(self, deadline: float) -> None:
        remaining = deadline - _real_clock()
        if remaining <= 0:
            raise BadRequest(
                408,
                "RequestTimeout",
                f"The request did not arrive whole within {REQUEST_SECONDS:g} seconds.",
            )
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(_CHUNK)
        except TimeoutError:
            chunk = None
        if chunk is None:
            raise BadRequest(
                408,
                "RequestTimeout",
                f"The request did not arrive whole within {REQUEST_SECONDS:g} seconds.",
            )
        if not chunk:
            raise ConnectionResetError("the client closed the connection mid-request")
        self._buffer += chunk

    def send(self, data: bytes) -> None:
        self.sock.settimeout(REQUEST_SECONDS)
        self.sock.sendall(data)


def response(status: int, headers: dict[str, str], body: bytes, *, close: bool) -> bytes:
    """The bytes of an answer."""
    lines = [f"HTTP/1.1 {status} {_reason(status)}"]
    lines.extend(f"{name}: {value}" for name, value in headers.items())
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _parse_head(head: bytes) -> tuple[str, str, str, dict[str, list[str]]]:
    text = head.decode("latin-1")
    lines = text.split("\r\n")
    if len(lines) > MAX_HEADER_LINES + 1:
        raise BadRequest(
            431, "RequestHeaderFieldsTooLarge", f"More than {MAX_HEADER_LINES} header lines."
        )
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[0] or not set(parts[0]) <= _TOKEN or not parts[1]:
        raise BadRequest(400, "BadRequest", f"Not an HTTP request line: {lines[0][:100]!r}.")
    method, target, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise BadRequest(
            505, "HTTPVersionNotSupported", f"Send HTTP/1.1 requests, not {version[:20]!r}."
        )
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        value = value.strip(" \t")
        if not colon or not name or not set(name) <= _TOKEN or _CONTROL.search(value):
            raise BadRequest(400, "BadRequest", f"Not an HTTP header line: {line[:100]!r}.")
        headers.setdefault(name.lower(), []).append(value)
    return method, target, version, headers


def _content_length(headers: dict[str, list[str]]) -> int:
    if "transfer-encoding" in headers:
        raise BadRequest(
            411,
            "LengthRequired",
            "Send the body with a Content-Length header; chunked bodies are not accepted.",
        )
    values = {v.strip() for value in headers.get("content-length", ()) for v in value.split(",")}
    if not values:
        return 0
    if len(values) != 1 or not next(iter(values)).isdigit() or not next(iter(values)).isascii():
        raise BadRequest(400, "BadRequest", "The Content-Length header is not one number.")
    length = int(next(iter(values)))
    if length > MAX_BODY_BYTES:
        raise BadRequest(
            413,
            "RequestEntityTooLarge",
            f"The request body has {length:,} bytes; at most {MAX_BODY_BYTES:,} are accepted.",
        )
    return length
