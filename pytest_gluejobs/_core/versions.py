"""The Glue versions the fake knows: one row per version, the rules that differ between them.

Sources (docs/fidelity.md, "Glue versions"): the Glue release notes and version support policy
(end-of-life dates: https://docs.aws.amazon.com/glue/latest/dg/glue-version-support-policy.html),
the service model's Timeout and Ray documentation.
A version newer than this table is refused until a test names it (``extra_glue_versions``): it then
follows the rules of the newest known version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

_VERSION_FORM = re.compile(r"[0-9]+(\.[0-9]+)+", re.ASCII)

#: The automatic-upgrade setting (https://docs.aws.amazon.com/glue/latest/dg/auto-version-upgrades.html):
#: not a version, a policy on Spark jobs.
AUTO = "auto"


@dataclass(frozen=True)
class GlueVersion:
    """What Glue lets a job of this version do, and what it fills in."""

    name: str
    #: The runtime's number, for comparisons ("4.0" -> (4, 0)).
    number: tuple[int, ...]
    #: Ray jobs: the model says "should set GlueVersion to 4.0 or greater".
    ray: bool
    #: ExecutionClass FLEX: glueetl jobs of Glue 3.0 and later (https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html).
    flex: bool
    #: Default Timeout of a batch job (minutes): "2,880 for 4.0 and earlier, 480 for 5.0 and later".
    batch_timeout: int
    #: No new jobs of this version after this date (https://docs.aws.amazon.com/glue/latest/dg/glue-version-support-policy.html).
    end_of_life: date | None


def _row(name: str, end_of_life: date | None = None) -> GlueVersion:
    number = tuple(int(part) for part in name.split("."))
    return GlueVersion(
        name=name,
        number=number,
        ray=number >= (4, 0),
        flex=number >= (3, 0),
        batch_timeout=480 if number >= (5, 0) else 2880,
        end_of_life=end_of_life,
    )


_END_OF_LIFE_2026 = date(2026, 4, 1)

#: Every version Glue has released, oldest first (6.0: GA 2026-08-21,
#: https://docs.aws.amazon.com/glue/latest/dg/release-notes.html).
KNOWN: tuple[GlueVersion, ...] = (
    _row("0.9", _END_OF_LIFE_2026),
    _row("1.0", _END_OF_LIFE_2026),
    _row("2.0", _END_OF_LIFE_2026),
    _row("3.0"),
    _row("4.0"),
    _row("5.0"),
    _row("5.1"),
    _row("6.0"),
)

#: The version Glue gives a job created without one today (model 1.44: "default to Glue 6.0").
TODAYS_DEFAULT = "6.0"
#: The GlueVersion a fake gives jobs created without one, unless told otherwise: today's (every
#: entry point reads it from here). "0.9" answers as the 2019 API reference did.
DEFAULT_GLUE_VERSION = TODAYS_DEFAULT


class GlueVersions:
    """The versions one fake accepts: the table, plus any a test added."""

    def __init__(self, extra: tuple[str, ...] = ()) -> None:
        self.extra = tuple(extra)
        rows = {row.name: row for row in KNOWN}
        newest = KNOWN[-1]
        for name in extra:
            if name == AUTO:
                raise ValueError(f"{AUTO!r} is already known: it is not a version but a setting.")
            if not _VERSION_FORM.fullmatch(name):
                raise ValueError(
                    f"extra Glue version {name!r} is not of the form <major>.<minor> (e.g. '6.1')."
                )
            number = tuple(int(part) for part in name.split("."))
            if name not in rows:
                # A version the table does not know yet behaves like the newest one it does.
                rows[name] = replace(newest, name=name, number=number, end_of_life=None)
        self._rows = rows
        self.names: tuple[str, ...] = tuple(sorted(rows, key=lambda n: rows[n].number))

    def get(self, name: str) -> GlueVersion | None:
        return self._rows.get(name)

    def unknown_message(self, name: str) -> str:
        return (
            f"GlueVersion '{name}' is not a Glue version this fake knows: it knows "
            f"{', '.join(self.names)} and '{AUTO}'. If Glue has released '{name}', let your tests "
            f"use it with the ini option glue_jobs_extra_glue_versions = {name} or "
            f"@pytest.mark.glue_jobs(extra_glue_versions=['{name}']) (it then follows the "
            f"rules of {KNOWN[-1].name}), and tell pytest-gluejobs so the table can learn it."
        )


#: The versions of a fake that adds none (most fakes): made once, as nothing changes it.
_KNOWN_ONLY = GlueVersions()


def glue_versions(extra: tuple[str, ...] = ()) -> GlueVersions:
    """The versions a fake accepts: the table, plus ``extra`` (ValueError if one is malformed)."""
    return GlueVersions(extra) if extra else _KNOWN_ONLY
