"""Fixtures shared by the whole suite, and its one command-line option.

Helpers that are not fixtures (job parameters, Glue error checks, raw requests) are in helpers.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.config
import pytest
from helpers import Run, block_network


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


@pytest.fixture
def run() -> Iterator[Run[Any]]:
    """Runs a coroutine on an event loop made before the network is blocked (it needs a socketpair).

    A request that escaped the fake would retry against the blocked network with real back-off:
    the time limit turns that into a failure instead of a hang.
    """
    loop = asyncio.new_event_loop()
    yield lambda coroutine: loop.run_until_complete(asyncio.wait_for(coroutine, 30))
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()


@pytest.fixture
def attempts(run: Run[Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Block the network for the test; the list records every attempt to use it.

    It asks for ``run`` first, so that an async test's event loop exists before sockets are refused.
    """
    return block_network(monkeypatch)
