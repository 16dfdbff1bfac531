"""Snapshots of the fake's state: plain data, files, comparison (being written: see issue 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ._store import Partition

if TYPE_CHECKING:
    from ._fake import GlueJobsFake


class SnapshotContext(Protocol):
    """What assert_snapshot needs to know of the running test; provided by the pytest plugin."""


def snapshot_data(
    state: dict[Partition, list[tuple[dict[str, Any], dict[str, str]]]], *, timestamps: bool
) -> dict[str, Any]:
    raise NotImplementedError


def assert_snapshot(fake: GlueJobsFake, name: str | None, *, timestamps: bool) -> None:
    raise NotImplementedError


def load(fake: GlueJobsFake, data: dict[str, Any]) -> None:
    raise NotImplementedError
