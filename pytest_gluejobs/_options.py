"""The settings of a fake, defined once: names, defaults, types and the checks with their messages.

``GlueJobsFake(...)``, ``mock_glue_jobs(...)``, the ``glue_jobs`` marker and the ini options all
build one ``FakeOptions`` and pass it whole. The marker also takes what only a pytest test can be
given (``TestSetup``). Nothing here imports pytest or botocore.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from ._core.partitions import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from ._core.versions import DEFAULT_GLUE_VERSION, glue_versions

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")

#: botocore's own check of a region name (botocore.utils.validate_region_name).
_REGION = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?")
#: "An AWS account ID is a 12-digit number" (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html).
_ACCOUNT_ID = re.compile(r"[0-9]{12}")

FrozenTime = str | datetime | date | timedelta


def _kind(value: object) -> str:
    return type(value).__name__


def _need_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {value!r} ({_kind(value)}).")


@dataclass(frozen=True, kw_only=True)
class FakeOptions:
    """How a fake is set up; each value is checked when the options are made."""

    #: The default partition: requests that name no region, and the controller's helpers.
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    #: The GlueVersion of jobs created without one.
    default_glue_version: str = DEFAULT_GLUE_VERSION
    #: Glue versions newer than the fake knows, accepted with the newest known one's rules.
    extra_glue_versions: tuple[str, ...] | list[str] = ()
    #: Sleep botocore's retry back-offs for real instead of recording them.
    real_retry_sleep: bool = False
    #: Freeze the clock at this time while the fake is active.
    frozen_time: FrozenTime | None = None
    #: While the fake is active, sleeping returns at once and moves its frozen clock instead.
    virtual_time: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.region, str) or not _REGION.fullmatch(self.region):
            raise ValueError(
                f"region must be an AWS region name such as 'us-east-1'; got {self.region!r}."
            )
        if not isinstance(self.account_id, str) or not _ACCOUNT_ID.fullmatch(self.account_id):
            raise ValueError(
                "account_id must be an AWS account id, a string of 12 digits such as "
                f"'123456789012'; got {self.account_id!r}."
            )
        extra: object = self.extra_glue_versions
        if isinstance(extra, str) or not isinstance(extra, (tuple, list)):
            raise TypeError(
                "extra_glue_versions must be a list of version strings such as ['6.1']; "
                f"got {extra!r}."
            )
        if not all(isinstance(name, str) for name in extra):
            raise TypeError(f"extra_glue_versions must hold strings only; got {extra!r}.")
        object.__setattr__(self, "extra_glue_versions", tuple(extra))
        try:
            versions = glue_versions(tuple(extra))
        except ValueError as error:
            raise ValueError(f"extra_glue_versions: {error}") from None
        if not isinstance(self.default_glue_version, str):
            raise TypeError(
                "default_glue_version must be a version string such as '5.0'; got "
                f"{self.default_glue_version!r} ({_kind(self.default_glue_version)})."
            )
        if versions.get(self.default_glue_version) is None:
            raise ValueError(
                f"default_glue_version: {versions.unknown_message(self.default_glue_version)}"
            )
        _need_bool("real_retry_sleep", self.real_retry_sleep)
        _need_bool("virtual_time", self.virtual_time)
        _check_frozen_time(self.frozen_time)


def _check_frozen_time(value: object) -> None:
    if value is None or isinstance(value, (datetime, date, timedelta)):
        return
    if not isinstance(value, str):
        raise TypeError(
            "frozen_time must be a datetime, a date, a timedelta from now or a time string such "
            f"as '2024-01-31 12:00:00'; got {value!r} ({_kind(value)})."
        )
    # freezegun's own parser (untyped), imported only when a string needs it.
    parser = importlib.import_module("dateutil.parser")
    try:
        parser.parse(value)
    except (ValueError, OverflowError):
        raise ValueError(
            f"frozen_time {value!r} is not a time; give one such as '2024-01-31 12:00:00' "
            "(or a datetime)."
        ) from None


#: The states every job's runs go through, or {job name: states}.
RunStates = tuple[str, ...] | list[str] | dict[str, tuple[str, ...] | list[str]]


@dataclass(frozen=True, kw_only=True)
class TestSetup:
    """What the ``glue_jobs`` marker sets up for one test beyond the fake's options."""

    __test__ = False  # not a test class, whatever pytest's collection thinks of its name

    fake: FakeOptions = field(default_factory=FakeOptions)
    #: CreateJob parameters of the jobs the test starts with.
    jobs: list[dict[str, Any]] | tuple[dict[str, Any], ...] = ()
    #: Scripted run states (``run_states("*", ...)``, or per job).
    run_states: RunStates | None = None
    #: A fault that never fires fails the test instead of warning.
    strict_faults: bool = False

    def __post_init__(self) -> None:
        jobs = self.jobs
        if not isinstance(jobs, (list, tuple)) or not all(isinstance(j, dict) for j in jobs):
            raise TypeError(
                "jobs must be a list of CreateJob parameter dicts, e.g. "
                f"[{{'Name': 'nightly', 'Role': ..., 'Command': ...}}]; got {jobs!r}."
            )
        states = self.run_states
        if isinstance(states, dict):
            for name, job_states in states.items():
                _check_states(f"run_states[{name!r}]", job_states)
        elif states is not None:
            _check_states("run_states", states)
        _need_bool("strict_faults", self.strict_faults)

    @classmethod
    def from_keywords(cls, keywords: Mapping[str, Any], where: str) -> TestSetup:
        """The setup from the marker's keywords (with the ini's values under them).

        ``where`` names the source in messages (e.g. ``@pytest.mark.glue_jobs``).
        """
        own = {f.name for f in fields(cls)} - {"fake"}
        fake_names = [f.name for f in fields(FakeOptions)]
        unknown = sorted(set(keywords) - own - set(fake_names))
        if unknown:
            raise TypeError(
                f"{where} got unknown keyword(s) {', '.join(unknown)}; it takes: "
                f"{', '.join([*fake_names, *sorted(own)])}."
            )
        try:
            fake = FakeOptions(**{k: v for k, v in keywords.items() if k in fake_names})
            return cls(fake=fake, **{k: v for k, v in keywords.items() if k in own})
        except (TypeError, ValueError) as error:
            raise type(error)(f"{where}: {error}") from None


def _check_states(name: str, states: object) -> None:
    if isinstance(states, str) or not isinstance(states, (list, tuple)):
        raise TypeError(
            f"{name} must be a sequence of states such as ('RUNNING', 'FAILED'); got {states!r}."
        )


def same_parameters_as(
    source: Callable[P, Any],
) -> Callable[[Callable[..., R]], Callable[Concatenate[S, P], R]]:
    """Give a method the parameters of ``source`` (its keywords are defined there, once)."""

    def decorate(method: Callable[..., R]) -> Callable[Concatenate[S, P], R]:
        own = inspect.signature(method)
        first = next(iter(own.parameters.values()))
        taken = inspect.signature(source).parameters.values()
        method.__signature__ = own.replace(parameters=[first, *taken])  # type: ignore[attr-defined]
        return method

    return decorate
