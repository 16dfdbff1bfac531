"""pytest-gluejobs: an in-process, faithful fake of the AWS Glue job-definition API for tests.

Ask for the ``glue_jobs`` fixture (or use ``mock_glue_jobs`` outside pytest): every botocore-based
client's Glue requests are then answered in-process, in Glue's wire format.

The public names are imported on first use: pytest loads the plugin (a module of this package) in
every run of an environment that has it installed, and botocore and freezegun, which the fake
needs, take about a quarter of a second to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from ._core.faults import Fault, GlueFaultNotFiredWarning
    from ._fake import GlueJobsFake
    from ._mock import mock_glue_jobs
    from ._transport.calls import Call
    from ._transport.errors import RealGlueBlocked, UnsupportedOperation

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

#: The module each public name comes from.
_HOMES = {
    "Call": "._transport.calls",
    "Fault": "._core.faults",
    "GlueFaultNotFiredWarning": "._core.faults",
    "GlueJobsFake": "._fake",
    "RealGlueBlocked": "._transport.errors",
    "UnsupportedOperation": "._transport.errors",
    "mock_glue_jobs": "._mock",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # later lookups find it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
