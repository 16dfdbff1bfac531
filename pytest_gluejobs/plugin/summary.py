"""The one-line end-of-run summary of what the glue_jobs fixture did: calls, faults, snapshots.

Shown with ``-v``, or without it when something needs attention (a fault that never fired, a
snapshot file written). Under pytest-xdist each worker counts its own tests and sends the counts to
the controller in its ``workeroutput``; the controller prints the line.
"""

from __future__ import annotations

from typing import Any

import pytest

#: The key under which a worker sends its counts to the xdist controller.
_WORKER_OUTPUT = "glue_jobs_usage"
_PLUGIN_NAME = "glue_jobs_usage"
_COUNTS = ("tests", "calls", "injected", "unfired")


class FakeUsage:
    """What the glue_jobs fixtures of this run did, summed over tests (and xdist workers)."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self.counts = dict.fromkeys(_COUNTS, 0)

    def record(self, *, calls: int, injected: int, unfired: int) -> None:
        self.counts["tests"] += 1
        self.counts["calls"] += calls
        self.counts["injected"] += injected
        self.counts["unfired"] += unfired

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workeroutput = getattr(self._config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput[_WORKER_OUTPUT] = dict(self.counts)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        counts = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT, {})
        for key in _COUNTS:
            self.counts[key] += counts.get(key, 0)

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(self._config, "workerinput") or not self.counts["tests"]:
            return
        snapshots = self._config.pluginmanager.get_plugin("glue_jobs_snapshots")
        written = len(getattr(snapshots, "written", {}))
        unfired = self.counts["unfired"]
        if self._config.get_verbosity() <= 0 and not unfired and not written:
            return
        counts = self.counts
        line = (
            f"glue_jobs: {_count(counts['tests'], 'test')} used the fake: "
            f"{_count(counts['calls'], 'call')} answered, "
            f"{_count(counts['injected'], 'injected fault')}, "
            f"{_count(written, 'snapshot file')} written"
        )
        if unfired:
            line += f"; {_count(unfired, 'fault')} never fired (see the warnings above)"
        terminalreporter.write_line(line, yellow=bool(unfired))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def configure(config: pytest.Config) -> None:
    """Start counting (called from the plugin's pytest_configure)."""
    config.pluginmanager.register(FakeUsage(config), _PLUGIN_NAME)


def record(config: pytest.Config, *, calls: int, injected: int, unfired: int) -> None:
    """Count what one test's fake did (called by the fixture at teardown)."""
    usage = config.pluginmanager.get_plugin(_PLUGIN_NAME)
    if isinstance(usage, FakeUsage):
        usage.record(calls=calls, injected=injected, unfired=unfired)
