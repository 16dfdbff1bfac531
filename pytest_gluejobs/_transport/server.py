"""Glue over loopback HTTP: the same fake answers the test's child processes and other SDKs.

Each active fake gets a listening socket of its own on 127.0.0.1 (a port the system picks, or a
given one), opened when the fake starts and closed when it stops: a child still running then
gets "connection refused", never an answer from a stopped fake's store and never AWS. One
thread per process accepts connections for every such socket (started with the first); each
connection is served by a thread of its own, at most ``MAX_CONNECTIONS`` at a time. A request is
read within the bounds of ``http_wire``, its SigV4 signature is checked (``signature_check``)
against the credentials the fake hands out, and it is then answered through the interceptor
exactly as an in-process request is: decoded, fault rules, service core, call log.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import selectors
import socket
import sys
import threading
import traceback
from typing import Any
from xml.sax.saxutils import escape

from botocore.awsrequest import AWSPreparedRequest
from botocore.loaders import create_loader

from .._core.store import to_json
from . import forked as _forked
from . import http_wire, signature_check
from . import interceptor as _interceptor
from .errors import NOTHING_SENT, UnsupportedOperation
from .signing import secret_for

#: The loopback address every endpoint listens on (forked children send there too).
HOST = _forked.HOST
MAX_CONNECTIONS = 128
_CONTENT_TYPE = "application/x-amz-json-1.1"
_TARGET_PREFIX = "AWSGlue."
_SERVICE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_SCOPE = re.compile(r"Credential=[^/,\s]{0,128}/[^/,\s]{0,16}/[^/,\s]{0,64}/([^/,\s]{1,64})/")
_BUSY = http_wire.response(
    503,
    {"Content-Type": _CONTENT_TYPE, "Content-Length": "0"},
    b"",
    close=True,
)


class LoopbackEndpoint:
    """One fake's loopback address: answers its Glue requests over HTTP until ``close``."""

    def __init__(self, interceptor: _interceptor.Interceptor, port: int = 0) -> None:
        self._interceptor = interceptor
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        #: Why no port could be opened (e.g. pytest-socket forbids sockets), else None.
        self.unavailable: str | None = None
        try:
            self._socket = _listening_socket(port)
        except (OSError, RuntimeError) as error:
            if port:
                raise
            # Children are still kept from AWS: port 1 (tcpmux) is all but never served, so a
            # connection there is refused at once, on this machine.
            self.unavailable = f"{type(error).__name__}: {error}"
            self.port = 1
            self._closed = True
        else:
            self.port = self._socket.getsockname()[1]
            self._closed = False
            _acceptor.add(self)
        self.url = f"http://{HOST}:{self.port}"
        #: Names this endpoint to a process forked from this one (see ``forked``).
        self._token = secrets.token_hex(16)
        interceptor.loopback = _forked.Loopback(self.port, self.unavailable, self._token)
        #: Read by the interceptor for the region of a request that names none (none gets here).
        self.host = self.url

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the port and every connection; waits for a request being answered. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            connections, self._connections = self._connections, set()
        _acceptor.remove(self)
        self._socket.close()
        for connection in connections:
            with contextlib.suppress(OSError):  # its thread's read ends, and it closes it
                connection.shutdown(socket.SHUT_RDWR)

    def _forget_after_fork(self) -> None:
        # In a forked child: let go of the parent's sockets without touching them.
        self._closed = True
        self._socket.close()
        for connection in self._connections:
            connection.close()
        self._connections = set()

    # -- connections -------------------------------------------------------------------------

    def _accept(self) -> None:
        try:
            connection, _ = self._socket.accept()
        except OSError:  # nothing waiting after all, or the port was just closed
            return
        if not _slots.acquire(blocking=False):
            try:
                connection.setblocking(False)
                connection.send(_BUSY)
            except OSError:
                pass
            connection.close()
            return
        try:
            threading.Thread(
                target=self._serve, args=(connection,), name="pytest-gluejobs endpoint", daemon=True
            ).start()
        except RuntimeError:  # no thread to be had: the client sees the connection close
            _slots.release()
            connection.close()

    def _serve(self, sock: socket.socket) -> None:
        try:
            with self._lock:
                if self._closed:
                    return
                self._connections.add(sock)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            wire = http_wire.Connection(sock)
            while True:
                try:
                    request = wire.read_request()
                except http_wire.BadRequest as bad:
                    wire.send(_error(bad.status, bad.code, bad.message, close=True))
                    return
                if request is None:
                    return
                try:
                    answer = self._answer(request)
                except Exception as error:  # a bug of the endpoint: shown to the child, logged
                    traceback.print_exc(file=sys.stderr)
                    answer = _error(
                        500,
                        "InternalFailure",
                        f"pytest-gluejobs failed to answer this request: {error!r}",
                        close=True,
                    )
                    request.keep_alive = False
                if answer is None:  # the fake stopped meanwhile, or it is not this one's
                    return
                if request.method == "HEAD":
                    # An answer to HEAD is its head alone: a kept-alive client reads the next
                    # answer right after it (https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2).
                    answer = answer[: answer.index(b"\r\n\r\n") + 4]
                wire.send(answer)
                if not request.keep_alive:
                    return
        except OSError:  # the client went away, or the fake stopped and shut the connection
            pass
        finally:
            with self._lock:
                self._connections.discard(sock)
            sock.close()
            _slots.release()

    # -- answering ---------------------------------------------------------------------------

    def _answer(self, request: http_wire.Request) -> bytes | None:
        forked_for = request.header(_forked.ENDPOINT_HEADER)
        if forked_for is not None and forked_for != self._token:
            # A forked process whose fake stopped, and a later fake got its port: as for any
            # child of a stopped fake, the connection is closed unanswered.
            return None
        close = not request.keep_alive
        target = request.header("x-amz-target")
        content_type = (request.header("content-type") or "").partition(";")[0].strip()
        # A refusal is in Glue's JSON, unless the client signed for another service and does not
        # speak JSON (S3, STS, ...): then in AWS's XML, so that its SDK shows the message.
        signed_for = _signed_service(request)
        xml = (
            target is None
            and not content_type.lower().startswith("application/x-amz-json")
            and signed_for not in (None, "glue")
            and not _speaks_rest_json(signed_for)
        )

        def refuse(status: int, code: str, message: str) -> bytes:
            return _error(status, code, message, close=close, xml=xml)

        if not request.target.startswith("/"):
            return refuse(
                400,
                "UnknownOperationException",
                f"AWS Glue's API takes requests for '/', not {request.target[:100]!r}.",
            )
        refused = signature_check.check(
            request.method, self.url + request.target, request.headers, request.body, secret_for
        )
        if refused is not None:
            return refuse(refused.status, refused.code, refused.message)
        if request.method != "POST":
            return refuse(
                405,
                "UnknownOperationException",
                "AWS Glue's API takes POST requests with 'X-Amz-Target: AWSGlue.<Operation>'; "
                f"this was a {request.method[:20]} request.",
            )
        if target is not None and not target.startswith(_TARGET_PREFIX):
            return refuse(
                400,
                "UnknownOperationException",
                f"This endpoint answers AWS Glue only ('X-Amz-Target: AWSGlue.<Operation>'); "
                f"this request was for {target[:100]!r}, another service's operation: point "
                "that client at its own endpoint.",
            )
        if content_type.lower() != _CONTENT_TYPE:
            return refuse(
                400,
                "UnknownOperationException",
                f"Glue requests are sent as 'Content-Type: {_CONTENT_TYPE}' (AWS JSON 1.1); "
                f"this one was {content_type[:100]!r}.",
            )
        headers: dict[str, Any] = {"Authorization": request.header("authorization")}
        if target is not None:
            headers["X-Amz-Target"] = target
        prepared = AWSPreparedRequest("POST", self.url + "/", headers, request.body, False)
        with self._lock:
            if self._closed:
                return None
            try:
                answered = _interceptor.answer_with(
                    self._interceptor, self, prepared, _interceptor.sync_response
                )
            except UnsupportedOperation as unsupported:
                message = str(unsupported).removesuffix(f" {NOTHING_SENT}")
                return _error(400, "UnsupportedOperation", message, close=close)
        return http_wire.response(
            answered.status_code, dict(answered.headers), answered.content, close=close
        )


def _signed_service(request: http_wire.Request) -> str | None:
    """The service a SigV4 Authorization header's credential scope names, if it names one."""
    scope = _SCOPE.search(request.header("authorization") or "", 0, 1024)
    return scope.group(1) if scope else None


@functools.lru_cache(maxsize=64)
def _speaks_rest_json(service: str) -> bool:
    """Whether botocore models ``service`` (a signing name) as REST-JSON (Lambda, API Gateway,
    EKS, ...): requests with no JSON content type whose SDK still reads errors as JSON."""
    if not _SERVICE_NAME.fullmatch(service):
        return False
    try:
        model = _loader().load_service_model(service, "service-2")
    except Exception:  # not a service botocore knows by that name
        return False
    return bool(model.get("metadata", {}).get("protocol") == "rest-json")


@functools.cache
def _loader() -> Any:
    return create_loader()


def _listening_socket(port: int) -> socket.socket:
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listening.bind((HOST, port))
        listening.listen(MAX_CONNECTIONS)
        listening.setblocking(False)
    except BaseException:
        listening.close()
        raise
    return listening


def _error(status: int, code: str, message: str, *, close: bool, xml: bool = False) -> bytes:
    if not xml:
        body = to_json({"__type": code, "message": message})
        return http_wire.response(status, _interceptor.response_headers(body), body, close=close)
    headers = _interceptor.response_headers(b"")
    body = (
        "<ErrorResponse><Error><Type>Sender</Type>"
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{headers['x-amzn-RequestId']}</RequestId></ErrorResponse>"
    ).encode()
    headers.update({"Content-Type": "text/xml", "Content-Length": str(len(body))})
    return http_wire.response(status, headers, body, close=close)


class _Acceptor:
    """The one thread of the process that accepts connections for every open endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._selector: selectors.BaseSelector | None = None
        self._endpoints: set[LoopbackEndpoint] = set()
        # epoll and kqueue see a socket registered while the thread waits; others need polling.
        self._poll: float | None = None

    def add(self, endpoint: LoopbackEndpoint) -> None:
        with self._lock:
            if self._selector is None:
                self._selector = selectors.DefaultSelector()
                immediate = ("EpollSelector", "KqueueSelector", "DevpollSelector")
                self._poll = None if type(self._selector).__name__ in immediate else 0.05
                threading.Thread(
                    target=self._run,
                    args=(self._selector,),
                    name="pytest-gluejobs endpoint acceptor",
                    daemon=True,
                ).start()
            self._selector.register(endpoint._socket, selectors.EVENT_READ, endpoint)
            self._endpoints.add(endpoint)

    def remove(self, endpoint: LoopbackEndpoint) -> None:
        with self._lock:
            self._endpoints.discard(endpoint)
            if self._selector is not None:
                with contextlib.suppress(KeyError, ValueError):
                    self._selector.unregister(endpoint._socket)

    def _run(self, selector: selectors.BaseSelector) -> None:
        idle = threading.Event()
        while self._selector is selector:
            if not selector.get_map() and self._poll is not None:
                idle.wait(self._poll)  # select() on no socket at all fails on Windows
                continue
            try:
                ready = selector.select(self._poll)
            except OSError:  # select() on a socket just closed (where select() is polled)
                continue
            for key, _ in ready:
                try:
                    key.data._accept()
                except Exception:  # a bug: logged, and every other port keeps being served
                    traceback.print_exc(file=sys.stderr)

    def after_fork_in_child(self) -> None:
        # The thread did not survive the fork, and the sockets are the parent's.
        for endpoint in self._endpoints:
            endpoint._forget_after_fork()
        self._endpoints = set()
        if self._selector is not None:
            self._selector.close()
        self._selector = None
        self._lock = threading.Lock()


_acceptor = _Acceptor()
_slots = threading.BoundedSemaphore(MAX_CONNECTIONS)


def _after_fork_in_child() -> None:
    global _slots
    _acceptor.after_fork_in_child()
    _slots = threading.BoundedSemaphore(MAX_CONNECTIONS)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
