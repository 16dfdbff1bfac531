"""Shared helpers for the test suite: real boto3 clients aimed at the fake, and Glue error checks.

Keep this small; add helpers here only when more than one test module needs them.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import botocore.config
import pytest

ROLE = "GlueServiceRole"
SCRIPT = "s3://bucket/scripts/job.py"


def command(name: str = "glueetl", **extra: Any) -> dict[str, Any]:
    """A JobCommand for ``name`` with a script location."""
    return {"Name": name, "ScriptLocation": SCRIPT, **extra}


def job_params(name: str = "nightly", kind: str = "glueetl", **overrides: Any) -> dict[str, Any]:
    """CreateJob parameters for the barest job of command ``kind``, plus ``overrides``."""
    return {"Name": name, "Role": ROLE, "Command": command(kind), **overrides}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--docs-drift",
        action="store_true",
        default=False,
        help="run the documentation's examples that describe moto's or botocore's behaviour "
        "(skipped otherwise: a third party's release must not fail this suite)",
    )


@pytest.fixture
def glue(glue_jobs: Any) -> Any:
    """A plain boto3 Glue client, built inside the test as user code would build it."""
    return boto3.client("glue")


@pytest.fixture
def raw_glue(glue_jobs: Any) -> Any:
    """A boto3 Glue client that skips botocore's client-side checks, so Glue's own are reached."""
    return boto3.client("glue", config=botocore.config.Config(parameter_validation=False))


@contextmanager
def glue_error(client: Any, code: str, *fragments: str, status: int = 400) -> Iterator[Any]:
    """Expect the block to raise botocore's modelled ``code`` exception with ``status``.

    Each of ``fragments`` must appear in the error message. Yields pytest's ExceptionInfo.
    """
    __tracebackhide__ = True
    with pytest.raises(getattr(client.exceptions, code)) as caught:
        yield caught
    response = caught.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    message = response["Error"]["Message"]
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in the error message {message!r}"


def send_raw(client: Any, operation: str, body: bytes | dict[str, Any] | list[Any]) -> Any:
    """Call ``operation`` with ``body`` as the exact request body (``client`` must not validate).

    botocore cannot serialize unknown members or non-JSON bodies, so the serialized request is
    replaced just before it is signed and sent; everything else is botocore's real path.
    """
    data = body if isinstance(body, bytes) else json.dumps(body).encode()

    def replace_body(params: dict[str, Any], **_: Any) -> None:
        params["body"] = data

    event = f"before-call.glue.{operation}"
    client.meta.events.register(event, replace_body)
    try:
        return getattr(client, _snake(operation))()
    finally:
        client.meta.events.unregister(event, replace_body)


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


class NetworkUsed(OSError):
    """Raised by every way of opening a connection while the network is blocked."""


def block_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way of opening a connection fail; the list records each attempt.

    botocore turns a socket error into a retried EndpointConnectionError and may swallow it, so
    tests assert on the attempts, not on an exception.
    """
    seen: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            seen.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise NetworkUsed(f"{name} called: the test tried to use the network")

        return refused

    for name in ("connect", "connect_ex", "sendto", "sendall", "send"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    return seen


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Block the network for the test; the list records every attempt to use it."""
    return block_network(monkeypatch)
