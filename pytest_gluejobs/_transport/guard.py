"""The guard against real Glue: while on, a Glue request made with no fake active is refused.

So is a CloudWatch Logs read of one of Glue's log groups (``/aws-glue/...``), which the fake
answers while it is active.

The pytest plugin turns it on for a session (ini ``glue_jobs_block_real_glue`` or
``--glue-block-real-glue``) and names the running test; the transport asks it what to raise. It
covers botocore and aiobotocore clients in this process. Child processes are kept from AWS another
way: while a fake is active they inherit ``AWS_ENDPOINT_URL_GLUE``, the fake's loopback endpoint.
"""

from __future__ import annotations

from .errors import RealGlueBlocked

_enabled = 0
#: The test running now (its node id), named in the error; set by the pytest plugin.
current_test: str | None = None


def is_on() -> bool:
    return _enabled > 0


def turn_on() -> None:
    global _enabled
    _enabled += 1


def turn_off() -> None:
    """Undo one ``turn_on`` (an inner pytest session turns off only its own)."""
    global _enabled
    _enabled = max(0, _enabled - 1)


def blocked(operation: str, *, logs: bool = False) -> RealGlueBlocked:
    """The error for a Glue request (``operation``), or a read of Glue's log groups (``logs``)."""
    where = f"in test {current_test}" if current_test else "outside any test"
    kind = (
        "a real CloudWatch Logs request for AWS Glue's logs" if logs else "a real AWS Glue request"
    )
    return RealGlueBlocked(
        f"pytest-gluejobs blocked {kind}: {operation or 'a Glue request'} "
        f"{where} was about to go to AWS while no Glue fake was active "
        "(glue_jobs_block_real_glue is on). Nothing was sent. Give the test the fake in one of "
        "three ways: ask for the `glue_jobs` fixture; mark the test `@pytest.mark.glue_jobs` "
        "(or `@pytest.mark.glue_fault(...)`); or run the code inside `with mock_glue_jobs():`."
    )
