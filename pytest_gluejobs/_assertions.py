"""Assertion helpers on stored jobs and recorded calls (being written: see issue 4)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._store import Partition

if TYPE_CHECKING:
    from ._calls import Call
    from ._fake import GlueJobsFake


def assert_job(
    fake: GlueJobsFake, name: str, partition: Partition, expected: dict[str, Any]
) -> dict[str, Any]:
    raise NotImplementedError


def assert_no_job(fake: GlueJobsFake, name: str, partition: Partition) -> None:
    raise NotImplementedError


def assert_job_names(fake: GlueJobsFake, names: Sequence[str], partition: Partition) -> None:
    raise NotImplementedError


def assert_called(
    calls: list[Call], operation: str, times: int | None, params: dict[str, Any]
) -> list[Call]:
    raise NotImplementedError


def assert_not_called(calls: list[Call], operation: str) -> None:
    raise NotImplementedError
