"""The pytest plugin: the ``glue_jobs`` fixture, its markers and ini options.

pytest imports it in every run of an environment where the package is installed, so it imports
the fake (botocore, freezegun: about a quarter of a second) only when a test first asks for it.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from .._core.store import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from .._core.versions import DEFAULT_GLUE_VERSION
from .._transport import guard as _guard
from . import snapshot_files as _snapshot_plugin
from . import summary as _summary

if TYPE_CHECKING:
    from .._fake import GlueJobsFake

_GLUE_JOBS_MARKER = (
    "glue_jobs(region=..., account_id=..., jobs=[{CreateJob params}, ...], frozen_time=..., "
    "real_retry_sleep=False, strict_faults=False, default_glue_version='0.9', "
    "extra_glue_versions=(), run_states=('RUNNING', 'SUCCEEDED')): "
    "configure the glue_jobs fake for this test (nearest scope wins, key by key)."
)
_GLUE_FAULT_MARKER = (
    "glue_fault(operation, error='InternalServiceException', *, times=None, after=0, "
    "probability=None, seed=None, message=None, job_name=None): make matching Glue calls fail, "
    "as glue_jobs.fail() does. Stackable; the test gets the glue_jobs fake."
)


@dataclass(frozen=True, kw_only=True)
class _Options:
    """The glue_jobs marker's keywords: a misspelt one is a TypeError naming it."""

    region: str
    account_id: str
    jobs: list[dict[str, Any]] = field(default_factory=list)
    frozen_time: str | datetime | date | timedelta | None = None
    real_retry_sleep: bool = False
    strict_faults: bool = False
    default_glue_version: str = DEFAULT_GLUE_VERSION
    extra_glue_versions: tuple[str, ...] | list[str] = ()
    #: States every job's runs go through, or {job name: states}.
    run_states: tuple[str, ...] | list[str] | dict[str, tuple[str, ...] | list[str]] | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gluejobs", "pytest-gluejobs: a fake AWS Glue job-definition API")
    group.addoption(
        "--glue-snapshot-update",
        action="store_true",
        dest="glue_snapshot_update",
        default=False,
        help="write glue_jobs snapshot files instead of comparing with them",
    )
    group.addoption(
        "--glue-block-real-glue",
        action="store_true",
        dest="glue_block_real_glue",
        default=None,
        help="refuse (RealGlueBlocked) any Glue request made while no glue_jobs fake is active "
        "(the ini option glue_jobs_block_real_glue does the same)",
    )
    parser.addini(
        "glue_jobs_region", "default region of the glue_jobs fake", default=DEFAULT_REGION
    )
    parser.addini(
        "glue_jobs_account_id",
        "default account id of the glue_jobs fake",
        default=DEFAULT_ACCOUNT_ID,
    )
    parser.addini(
        "glue_jobs_strict_faults",
        "fail a test whose glue fault never fired (default: warn)",
        type="bool",
        default=False,
    )
    parser.addini(
        "glue_jobs_block_real_glue",
        "refuse (RealGlueBlocked) any Glue request made while no glue_jobs fake is active",
        type="bool",
        default=False,
    )
    parser.addini(
        "glue_jobs_default_glue_version",
        "GlueVersion given to jobs created without one (0.9, the seed's; today's Glue: 6.0)",
        default=DEFAULT_GLUE_VERSION,
    )
    parser.addini(
        "glue_jobs_extra_glue_versions",
        "Glue versions newer than the fake knows, accepted with the newest known one's rules",
        type="args",
        default=[],
    )


_FAKES_BEFORE = pytest.StashKey[int]()
_GUARDED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _GLUE_JOBS_MARKER)
    config.addinivalue_line("markers", _GLUE_FAULT_MARKER)
    _snapshot_plugin.configure(config)
    _summary.configure(config)
    # An in-process inner session (pytester) must leave the fakes of the session around it alone.
    fakes = _fake_module_if_used()
    config.stash[_FAKES_BEFORE] = 0 if fakes is None else fakes.active_fake_count()
    guarded = config.getoption("glue_block_real_glue") or config.getini("glue_jobs_block_real_glue")
    config.stash[_GUARDED] = bool(guarded)
    if guarded:
        from .._transport import activation

        activation.turn_guard_on()


def _fake_module_if_used() -> ModuleType | None:
    """The fake's module, if anything imported it yet: if not, no fake was ever started."""
    return sys.modules.get("pytest_gluejobs._fake")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A marked test gets the fake even if it does not name the fixture; first, so that it is
    # active during the test's other fixtures too.
    for item in items:
        fixturenames = getattr(item, "fixturenames", None)
        if fixturenames is None or "glue_jobs" in fixturenames:
            continue
        if item.get_closest_marker("glue_fault") or item.get_closest_marker("glue_jobs"):
            fixturenames.insert(0, "glue_jobs")


def pytest_unconfigure(config: pytest.Config) -> None:
    # Fakes started by hand during the session and never stopped: their patches and environment.
    fakes = _fake_module_if_used()
    if fakes is not None:
        fakes.stop_fakes_started_after(config.stash.get(_FAKES_BEFORE, 0))
    if config.stash.get(_GUARDED, False):
        from .._transport import activation

        activation.turn_guard_off()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Any:
    # The guard's error names the test that made the request.
    outer, _guard.current_test = _guard.current_test, item.nodeid
    try:
        return (yield)
    finally:
        _guard.current_test = outer


def _options(request: pytest.FixtureRequest) -> _Options:
    ini = request.config.getini
    values: dict[str, Any] = {
        "region": ini("glue_jobs_region"),
        "account_id": ini("glue_jobs_account_id"),
        "strict_faults": ini("glue_jobs_strict_faults"),
        "default_glue_version": ini("glue_jobs_default_glue_version"),
        "extra_glue_versions": ini("glue_jobs_extra_glue_versions"),
    }
    for marker in reversed(list(request.node.iter_markers("glue_jobs"))):
        if marker.args:
            raise TypeError(
                f"@pytest.mark.glue_jobs takes keywords only; got positional {marker.args!r}."
            )
        values.update(marker.kwargs)
    try:
        return _Options(**values)
    except TypeError:
        unknown = sorted(set(values) - set(_Options.__dataclass_fields__))
        raise TypeError(
            f"@pytest.mark.glue_jobs got unknown keyword(s) {', '.join(unknown)}; "
            f"it takes: {', '.join(_Options.__dataclass_fields__)}."
        ) from None


@pytest.fixture
def glue_jobs(request: pytest.FixtureRequest) -> Iterator[GlueJobsFake]:
    """An active fake of the Glue job-definition API; every botocore client talks to it."""
    from .._fake import GlueJobsFake

    options = _options(request)
    fake = GlueJobsFake(
        region=options.region,
        account_id=options.account_id,
        default_glue_version=options.default_glue_version,
        extra_glue_versions=options.extra_glue_versions,
        real_retry_sleep=options.real_retry_sleep,
    )
    fake.snapshot_context = _snapshot_plugin.context_for(request)
    with fake:
        if options.frozen_time is not None:
            fake.freeze_time(options.frozen_time)
        for params in options.jobs:
            fake.add_job(**params)
        if isinstance(options.run_states, dict):
            for job_name, states in options.run_states.items():
                fake.run_states(job_name, *states)
        elif options.run_states is not None:
            fake.run_states("*", *options.run_states)
        for marker in reversed(list(request.node.iter_markers("glue_fault"))):
            try:
                fake.fail(*marker.args, **marker.kwargs)
            except (TypeError, ValueError) as error:
                shown = ", ".join(
                    [*map(repr, marker.args), *(f"{k}={v!r}" for k, v in marker.kwargs.items())]
                )
                pytest.fail(
                    f"@pytest.mark.glue_fault({shown}) on {request.node.nodeid}: {error}",
                    pytrace=False,
                )
        request.node.stash[_FAKE] = fake
        yield fake
        _summary.record(request.config, fake)
        _report_unfired_faults(request.node, fake, strict=options.strict_faults)


_CALL_FAILED = pytest.StashKey[bool]()
_FAKE = pytest.StashKey["GlueJobsFake"]()
#: The most calls a failed test's report lists (the last ones).
_CALLS_SHOWN = 50


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    fake = item.stash.get(_FAKE, None)
    if report.failed and fake is not None:
        # Like pytest's captured-log section: what Glue saw, beside a plain assert's failure.
        report.sections.append((f"glue_jobs calls ({report.when})", _calls_text(fake)))
    return report


def _calls_text(fake: GlueJobsFake) -> str:
    from .._core.faults import request_job_names

    calls = fake.calls
    if not calls:
        return "no Glue call reached the fake"
    lines = []
    if len(calls) > _CALLS_SHOWN:
        lines.append(f"... {len(calls) - _CALLS_SHOWN} earlier calls not shown")
    first = max(0, len(calls) - _CALLS_SHOWN)
    for number, call in enumerate(calls[first:], first + 1):
        jobs = ", ".join(request_job_names(call.operation, call.params)) or "-"
        outcome = f"{call.status} {call.error}" if call.error else str(call.status)
        injected = " (injected)" if call.injected else ""
        lines.append(f"{number:>3}. {call.operation} {jobs} -> {outcome}{injected}")
    return "\n".join(lines)


def _report_unfired_faults(node: pytest.Item, fake: GlueJobsFake, *, strict: bool) -> None:
    from .._core.faults import GlueFaultNotFiredWarning

    unfired = fake.unfired_faults()
    if not unfired:
        return
    listed = "\n".join(f"  - {fault!r}" for fault in unfired)
    message = (
        f"{len(unfired)} glue fault(s) never fired, so the test never reached the call it meant "
        f"to break:\n{listed}\nCheck the operation, job_name, after= and times= of each, or "
        "remove the fault."
    )
    # A test that failed already says what went wrong; the faults it never reached are noise.
    if strict and not node.stash.get(_CALL_FAILED, False):
        pytest.fail(
            message + "\n(strict_faults is on: unfired faults fail the test)", pytrace=False
        )
    path, lineno, _ = node.location
    warnings.warn_explicit(
        GlueFaultNotFiredWarning(message),
        GlueFaultNotFiredWarning,
        filename=str(node.config.rootpath / path),
        lineno=(lineno or 0) + 1,
    )
