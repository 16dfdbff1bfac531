"""The pytest side of snapshots: files beside the test, the update flag, the end-of-run summary.

A test's snapshot file is ``__snapshots__/<test file stem>/<test name>[--<name>].json`` beside its
test file. The test name is the node id after the file (``TestClass.test_name[param-id]``),
percent-encoded where a character is not safe in a file name (reversibly, so two test names never
make one file name; a file asserted by two tests in one run is an error all the same).

Under pytest-xdist each worker writes the files of the tests it runs (atomically, and no two tests
share a file) and sends what it asserted, wrote and collected to the controller in its
``workeroutput``; the controller, which sees every test report, prints the summary.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

if TYPE_CHECKING:
    from .._snapshots import SnapshotContext

#: The key under which a worker sends its snapshot record to the xdist controller.
_WORKER_OUTPUT = "glue_jobs_snapshots"
#: Most file systems refuse longer file names (in bytes).
_MAX_FILE_NAME = 255


def file_safe(text: str) -> str:
    """``text`` with every character a file name cannot safely hold percent-encoded (reversibly)."""
    return quote(text, safe="[]()=,+@")


def node_test_name(nodeid: str) -> str:
    """The part of a node id after the test file, with ``::`` as ``.``: ``TestX.test_y[id]``.

    Only the path to the test changes: a parameter id keeps its ``::`` (an IAM role's ARN has
    one), so that ``[a::b]`` and ``[a.b]`` name two files.
    """
    path, bracket, parameters = nodeid.partition("[")
    return ".".join(path.split("::")[1:]) + bracket + parameters


def snapshot_dir(test_file: Path) -> Path:
    return test_file.parent / "__snapshots__" / test_file.stem


class SnapshotSession:
    """What this run asserted, wrote, collected and passed: what the summary reports."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self.update = bool(config.getoption("glue_snapshot_update"))
        self._invocation_dir = Path(config.invocation_params.dir)
        self.asserted: dict[str, str] = {}  # snapshot file -> node id of the test asserting it
        self.written: dict[str, bool] = {}  # snapshot file -> whether it was created
        self.up_to_date: set[str] = set()  # snapshot files that already held their snapshot
        self.collected: dict[str, tuple[str, str]] = {}  # node id -> (test file, test name)
        self.passed: set[str] = set()

    # -- recording ------------------------------------------------------------------------------

    def claim(self, path: Path, nodeid: str) -> None:
        owner = self.asserted.setdefault(str(path), nodeid)
        if owner != nodeid:
            raise ValueError(
                f"The snapshot file {self.show(path)} belongs to both {owner} and {nodeid}; "
                "give one of the assert_snapshot() calls another name=."
            )

    def show(self, path: Path) -> str:
        try:
            return os.path.relpath(path, self._invocation_dir)
        except ValueError:  # another drive (Windows)
            return str(path)

    @pytest.hookimpl
    def pytest_itemcollected(self, item: pytest.Item) -> None:
        # Before -k/-m deselection, so a deselected test still owns its snapshot files.
        self.collected[item.nodeid] = (str(item.path), node_test_name(item.nodeid))

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and report.passed:
            self.passed.add(report.nodeid)

    # -- xdist ----------------------------------------------------------------------------------

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workeroutput = getattr(self._config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput[_WORKER_OUTPUT] = {
                "asserted": self.asserted,
                "written": self.written,
                "up_to_date": sorted(self.up_to_date),
                "collected": {nodeid: list(entry) for nodeid, entry in self.collected.items()},
            }

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        record = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
        if record is None:  # the worker died before it could send one
            return
        self.asserted.update(record["asserted"])
        self.written.update(record["written"])
        self.up_to_date.update(record["up_to_date"])
        for nodeid, (module, name) in record["collected"].items():
            self.collected[nodeid] = (module, name)

    # -- the summary ----------------------------------------------------------------------------

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(self._config, "workerinput") or not self.update:
            return
        unused = self.unused()
        if not (self.asserted or unused):
            return
        write = terminalreporter.write_line
        terminalreporter.write_sep("-", "glue_jobs snapshots")
        if self.written:
            write(f"wrote {len(self.written)} snapshot file(s):")
            for written, created in sorted(self.written.items()):
                write(f"  {'created' if created else 'updated'} {self.show(Path(written))}")
        not_written = sorted(set(self.asserted) - set(self.written) - self.up_to_date)
        if not self.written and not not_written:
            write(f"no snapshot file written: all {len(self.asserted)} asserted were up to date")
        elif self.up_to_date:
            write(f"{len(self.up_to_date)} snapshot file(s) asserted were up to date")
        if not_written:
            write(
                f"{len(not_written)} snapshot file(s) not written: their tests failed before "
                "the snapshot was written or while writing it (see the failures above):"
            )
            for missing in not_written:
                write(f"  {self.show(Path(missing))}")
        if unused:
            write(
                f"{len(unused)} snapshot file(s) that no test asserted any more "
                "(delete them if nothing needs them):"
            )
            for path in unused:
                write(f"  {self.show(path)}")

    def unused(self) -> list[Path]:
        """Snapshot files beside test files that ran, which no test of this run asserted.

        A file is reported only when this run proves no test wants it: every test that could own
        it (by name) ran and passed without asserting it, or no test could own it and the whole
        test file was collected (not just some of its tests named by node id).
        """
        by_module: dict[str, dict[str, str]] = {}
        for nodeid, (module, name) in self.collected.items():
            by_module.setdefault(module, {})[file_safe(name)] = nodeid
        ran = {self.collected[nodeid][0] for nodeid in self.passed if nodeid in self.collected}
        partial = self._modules_selected_by_node()
        found: list[Path] = []
        for module in sorted(ran):
            tests = by_module[module]
            for path in sorted(snapshot_dir(Path(module)).glob("*.json")):
                if str(path) in self.asserted:
                    continue
                owners = [
                    nodeid
                    for stem, nodeid in tests.items()
                    if path.stem == stem or path.stem.startswith(stem + "--")
                ]
                if owners:
                    if all(owner in self.passed for owner in owners):
                        found.append(path)
                elif Path(module).resolve() not in partial:
                    found.append(path)
        return found

    def _modules_selected_by_node(self) -> set[Path]:
        return {
            (self._invocation_dir / arg.split("::")[0]).resolve()
            for arg in self._config.args
            if "::" in arg
        }


class _TestSnapshots:
    """The SnapshotContext of one running test."""

    def __init__(self, session: SnapshotSession, item: pytest.Item) -> None:
        self._session = session
        self._item = item
        self._claimed: set[Path] = set()

    @property
    def update(self) -> bool:
        return self._session.update

    def path_for(self, name: str | None) -> Path:
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"assert_snapshot(name=...) must be a non-empty string; got {name!r}.")
        stem = file_safe(node_test_name(self._item.nodeid))
        if name is not None:
            stem += "--" + file_safe(name)
        file_name = stem + ".json"
        size = len(file_name.encode())
        if size > _MAX_FILE_NAME:
            raise ValueError(
                f"The snapshot file name for {self._item.nodeid} would be {size} bytes long, "
                f"more than file systems allow ({_MAX_FILE_NAME}); give the "
                "parametrized test shorter ids (ids=... or pytest.param(..., id=...)) or use a "
                "shorter name=."
            )
        return snapshot_dir(self._item.path) / file_name

    def claim(self, path: Path) -> None:
        if path in self._claimed:
            raise ValueError(
                f"This test already asserted the snapshot {self.show(path)}; give each "
                "assert_snapshot() call in a test its own name=."
            )
        self._claimed.add(path)
        self._session.claim(path, self._item.nodeid)

    def wrote(self, path: Path, *, created: bool) -> None:
        self._session.written[str(path)] = created

    def up_to_date(self, path: Path) -> None:
        self._session.up_to_date.add(str(path))

    def show(self, path: Path) -> str:
        return self._session.show(path)

    def update_command(self) -> str:
        rest = self._item.nodeid.partition("::")[2]
        target = self._session.show(self._item.path) + (f"::{rest}" if rest else "")
        return f"pytest {shlex.quote(target)} --glue-snapshot-update"


_SESSION = pytest.StashKey[SnapshotSession]()


def configure(config: pytest.Config) -> None:
    """Start recording this run's snapshots (called from the plugin's pytest_configure)."""
    session = SnapshotSession(config)
    config.stash[_SESSION] = session
    config.pluginmanager.register(session, "glue_jobs_snapshots")
    _keep_syrupy_off_our_files(config)


def _keep_syrupy_off_our_files(config: pytest.Config) -> None:
    # syrupy's default (amber) extension takes every file under __snapshots__/ that it does not
    # own for an unused snapshot of its own: it fails the run over them and deletes them on
    # --snapshot-update. Its --snapshot-ignore-file-extensions is the one way to keep it off them.
    if not config.pluginmanager.has_plugin("syrupy"):
        return
    ignored = list(getattr(config.option, "ignore_file_extensions", None) or [])
    if "json" not in ignored:
        config.option.ignore_file_extensions = [*ignored, "json"]


def context_for(request: pytest.FixtureRequest) -> SnapshotContext | None:
    """The snapshot context of the requesting test."""
    session = request.config.stash.get(_SESSION, None)
    if session is None:
        return None
    return _TestSnapshots(session, request.node)
