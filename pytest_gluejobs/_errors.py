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


class RealGlueBlocked(RuntimeError):
    """A Glue request was about to leave the process while no fake was active and the guard was on.

    Raised before anything is sent while ``glue_jobs_block_real_glue`` (or the command-line flag
    ``--glue-block-real-glue``) is on.
    """


class GlueFaultNotFiredWarning(UserWarning):
    """A fault set for a test never failed a call: the test may not reach what it meant to break."""


# The public names users catch: shown as pytest_gluejobs.X in tracebacks, not the private module.
UnsupportedOperation.__module__ = "pytest_gluejobs"
RealGlueBlocked.__module__ = "pytest_gluejobs"
GlueFaultNotFiredWarning.__module__ = "pytest_gluejobs"
