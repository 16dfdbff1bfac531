"""In a process forked from the test, Glue requests go to the test's fake over loopback HTTP.

A child made by ``fork`` (``os.fork``, multiprocessing's ``fork`` start method, a ``Pool``)
inherits the in-process patches and a copy of the fake, store included. Answered from that copy,
its writes would never reach the test, and each worker would see only its own. So in such a
child a request the inherited fake would answer is sent to that fake's loopback endpoint, still
open in the process that started it: one store, one call log, the same faults and scripted runs.

The request is sent with ``http.client`` to 127.0.0.1 and the endpoint's port, and nowhere else:
no proxy, no name lookup, none of the client's own HTTP settings. It is signed again for that
address with the credentials the endpoint accepts, for the account and region the in-process
fake would have read from it. A fake the child starts itself has an endpoint of the child's own
and answers the child in-process, as any fake answers its own process.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSPreparedRequest, AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from .._core.jsondata import as_bytes
from .errors import NOTHING_SENT, RealGlueBlocked, UnsupportedOperation
from .signing import TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, names_an_account

#: Where every fake's loopback endpoint listens (``server``) and forked children send.
HOST = "127.0.0.1"
#: botocore's default connect and read timeouts
#: (https://docs.aws.amazon.com/botocore/latest/reference/config.html).
TIMEOUT_SECONDS = 60.0
_CONTENT_TYPE = "application/x-amz-json-1.1"
#: Names the endpoint a forwarded request is for: another endpoint given the port after the fake
#: stopped closes the connection unanswered.
ENDPOINT_HEADER = "x-pytest-gluejobs-endpoint"

#: Whether this process was forked from one that imported pytest-gluejobs.
in_a_forked_child = False
#: Stands for this process; a new one in every forked child.
_this_process = object()


class Loopback:
    """Where a fake's endpoint listens, what names it, and which process opened it."""

    __slots__ = ("port", "process", "token", "unavailable")

    def __init__(self, port: int, unavailable: str | None, token: str) -> None:
        self.port = port
        #: Why no port could be opened (then ``port`` is 1), else None.
        self.unavailable = unavailable
        self.token = token
        self.process = _this_process


def ancestors(loopback: Loopback | None) -> Loopback | None:
    """``loopback`` if a process this one was forked from opened it, else None."""
    if loopback is None or loopback.process is _this_process:
        return None
    return loopback


def send(
    loopback: Loopback, request: AWSPreparedRequest, partition: tuple[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of the answer of the endpoint at ``loopback`` to a Glue request.

    ``partition`` is the (account, region) to sign it for. Raises botocore's
    EndpointConnectionError or ReadTimeoutError as its own transport would (botocore retries
    them), RealGlueBlocked if the endpoint never opened, UnsupportedOperation as the fake does
    in-process for what it does not fake.
    """
    split = urlsplit(request.url)
    path = (split.path or "/") + (f"?{split.query}" if split.query else "")
    url = f"http://{HOST}:{loopback.port}{path}"
    if loopback.unavailable is not None:
        raise RealGlueBlocked(
            "pytest-gluejobs refused a Glue request from a process forked from the test: the "
            "test's fake could not open its loopback endpoint "
            f"({loopback.unavailable}), and a forked process reaches the fake only there. "
            "Nothing was sent to AWS. Allow sockets to 127.0.0.1 in the test (pytest-socket: "
            "`--allow-hosts=127.0.0.1`), or make the request in the test's own process."
        )
    account, region = partition
    headers = {"Content-Type": _CONTENT_TYPE, ENDPOINT_HEADER: loopback.token}
    target = request.headers.get("X-Amz-Target")
    if target is not None:
        headers["X-Amz-Target"] = target.decode() if isinstance(target, bytes) else str(target)
    body = as_bytes(request.body)
    if type(body) is not bytes:  # what the fake would decode in-process (``decode_body``)
        body = b"" if body is None else str(body).encode()
    signed = AWSRequest("POST", url, data=body, headers=headers)
    key = account if names_an_account(account) else TEST_ACCESS_KEY_ID
    SigV4Auth(Credentials(key, TEST_SECRET_ACCESS_KEY), "glue", region).add_auth(signed)
    try:
        status, answer_headers, answer = _exchange(loopback, path, body, dict(signed.headers))
    except TimeoutError as error:
        raise ReadTimeoutError(endpoint_url=url, error=error) from None
    except (OSError, http.client.HTTPException) as error:  # refused or cut off: the fake stopped
        raise EndpointConnectionError(endpoint_url=url, error=error) from None
    if status == 400 and b"UnsupportedOperation" in answer:
        refusal = json.loads(answer)
        if refusal.get("__type") == "UnsupportedOperation":
            # The endpoint's words for what the fake does not fake: raised as it is in-process.
            raise UnsupportedOperation(f"{refusal.get('message')} {NOTHING_SENT}")
    return status, answer_headers, answer


def _exchange(
    loopback: Loopback, path: str, body: bytes, headers: dict[str, str], again: bool = True
) -> tuple[int, dict[str, str], bytes]:
    """One request and its answer over this thread's connection to ``loopback``'s port, kept
    open for the next (a new connection and thread per request would cost the endpoint more)."""
    kept: tuple[Loopback, http.client.HTTPConnection] | None = getattr(_open, "connection", None)
    reused = kept is not None and kept[0] is loopback
    if kept is not None and not reused:
        kept[1].close()
    connection = kept[1] if kept is not None and reused else _new_connection(loopback)
    try:
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        answer = response.read()
    except BaseException as error:
        connection.close()
        _open.connection = None
        if reused and again and isinstance(error, (ConnectionError, http.client.BadStatusLine)):
            # The endpoint closed the kept connection while it was idle: nothing was answered.
            return _exchange(loopback, path, body, headers, again=False)
        raise
    # How the connection is kept is this module's business, not the client's.
    kept_headers = {k: v for k, v in response.getheaders() if k.lower() != "connection"}
    return response.status, kept_headers, answer


def _new_connection(loopback: Loopback) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection(HOST, loopback.port, timeout=TIMEOUT_SECONDS)
    _open.connection = (loopback, connection)
    return connection


#: This thread's connection to an endpoint: (its Loopback, the connection).
_open = threading.local()


def _after_fork_in_child() -> None:
    global in_a_forked_child, _this_process, _open
    in_a_forked_child = True
    _this_process = object()
    # The forking thread's connection is the parent's: closed here (the parent's stays open).
    kept = getattr(_open, "connection", None)
    if kept is not None:
        kept[1].close()
    _open = threading.local()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
