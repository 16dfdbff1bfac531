"""The pytest plugin: the ``glue_jobs`` fixture, its markers and ini options.

pytest imports it in every run of an environment where the package is installed, so it imports
the fake (botocore, freezegun: about a quarter of a second) only when a test first asks for it.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from dataclasses import fields
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from .._core.partitions import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from .._core.versions import DEFAULT_GLUE_VERSION, TODAYS_DEFAULT
from .._options import FakeOptions, TestSetup
from .._transport import guard as _guard
from . import snapshot_files as _snapshot_plugin
from . import summary as _summary

if TYPE_CHECKING:
    from .._fake import GlueJobsFake


_PARTITION = ("region", "account_id")


def _marker_keywords() -> str:
    # The partition's default comes from the ini options.
    shown = {
        "region": "...",
        "account_id": "...",
        "jobs": "[{CreateJob params}, ...]",
        **{f.name: repr(f.default) for f in fields(FakeOptions) if f.name not in _PARTITION},
        "run_states": "('RUNNING', 'SUCCEEDED')",
        "strict_faults": "False",
    }
    return ", ".join(f"{name}={value}" for name, value in shown.items())


_GLUE_JOBS_MARKER = (
    f"glue_jobs({_marker_keywords()}): configure the glue_jobs fake for this test (nearest scope "
    "wins, key by key)."
)
#: Fault's parameters (a test checks that they are): importing Fault here would import botocore.
_GLUE_FAULT_MARKER = (
    "glue_fault(operation, error='InternalServiceException', *, times=None, after=0, "
    "probability=None, seed=None, message=None, job_name=None): make matching Glue calls fail, "
    "as glue_jobs.fail() does. Stackable; the test gets the glue_jobs fake."
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gluejobs", "pytest-gluejobs: an in-process fake of AWS Glue")
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
        f"GlueVersion given to jobs created without one (default {DEFAULT_GLUE_VERSION}; "
        f"{TODAYS_DEFAULT} is today's Glue, 0.9 the era of the Glue API reference)",
        default=DEFAULT_GLUE_VERSION,
    )
    parser.addini(
        "glue_jobs_extra_glue_versions",
        "Glue versions newer than the fake knows, accepted with the newest known one's rules",
        type="args",
        default=[],
    )
    parser.addini(
        "glue_jobs_virtual_time",
        "while the glue_jobs fake is active, sleeping returns at once and moves its frozen clock",
        type="bool",
        default=False,
    )


#: The name pytest registers this module under when it loads it from its entry point.
_ENTRY_POINT_NAME = "gluejobs"


@pytest.hookimpl
def pytest_plugin_registered(plugin: object, plugin_name: str, manager: Any) -> None:
    # Loaded by its entry point and by its module name too (`-p pytest_gluejobs.plugin`,
    # `pytest_plugins = [...]`), pytest would register this module twice and stop with "Plugin
    # already registered under a different name". Once registered, the other name is taken.
    if plugin is not sys.modules[__name__]:
        return
    for other in (_ENTRY_POINT_NAME, __name__):
        if other != plugin_name and manager.get_plugin(other) is None:
            manager.set_blocked(other)


_FAKES_BEFORE = pytest.StashKey[int]()
_GUARDED = pytest.StashKey[bool]()
#: The ini options' values, by the keyword of the glue_jobs marker they set the default of.
_INI_VALUES = pytest.StashKey[dict[str, Any]]()
#: The set-up those values make, checked once: every test without a glue_jobs marker gets it.
_INI_SETUP = pytest.StashKey[TestSetup]()
_INI = {
    "region": "glue_jobs_region",
    "account_id": "glue_jobs_account_id",
    "default_glue_version": "glue_jobs_default_glue_version",
    "extra_glue_versions": "glue_jobs_extra_glue_versions",
    "virtual_time": "glue_jobs_virtual_time",
    "strict_faults": "glue_jobs_strict_faults",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _GLUE_JOBS_MARKER)
    config.addinivalue_line("markers", _GLUE_FAULT_MARKER)
    values = {keyword: config.getini(name) for keyword, name in _INI.items()}
    try:
        config.stash[_INI_SETUP] = TestSetup.from_keywords(
            values, "pytest-gluejobs's ini options (glue_jobs_*)"
        )
    except (TypeError, ValueError) as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_INI_VALUES] = values
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
    # A marked test gets the fake even if it does not name the fixture. The fake comes before the
    # test's other function-scoped fixtures, so that it is active while they run, and so that
    # `monkeypatch` (and any fixture set up after the fake) is undone before the fake restores
    # the environment it changed, whatever order the test names them in.
    for item in items:
        fixturenames = getattr(item, "fixturenames", None)
        if fixturenames is None:
            continue
        wanted = item.get_closest_marker("glue_fault") or item.get_closest_marker("glue_jobs")
        if "glue_jobs" not in fixturenames and not wanted:
            continue
        first = _first_function_scoped(item, fixturenames)
        if "glue_jobs" in fixturenames:
            if fixturenames.index("glue_jobs") <= first:
                continue
            fixturenames.remove("glue_jobs")
        fixturenames.insert(first, "glue_jobs")


def _first_function_scoped(item: pytest.Item, names: list[str]) -> int:
    """Where the test's function-scoped fixtures begin (pytest sets up wider scopes first)."""
    # pytest keeps the fixture definitions an item uses on its _fixtureinfo; without them (an
    # item of another kind), no wider scope is known and the start of the list is the place.
    info = getattr(item, "_fixtureinfo", None)
    definitions = getattr(info, "name2fixturedefs", {})
    for index, name in enumerate(names):
        found = definitions.get(name)
        if not found or found[-1].scope == "function":
            return index
    return len(names)


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


def _setup(request: pytest.FixtureRequest) -> TestSetup:
    markers = list(request.node.iter_markers("glue_jobs"))
    if not markers:
        return request.config.stash[_INI_SETUP]
    ini: dict[str, Any] = request.config.stash[_INI_VALUES]
    values = dict(ini)
    for marker in reversed(markers):
        if marker.args:
            raise TypeError(
                f"@pytest.mark.glue_jobs takes keywords only; got positional {marker.args!r}."
            )
        values.update(marker.kwargs)
    return TestSetup.from_keywords(values, "@pytest.mark.glue_jobs")


@pytest.fixture
def glue_jobs(request: pytest.FixtureRequest) -> Iterator[GlueJobsFake]:
    """An active fake of the Glue job-definition API; every botocore client talks to it."""
    from .._fake import GlueJobsFake

    setup = _setup(request)
    fake = GlueJobsFake._from_options(setup.fake)
    fake.snapshot_context = _snapshot_plugin.context_for(request)
    with fake:
        for params in setup.jobs:
            fake.add_job(**params)
        scripts = setup.run_states
        if not isinstance(scripts, dict):
            scripts = {} if scripts is None else {"*": scripts}
        for job_name, states in scripts.items():
            try:
                fake.run_states(job_name, *states)
            except (TypeError, ValueError) as error:
                raise type(error)(f"@pytest.mark.glue_jobs: {error}") from None
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
        unfired = _unfired_faults(request.node, fake, strict=setup.strict_faults)
        calls, injected = fake._call_counts()
        _summary.record(request.config, calls=calls, injected=injected, unfired=unfired)


#: The outcome of the test's last phase so far (setup, then call): passed, failed or skipped.
_OUTCOME = pytest.StashKey[str]()
#: The test's fake, for the calls section of a failure's report; dropped with the last report.
_FAKE = pytest.StashKey["GlueJobsFake"]()
#: The most calls a failed test's report lists (the last ones).
_CALLS_SHOWN = 50


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when in ("setup", "call"):
        # An xfail test that failed as expected is reported skipped.
        item.stash[_OUTCOME] = report.outcome
    fake = item.stash.get(_FAKE, None)
    if report.failed and fake is not None:
        # Like pytest's captured-log section: what Glue saw, beside a plain assert's failure.
        report.sections.append((f"glue_jobs calls ({report.when})", _calls_text(fake)))
    if report.when == "teardown" and _FAKE in item.stash:
        # The test is over: its fake, store and call log may go (the item lives on to the end).
        del item.stash[_FAKE]
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


def _unfired_faults(node: pytest.Item, fake: GlueJobsFake, *, strict: bool) -> int:
    """Warn (or fail, with ``strict``) about faults that never fired; returns how many did not.

    A skipped test (or one that failed as expected) never meant to reach the calls: nothing is
    said. One that failed says what went wrong already: a warning, never a second failure.
    """
    from .._core.faults import GlueFaultNotFiredWarning

    unfired = fake.unfired_faults()
    outcome = node.stash.get(_OUTCOME, "passed")
    if not unfired or outcome == "skipped":
        return 0
    listed = "\n".join(f"  - {fault!r}" for fault in unfired)
    message = (
        f"{len(unfired)} glue fault(s) never fired, so the test never reached the call it meant "
        f"to break:\n{listed}\nCheck the operation, job_name, after= and times= of each, or "
        "remove the fault."
    )
    if strict and outcome == "passed":
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
    return len(unfired)
