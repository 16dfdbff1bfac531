"""pytest-gluejobs: an in-process, faithful fake of the AWS Glue job-definition API for tests.

Ask for the ``glue_jobs`` fixture (or use ``mock_glue_jobs`` outside pytest): every botocore-based
client's Glue requests are then answered in-process, in Glue's wire format.
"""

from ._core.faults import Fault, GlueFaultNotFiredWarning
from ._fake import GlueJobsFake
from ._mock import mock_glue_jobs
from ._transport.calls import Call
from ._transport.errors import RealGlueBlocked, UnsupportedOperation
from ._version import __version__

__all__ = [
    "Call",
    "Fault",
    "GlueFaultNotFiredWarning",
    "GlueJobsFake",
    "RealGlueBlocked",
    "UnsupportedOperation",
    "__version__",
    "mock_glue_jobs",
]
