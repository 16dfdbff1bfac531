"""The controller's helpers on its fake's state: jobs, tags, runs, snapshots, loading, assertions.

``StateHelpers`` is a part of ``GlueJobsFake`` kept in a module of its own: everything here works
through the fake's ``ServiceState`` (copies out, checked data in) and its call log, never through
the store, the rules or the runs themselves.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import _assertions, _loading, _snapshots
from ._core.errors import GlueError
from ._core.partitions import Partition
from ._core.state import ServiceState

if TYPE_CHECKING:
    from ._transport.calls import Call, CallLog


class StateHelpers:
    """What a test reads, seeds and asserts of its fake's state (a part of GlueJobsFake)."""

    region: str
    account_id: str
    _state: ServiceState
    _calls: CallLog
    #: Set by the pytest plugin so that assert_snapshot knows its test; None outside pytest.
    snapshot_context: _snapshots.SnapshotContext | None

    def _partition(self, region: str | None, account_id: str | None) -> Partition:
        return (account_id or self.account_id, region or self.region)

    @property
    def calls(self) -> list[Call]:
        """Every HTTP attempt that reached the fake, in order."""
        return self._calls.snapshot()

    # -- jobs and tags --------------------------------------------------------------------------

    @property
    def jobs(self) -> dict[str, dict[str, Any]]:
        """The default partition's jobs by name, each shaped as GetJob returns it (copies)."""
        return self.jobs_in()

    def jobs_in(
        self, region: str | None = None, account_id: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """Another partition's jobs by name (copies)."""
        return self._state.jobs(self._partition(region, account_id))

    def job(
        self, name: str, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, Any] | None:
        """One job as GetJob returns it (a copy), or None."""
        return self._state.job(self._partition(region, account_id), name)

    def tags(
        self, name: str, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, str]:
        """The job's tags (a copy); KeyError if there is no such job."""
        partition = self._partition(region, account_id)
        tags = self._state.tags(partition, name)
        if tags is None:
            raise KeyError(
                f"No job named {name!r} in {partition[0]}/{partition[1]}; "
                f"jobs there: {self._state.job_names(partition)[:20]}"
            )
        return tags

    def add_job(
        self, *, region: str | None = None, account_id: str | None = None, **params: Any
    ) -> dict[str, Any]:
        """Seed a job with CreateJob's exact validation and defaults; returns it as GetJob would."""
        try:
            # As a client would send them: tuples become lists, non-JSON values are refused.
            params = json.loads(json.dumps(params))
        except (TypeError, ValueError) as error:
            raise ValueError(f"add_job: the parameters are not JSON data: {error}") from None
        try:
            return self._state.add_job(self._partition(region, account_id), params)
        except GlueError as error:
            raise ValueError(
                f"add_job: Glue would refuse this CreateJob with {error.code}: {error.message}"
            ) from None

    # -- job runs -------------------------------------------------------------------------------

    def runs(
        self,
        job_name: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """One job's runs, or every job's, newest first, shaped as GetJobRun's JobRun (copies).

        Reading them here does not move them on (GetJobRun and GetJobRuns do).
        """
        return self._state.runs(self._partition(region, account_id), job_name)

    def triggers(
        self, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """Every trigger by name, shaped as GetTrigger's Trigger (copies).

        Activated SCHEDULED triggers fire first at each time due on the fake's clock.
        """
        return self._state.triggers(self._partition(region, account_id))

    def run_states(
        self,
        job_name: str,
        *states: str,
        error_message: str | None = None,
        logs: list[str] | None = None,
    ) -> None:
        """Script the states the job's next runs go through after STARTING, one step per read.

        The default is RUNNING then SUCCEEDED. ``error_message`` is the ErrorMessage of a run that
        ends FAILED, TIMEOUT or ERROR. A run whose last state is not final stays in it (until its
        Timeout passes on the fake's clock, ``finish_run`` or BatchStopJobRun). ``job_name="*"``
        scripts every job that has no script of its own, in every partition. ``logs`` are the
        lines each run writes to CloudWatch Logs (``<LogGroupName>/output``, stream = run id)
        when it starts running; a run's ErrorMessage goes to ``<LogGroupName>/error``.
        """
        partition = None if job_name == "*" else self._partition(None, None)
        self._state.script_runs(partition, job_name, states, error_message, logs)

    def finish_run(
        self, run_id: str, state: str = "SUCCEEDED", *, error_message: str | None = None
    ) -> dict[str, Any]:
        """End a run now in a final state (a FAILED one is retried if its job's MaxRetries allow).

        Returns the run as GetJobRun would show it.
        """
        return self._state.finish_run(run_id, state, error_message)

    # -- assertions -----------------------------------------------------------------------------

    def assert_job(
        self,
        name: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **expected: Any,
    ) -> dict[str, Any]:
        """The job exists and every given field matches (nested dicts as subsets); returns it."""
        __tracebackhide__ = True
        partition = self._partition(region, account_id)
        any_calls = self._calls.counts()[0] > 0
        return _assertions.assert_job(self._state, name, partition, expected, any_calls=any_calls)

    def assert_no_job(
        self, name: str, *, region: str | None = None, account_id: str | None = None
    ) -> None:
        """The job does not exist."""
        __tracebackhide__ = True
        _assertions.assert_no_job(self._state, name, self._partition(region, account_id))

    def assert_job_names(
        self, *names: str, region: str | None = None, account_id: str | None = None
    ) -> None:
        """The partition holds exactly these job names."""
        __tracebackhide__ = True
        _assertions.assert_job_names(self._state, names, self._partition(region, account_id))

    def assert_called(
        self, operation: str, *, times: int | None = None, **params: Any
    ) -> list[Call]:
        """The operation was called (exactly ``times`` times if given) with matching params."""
        __tracebackhide__ = True
        return _assertions.assert_called(self.calls, operation, times, params)

    def assert_not_called(self, operation: str) -> None:
        """The operation was never called."""
        __tracebackhide__ = True
        _assertions.assert_not_called(self.calls, operation)

    # -- snapshots -----------------------------------------------------------------------------

    def snapshot(self, *, timestamps: bool = False) -> dict[str, Any]:
        """The whole state as plain JSON-able data: {"<account>/<region>": {name: job+Tags}},
        and, if there are triggers, {"Triggers": {"<account>/<region>": {name: trigger+Tags}}}."""
        return _snapshots.snapshot_data(self._state.everything(), timestamps=timestamps)

    def assert_snapshot(self, name: str | None = None, *, timestamps: bool = False) -> None:
        """Compare snapshot() with the stored snapshot file of this test."""
        __tracebackhide__ = True
        actual = self.snapshot(timestamps=timestamps)
        _snapshots.assert_snapshot(self.snapshot_context, actual, name)

    def load(self, snapshot_data: dict[str, Any]) -> None:
        """Seed the fake from snapshot()-shaped data (its inverse): all of it, or nothing."""
        _loading.load(self._state, snapshot_data)
