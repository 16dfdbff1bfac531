"""The contenders: the baseline (a canned answer at the fake's interception point), the fake, moto.

The baseline answers with the bytes the fake itself answered for the same request and state,
captured before timing (``capture_canned``), so botocore parses exactly what it parses under the
fake; nothing that answers at this interception point can be faster.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from workload import FAKE, MOTO, REGION, Client, Job, Seed, Sizes, ops


@dataclass(frozen=True)
class Contender:
    name: str
    # enter: the interception is on; the value seeds jobs through the given client or directly
    active: Callable[[], AbstractContextManager[Seed]]


class _CannedRaw:
    """The smallest object ``AWSResponse.content`` can read a body from."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self) -> tuple[bytes]:
        return (self._body,)


Canned = dict[bytes, tuple[int, dict[str, str], bytes]]


def baseline_swap(canned: Canned) -> Callable[[], AbstractContextManager[None]]:
    """The baseline: while entered, ``Endpoint._send`` answers ``canned`` and does nothing else.

    It is installed in place of whatever is there (the fake's wrapper, between the fake's own
    batches), exactly as the fake installs its own: a wrapt FunctionWrapper around botocore's
    original method. Everything else the fake patches while active is put back as it was before
    for the baseline's turns too (moto's hook, botocore's request signer and the ``time`` module
    of ``botocore.endpoint``), so that nothing the fake installs runs for the baseline.
    """
    import botocore.endpoint
    import wrapt
    from botocore.awsrequest import AWSResponse
    from botocore.signers import RequestSigner

    endpoint = botocore.endpoint.Endpoint
    original_send = endpoint.__dict__["_send"]
    if isinstance(original_send, wrapt.FunctionWrapper):
        raise RuntimeError("Endpoint._send is already patched; build the baseline before that")
    stubber = getattr(sys.modules.get("moto.core.botocore_stubber"), "BotocoreStubber", None)
    original_hook = None if stubber is None else stubber.__dict__["__call__"]
    original_signing = RequestSigner.__dict__["get_auth_instance"]
    original_time = botocore.endpoint.time

    def send(wrapped: object, instance: object, args: tuple[Any, ...], kwargs: Job) -> AWSResponse:
        request = args[0] if args else kwargs["request"]
        status, headers, body = canned[request.headers["X-Amz-Target"]]
        return AWSResponse(request.url, status, headers, _CannedRaw(body))

    baseline = wrapt.FunctionWrapper(original_send, send)

    @contextmanager
    def swapped_in() -> Iterator[None]:
        saved_send = endpoint.__dict__["_send"]
        saved_hook = None if stubber is None else stubber.__dict__["__call__"]
        saved_signing = RequestSigner.__dict__["get_auth_instance"]
        saved_time = botocore.endpoint.time
        endpoint._send = baseline
        if stubber is not None:
            stubber.__call__ = original_hook
        RequestSigner.get_auth_instance = original_signing
        botocore.endpoint.time = original_time
        try:
            yield
        finally:
            endpoint._send = saved_send
            if stubber is not None:
                stubber.__call__ = saved_hook
            RequestSigner.get_auth_instance = saved_signing
            botocore.endpoint.time = saved_time

    return swapped_in


def fake_contender() -> Contender:
    from pytest_gluejobs import mock_glue_jobs

    @contextmanager
    def active() -> Iterator[Seed]:
        with mock_glue_jobs(region=REGION) as fake:

            def seed(client: Client, jobs: Sequence[Job]) -> None:
                for params in jobs:
                    fake.add_job(**params)

            yield seed

    return Contender(FAKE, active)


def moto_contender() -> Contender:
    from moto import mock_aws

    @contextmanager
    def active() -> Iterator[Seed]:
        with mock_aws():
            # moto has no seeding API for Glue: create through the client, as its users do
            def seed(client: Client, jobs: Sequence[Job]) -> None:
                for params in jobs:
                    client.create_job(**params)

            yield seed

    return Contender(MOTO, active)


def moto_missing() -> str | None:
    """Why moto cannot run, or None."""
    try:
        import moto.glue  # noqa: F401  (its Glue backend has extra needs, e.g. pyparsing)
    except ImportError as exc:
        return (
            f"moto's Glue backend cannot be imported ({exc}); `pip install 'moto[glue]'` to compare"
        )
    return None


# --------------------------------------------------------------------------------------------------
# Measuring


class Clients:
    """Clients built the same way for every contender, from one session that is not boto3's default.

    moto swaps boto3's default session out while it is active; a private session is never touched,
    so no contender pays for another's session rebuild.
    """

    def __init__(self) -> None:
        import boto3

        self._session = boto3.session.Session(region_name=REGION)

    def new(self) -> Client:
        return self._session.client(
            "glue",
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


def capture_canned(fake: Contender, clients: Clients, sizes: Sizes) -> Canned:
    """The fake's own answer (status, headers, body) to each benchmarked call, for the baseline."""
    canned: Canned = {}
    for op in ops():
        with fake.active() as seed:
            client = clients.new()
            seed(client, op.state(sizes))

            def keep(http_response: Any, operation: str = op.operation, **_: object) -> None:
                # after-call: an event every botocore this project supports emits.
                canned[f"AWSGlue.{operation}".encode()] = (
                    http_response.status_code,
                    dict(http_response.headers),
                    http_response.content,
                )

            client.meta.events.register(f"after-call.glue.{op.operation}", keep)
            op.call(client, 0, sizes)
    return canned
