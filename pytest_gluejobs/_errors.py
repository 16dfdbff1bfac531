"""Errors the fake raises: Glue's own errors (answered on the wire) and the user-facing ones."""

from __future__ import annotations


class GlueError(Exception):
    """An error Glue would answer with: its code, message and HTTP status.

    The service core raises it; the interceptor turns it into a JSON 1.1 error response
    (``__type`` and ``message`` in the body) that botocore parses into its real exceptions.
    """

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def invalid_input(message: str) -> GlueError:
    """The error Glue answers for any rejected input."""
    return GlueError("InvalidInputException", message)


class UnsupportedOperation(NotImplementedError):
    """A Glue operation the fake does not implement was called while the fake was active."""
