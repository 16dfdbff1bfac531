"""Glue's own errors: what the service core raises and the interceptor answers on the wire."""

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


class OutsideTheFake(Exception):
    """A request Glue would answer but the fake does not fake (e.g. tags on a crawler).

    The transport raises it in the caller's code as UnsupportedOperation, with this message.
    """
