"""Errors a test sees raised in its own code: a Glue request the fake cannot or may not answer."""

from __future__ import annotations

#: What an UnsupportedOperation's message ends with.
NOTHING_SENT = (
    "Nothing was sent to AWS. Mock that call another way (e.g. unittest.mock.patch around the "
    "code that makes it), or make it while no fake is active: leave the `with mock_glue_jobs()` "
    "block, or call glue_jobs.stop() before it and glue_jobs.start() after."
)


class UnsupportedOperation(NotImplementedError):
    """A Glue operation the fake does not implement was called while the fake was active."""


class RealGlueBlocked(RuntimeError):
    """A Glue request was about to leave the process while no fake was active and the guard was on.

    Raised before anything is sent while ``glue_jobs_block_real_glue`` (or the command-line flag
    ``--glue-block-real-glue``) is on.
    """


# The public names users catch: shown as pytest_gluejobs.X in tracebacks, not the private module.
UnsupportedOperation.__module__ = "pytest_gluejobs"
RealGlueBlocked.__module__ = "pytest_gluejobs"
