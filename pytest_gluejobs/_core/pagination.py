"""Opaque NextToken values for GetJobs and ListJobs.

A token names the last job returned, so the next page starts after it in name order: jobs created
or deleted between pages never make a page repeat or skip a job that existed throughout. It also
names the operation, partition and tag filter it was issued for, with a checksum, so a token that
was altered, or that belongs to another listing, is refused instead of silently restarting.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from .errors import invalid_input
from .partitions import Partition


def _checksum(payload: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=6, key=b"pytest-gluejobs").hexdigest()


def _scope(operation: str, partition: Partition, tags: dict[str, str] | None) -> list[Any]:
    return [
        operation,
        partition[0],
        partition[1],
        [list(item) for item in sorted(tags.items())] if tags else None,
    ]


def encode_token(
    operation: str, partition: Partition, tags: dict[str, str] | None, after: str
) -> str:
    payload = json.dumps([_scope(operation, partition, tags), after], separators=(",", ":"))
    raw = payload.encode()
    return base64.urlsafe_b64encode(raw + b"|" + _checksum(raw).encode()).decode()


def decode_token(
    token: str, operation: str, partition: Partition, tags: dict[str, str] | None
) -> str:
    """The name the next page starts after; InvalidInputException for a token not issued here."""
    try:
        data = base64.urlsafe_b64decode(token.encode())
        # Decoding ignores junk after the padding; only the exact text we issued is ours.
        canonical = base64.urlsafe_b64encode(data).decode() == token
        raw, _, checksum = data.rpartition(b"|")
        scope, after = json.loads(raw)
        valid = canonical and checksum.decode() == _checksum(raw) and isinstance(after, str)
    # RecursionError: a forged token can nest arrays deeper than json.loads will follow.
    except (ValueError, binascii.Error, UnicodeError, TypeError, RecursionError):
        valid = False
    if not valid:
        raise invalid_input(
            f"Invalid NextToken for {operation}: pass back the NextToken of the previous "
            f"{operation} response unchanged."
        )
    if scope != _scope(operation, partition, tags):
        raise invalid_input(
            f"Invalid NextToken for {operation}: it was issued for another listing "
            "(operation, account, region or Tags filter); start again without a NextToken."
        )
    return str(after)
