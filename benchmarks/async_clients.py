"""Per-call costs through a real aiobotocore client, against an async baseline at AioEndpoint."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

ASYNC_JOB: dict[str, Any] = {
    "Name": "bench",
    "Role": "R",
    "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
}


@dataclass
class AsyncResult:
    version: str
    #: operation -> (baseline µs per call, fake µs per call, per-round fake/baseline ratios)
    calls: dict[str, tuple[float, float, list[float]]]


def _async_operations() -> dict[str, Callable[[Any, int], Awaitable[object]]]:
    async def get_job(client: Any, i: int) -> object:
        return await client.get_job(JobName="bench")

    async def create_job(client: Any, i: int) -> object:
        return await client.create_job(**{**ASYNC_JOB, "Name": f"job-{i:07d}"})

    return {"GetJob": get_job, "CreateJob": create_job}


async def _async_timed(call: Callable[[Any, int], Awaitable[object]], client: Any, n: int) -> float:
    start = time.process_time()
    for i in range(n):
        await call(client, i)
    return (time.process_time() - start) / n


async def _async_run(
    rounds: int, calls_per_turn: int
) -> dict[str, tuple[float, float, list[float]]]:
    import wrapt
    from aiobotocore.awsrequest import AioAWSResponse
    from aiobotocore.endpoint import AioEndpoint
    from aiobotocore.session import get_session

    from pytest_gluejobs import mock_glue_jobs

    class CannedRaw:
        def __init__(self, body: bytes, headers: dict[str, str]) -> None:
            self.body = body
            # aiobotocore 2.x reads aiohttp's raw header pairs.
            self.raw_headers = tuple((k.encode(), v.encode()) for k, v in headers.items())

        async def read(self, *args: Any) -> bytes:
            return self.body

    operations = _async_operations()
    canned: dict[object, tuple[int, dict[str, str], bytes]] = {}
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(
            get_session().create_client(
                "glue",
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        )

        with mock_glue_jobs() as fake:
            fake.add_job(**ASYNC_JOB)
            for name, call in operations.items():
                await call(client, 0)
                # The exact bytes the fake answered, as the baseline's canned answer.
                canned[f"AWSGlue.{name}".encode()] = (200, {}, fake.calls[-1]._body)

        async def send(wrapped: Any, instance: Any, args: tuple[Any, ...], kwargs: Any) -> Any:
            request = args[0] if args else kwargs["request"]
            status, headers, body = canned[request.headers["X-Amz-Target"]]
            headers = {
                "Content-Type": "application/x-amz-json-1.1",
                "Content-Length": str(len(body)),
            }
            return AioAWSResponse(request.url, status, headers, CannedRaw(body, headers))

        original = AioEndpoint.__dict__["_send"]
        baseline = wrapt.FunctionWrapper(original, send)
        samples: dict[str, tuple[list[float], list[float]]] = {
            name: ([], []) for name in operations
        }
        for _ in range(rounds):
            for name, call in operations.items():
                AioEndpoint._send = baseline
                try:
                    base = await _async_timed(call, client, calls_per_turn)
                finally:
                    AioEndpoint._send = original
                with mock_glue_jobs() as fake:
                    fake.add_job(**ASYNC_JOB)
                    faked = await _async_timed(call, client, calls_per_turn)
                samples[name][0].append(base)
                samples[name][1].append(faked)
    return {
        name: (
            statistics.median(base) * 1e6,
            statistics.median(faked) * 1e6,
            [f / b for b, f in zip(base, faked, strict=True)],
        )
        for name, (base, faked) in samples.items()
    }


def measure_async(rounds: int, calls_per_turn: int) -> AsyncResult | None:
    try:
        import aiobotocore
    except ImportError:
        return None
    calls = asyncio.run(_async_run(rounds, calls_per_turn))
    return AsyncResult(version=aiobotocore.__version__, calls=calls)
