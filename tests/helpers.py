"""What tests share besides fixtures: job parameters, Glue error checks, raw requests, no network,
waits that fail instead of hanging.

Fixtures live in conftest.py; the per-operation request table in every_operation.py. Import from
here in any folder (``from helpers import job_params``): pyproject.toml puts tests/ on the path.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from botocore import xform_name
from botocore.awsrequest import AWSRequest, AWSResponse

# Imported with the suite's helpers, not inside a test: a pytester run in the same process forgets
# modules first imported during it, and a second import would not be patched. The "test-sync"
# extra has no aiobotocore: its tests are skipped there.
try:
    import aiobotocore.session as aiobotocore_session
except ImportError:  # pragma: no cover - the test-sync CI leg
    aiobotocore_session = None
needs_aiobotocore = pytest.mark.skipif(aiobotocore_session is None, reason="needs aiobotocore")

ROOT = Path(__file__).resolve().parent.parent  # the repository
T = TypeVar("T")
# What the ``run`` fixture is: it runs a coroutine to completion and returns its result.
Run = Callable[[Coroutine[Any, Any, T]], T]

ROLE = "GlueServiceRole"
SCRIPT = "s3://bucket/scripts/job.py"


def command(name: str = "glueetl", **extra: Any) -> dict[str, Any]:
    """A JobCommand for ``name`` with a script location."""
    return {"Name": name, "ScriptLocation": SCRIPT, **extra}


def job_params(name: str = "nightly", kind: str = "glueetl", **overrides: Any) -> dict[str, Any]:
    """CreateJob parameters for the barest job of command ``kind``, plus ``overrides``."""
    return {"Name": name, "Role": ROLE, "Command": command(kind), **overrides}


def start_run(glue: Any, job: str = "nightly", **params: Any) -> str:
    """StartJobRun of ``job``; the new run's id."""
    run_id: str = glue.start_job_run(JobName=job, **params)["JobRunId"]
    return run_id


def read_run(glue: Any, run_id: str, job: str = "nightly") -> dict[str, Any]:
    """GetJobRun: the run as Glue shows it (each read moves a scripted run on one step)."""
    run: dict[str, Any] = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
    return run


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


def method(client: Any, operation: str) -> Callable[..., Any]:
    """The client's method for the Glue ``operation`` (``GetJobRun`` -> ``get_job_run``)."""
    return getattr(client, xform_name(operation))  # type: ignore[no-any-return]


def send_raw(client: Any, body: object, headers: dict[str, str]) -> AWSResponse:
    """Send ``body`` with ``headers`` to the client's patched transport as a raw HTTP request.

    No serializer, no signer, no parser: the test chooses every byte and reads the raw answer.
    """
    request = AWSRequest(
        method="POST", url=client.meta.endpoint_url + "/", data=body, headers=headers
    )
    response: AWSResponse = client._endpoint._send(request.prepare())
    return response


def call_with_body(client: Any, operation: str, body: bytes | dict[str, Any] | list[Any]) -> Any:
    """Call ``operation`` with ``body`` as the exact request body (``client`` must not validate).

    botocore cannot serialize unknown members or non-JSON bodies, so the serialized request is
    replaced just before it is signed and sent; everything else (signing, parsing the answer into
    a result or a modelled exception) is botocore's real path. For a request botocore would never
    build (a wrong target, odd headers), use ``send_raw``.
    """
    data = body if isinstance(body, bytes) else json.dumps(body).encode()

    def replace_body(params: dict[str, Any], **_: Any) -> None:
        params["body"] = data

    event = f"before-call.glue.{operation}"
    client.meta.events.register(event, replace_body)
    try:
        return method(client, operation)()
    finally:
        client.meta.events.unregister(event, replace_body)


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


def finishes(work: Callable[[], T], within: float = 30) -> T:
    """Run ``work`` in a thread; fail (instead of hanging) if it has not returned ``within`` s."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(within)
    assert not thread.is_alive(), f"still waiting after {within} s of real time: it hangs"
    if "error" in outcome:
        raise outcome["error"]
    result: T = outcome["value"]
    return result


async def poll_until_succeeded(session: Any, every: float) -> tuple[dict[str, Any], int]:
    """An asyncio poller: start a run of "nightly" with an aiobotocore client of ``session``, read
    it with ``asyncio.sleep(every)`` between reads until it SUCCEEDED; the run and the reads."""
    async with session.create_client("glue", region_name="us-east-1") as glue:
        run_id = (await glue.start_job_run(JobName="nightly"))["JobRunId"]
        reads = 0
        while True:
            reads += 1
            run: dict[str, Any] = (await glue.get_job_run(JobName="nightly", RunId=run_id))[
                "JobRun"
            ]
            if run["JobRunState"] == "SUCCEEDED":
                return run, reads
            await asyncio.sleep(every)


def port_of(fake: Any) -> int:
    """The port of a fake's loopback endpoint."""
    port = urlsplit(fake.endpoint_url).port
    assert port is not None
    return port


def harness_environment() -> dict[str, str]:
    """A harness's environment: no AWS or proxy settings, this checkout's code on the path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k.upper() not in ("NO_PROXY", "HTTP_PROXY", "HTTPS_PROXY")
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return env
