"""GlueJobsFake: the controller a test holds — activation, state access, faults, assertions."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Any

import botocore.session
import freezegun

from . import _assertions, _snapshots
from ._core import runs as _runs
from ._core.errors import GlueError
from ._core.faults import Fault, FaultRules
from ._core.jsondata import clone
from ._core.service import GlueJobsService
from ._core.service import now as _now
from ._core.store import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, Partition
from ._core.versions import DEFAULT_GLUE_VERSION
from ._transport import activation as _activation
from ._transport import interceptor as _interceptor
from ._transport import server as _server
from ._transport.calls import Call, CallLog
from ._transport.signing import TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from freezegun.api import (
        FrozenDateTimeFactory,
        StepTickTimeFactory,
        TickingDateTimeFactory,
    )

# While active, clients that find no configuration get these; nothing can reach AWS anyway.
_TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": TEST_ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": TEST_SECRET_ACCESS_KEY,
}
# botocore asks the instance-metadata service for credentials, for the region of
# AWS_DEFAULTS_MODE=auto, and so on; while a fake is active nothing it does may reach the network.
_SET_WHILE_ACTIVE = {**_TEST_CREDENTIALS, "AWS_EC2_METADATA_DISABLED": "true"}
# A session token would not match the test keys; a named profile would override them (botocore
# skips environment credentials when a profile is set explicitly); the container credential
# provider calls an HTTP endpoint.
_UNSET_WHILE_ACTIVE = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    # It would make child processes ignore AWS_ENDPOINT_URL_GLUE.
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


def active_fake_count() -> int:
    """How many fakes are active now (a pytest session remembers it at its start)."""
    return len(_activation.active_owners())


def stop_fakes_started_after(count: int) -> None:
    """Stop the fakes started after ``count`` were active and left running (newest first)."""
    while True:
        owners = _activation.active_owners()
        if len(owners) <= count:
            return
        newest = owners[-1]
        assert isinstance(newest, GlueJobsFake)
        newest.stop()


@cache
def _botocore_session() -> botocore.session.Session:
    # One session for the process: building one reloads service models (moto's 100 ms per test).
    return botocore.session.get_session()


class GlueJobsFake:
    """An in-process fake of the Glue job-definition API, answering every botocore client.

    The ``glue_jobs`` fixture and ``mock_glue_jobs`` create and activate it; construct it yourself
    only for type hints.
    """

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
        default_glue_version: str = DEFAULT_GLUE_VERSION,
        extra_glue_versions: tuple[str, ...] | list[str] = (),
        real_retry_sleep: bool = False,
    ) -> None:
        self.region = region
        self.account_id = account_id
        try:
            self._service = GlueJobsService(
                default_glue_version=default_glue_version,
                extra_glue_versions=tuple(extra_glue_versions),
            )
        except GlueError as error:
            raise ValueError(f"default_glue_version: {error.message}") from None
        self._faults = FaultRules()
        self._calls = CallLog()
        self._interceptor = _interceptor.Interceptor(
            self._service,
            self._faults,
            self._calls,
            default_partition=(account_id, region),
            real_retry_sleep=real_retry_sleep,
        )
        self._endpoint: _server.LoopbackEndpoint | None = None
        self._freezers: list[Any] = []
        #: Set by the pytest plugin so that assert_snapshot knows its test; None outside pytest.
        self.snapshot_context: _snapshots.SnapshotContext | None = None

    def __repr__(self) -> str:
        active = "active" if _activation.is_active(self) else "stopped"
        jobs = self.jobs_in()
        names = ", ".join(list(jobs)[:5]) + (", ..." if len(jobs) > 5 else "")
        calls, _ = self._calls.counts()
        return (
            f"<GlueJobsFake {self.account_id}/{self.region} {active}: {len(jobs)} job(s)"
            f"{f' ({names})' if jobs else ''}, {calls} call(s), {len(self.faults)} fault(s)>"
        )

    # -- activation ----------------------------------------------------------------------------

    def start(self) -> GlueJobsFake:
        """Answer Glue requests from now on (the fixture and mock_glue_jobs do this for you).

        The fake answers the requests of the thread or asyncio task that starts it (and of the
        tasks and threads it starts); the environment variables it sets are the process's.
        """
        environ: dict[str, str | None] = dict.fromkeys(_UNSET_WHILE_ACTIVE)
        environ.update(_SET_WHILE_ACTIVE)
        environ["AWS_DEFAULT_REGION"] = self.region
        # The JavaScript and Java SDKs read this one, not AWS_DEFAULT_REGION.
        environ["AWS_REGION"] = self.region
        # Child processes (`aws glue ...`, scripts, other SDKs) send their Glue requests to this
        # fake's loopback endpoint, not to AWS.
        self._open_endpoint()
        environ["AWS_ENDPOINT_URL_GLUE"] = self.endpoint_url
        _activation.activate(self, self._interceptor, environ)
        return self

    def stop(self) -> None:
        """Stop answering: undo the patch, the environment and any frozen clock. Idempotent."""
        try:
            while self._freezers:
                self._freezers.pop().stop()
        finally:
            if self._endpoint is not None:
                self._endpoint.close()
            _activation.deactivate(self)

    def __enter__(self) -> GlueJobsFake:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> GlueJobsFake:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _open_endpoint(self) -> None:
        # Before activation, whose environment names it; kept when a second start is refused.
        if self._endpoint is None or self._endpoint.closed:
            self._endpoint = _server.LoopbackEndpoint(self._interceptor)

    @property
    def endpoint_url(self) -> str:
        """The loopback address (``http://127.0.0.1:<port>``) where other processes reach the fake.

        While the fake is active its child processes inherit it as ``AWS_ENDPOINT_URL_GLUE``, with
        credentials it answers. Each start opens a new port; once the fake stops, its port
        refuses connections.
        """
        if self._endpoint is None:
            raise RuntimeError(
                "This Glue fake has not been started, so it has no endpoint yet: use the "
                "glue_jobs fixture, or read endpoint_url inside `with mock_glue_jobs() as fake:`."
            )
        return self._endpoint.url

    # -- clients and state ---------------------------------------------------------------------

    def client(self, region_name: str | None = None, **kwargs: Any) -> BaseClient:
        """A botocore Glue client with test credentials, aimed at this fake."""
        kwargs.setdefault("aws_access_key_id", _TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"])
        kwargs.setdefault("aws_secret_access_key", _TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
        return _botocore_session().create_client(
            "glue", region_name=region_name or self.region, **kwargs
        )

    def _partition(self, region: str | None, account_id: str | None) -> Partition:
        return (account_id or self.account_id, region or self.region)

    @property
    def jobs(self) -> dict[str, dict[str, Any]]:
        """The default partition's jobs by name, each shaped as GetJob returns it (copies)."""
        return self.jobs_in()

    def jobs_in(
        self, region: str | None = None, account_id: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """Another partition's jobs by name (copies)."""
        with self._service.store.partition(self._partition(region, account_id)) as jobs:
            return {name: clone(jobs.jobs[name].data) for name in jobs.names}

    def job(
        self, name: str, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, Any] | None:
        """One job as GetJob returns it (a copy), or None."""
        with self._service.store.partition(self._partition(region, account_id)) as jobs:
            record = jobs.jobs.get(name)
            return None if record is None else clone(record.data)

    def tags(
        self, name: str, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, str]:
        """The job's tags (a copy); KeyError if there is no such job."""
        partition = self._partition(region, account_id)
        with self._service.store.partition(partition) as jobs:
            if name not in jobs.jobs:
                raise KeyError(
                    f"No job named {name!r} in {partition[0]}/{partition[1]}; "
                    f"jobs there: {jobs.names[:20]}"
                )
            return dict(jobs.jobs[name].tags)

    def add_job(
        self, *, region: str | None = None, account_id: str | None = None, **params: Any
    ) -> dict[str, Any]:
        """Seed a job with CreateJob's exact validation and defaults; returns it as GetJob would."""
        partition = self._partition(region, account_id)
        try:
            # As a client would send them: tuples become lists, non-JSON values are refused.
            params = json.loads(json.dumps(params))
        except (TypeError, ValueError) as error:
            raise ValueError(f"add_job: the parameters are not JSON data: {error}") from None
        name = str(params.get("Name"))  # read first: the service takes the request over
        try:
            self._service.handle("CreateJob", params, partition)
        except GlueError as error:
            raise ValueError(
                f"add_job: Glue would refuse this CreateJob with {error.code}: {error.message}"
            ) from None
        job = self.job(name, region=partition[1], account_id=partition[0])
        assert job is not None
        return job

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
        self._service.triggers.catch_up(_now())  # scheduled triggers fire up to now
        with self._service.store.partition(self._partition(region, account_id)) as jobs:
            if job_name is not None:
                runs = list(jobs.runs.get(job_name, ()))
            else:
                runs = [run for job_runs in jobs.runs.values() for run in job_runs]
            runs.sort(key=lambda run: (run.data["StartedOn"], run.number))
            return [clone(run.data) for run in reversed(runs)]

    def triggers(
        self, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """Every trigger by name, shaped as GetTrigger's Trigger (copies); schedules catch up."""
        partition = self._partition(region, account_id)
        return self._service.triggers.all_of(partition, _now())

    def run_states(self, job_name: str, *states: str, error_message: str | None = None) -> None:
        """Script the states the job's next runs go through after STARTING, one step per read.

        The default is RUNNING then SUCCEEDED. ``error_message`` is the ErrorMessage of a run that
        ends FAILED, TIMEOUT or ERROR. A run whose last state is not final stays in it (until its
        Timeout passes on the fake's clock, ``finish_run`` or BatchStopJobRun). ``job_name="*"``
        scripts every job that has no script of its own, in every partition.
        """
        script = _runs.make_script(states, error_message)
        if job_name == "*":
            self._service.runs.default_script = script
            return
        with self._service.store.partition(self._partition(None, None)) as jobs:
            jobs.scripts[job_name] = script

    def finish_run(
        self, run_id: str, state: str = "SUCCEEDED", *, error_message: str | None = None
    ) -> dict[str, Any]:
        """End a run now in a final state (a FAILED one is retried if its job's MaxRetries allow).

        Returns the run as GetJobRun would show it.
        """
        if state not in _runs.FINAL_STATES:
            raise ValueError(
                f"finish_run: state {state!r} is not a final state; choose one of "
                f"{', '.join(_runs.FINAL_STATES)}."
            )
        with self._service.store.all_partitions() as partitions:
            for jobs in partitions.values():
                for name, job_runs in jobs.runs.items():
                    for run in job_runs:
                        if run.data["Id"] != run_id:
                            continue
                        if run.state in _runs.FINAL_STATES:
                            raise ValueError(
                                f"finish_run: run {run_id} of {name} already ended {run.state}."
                            )
                        self._service.runs.finish(
                            jobs, name, run, state, at=_now(), error_message=error_message
                        )
                        return clone(run.data)
            known = [
                run.data["Id"] for p in partitions.values() for r in p.runs.values() for run in r
            ]
        raise KeyError(f"finish_run: no run {run_id!r} in this fake; its runs: {known[:10]}")

    @property
    def calls(self) -> list[Call]:
        """Every HTTP attempt that reached the fake, in order."""
        return self._calls.snapshot()

    def _call_counts(self) -> tuple[int, int]:
        """(calls, injected failures) without making a Call of each (for the run's summary)."""
        return self._calls.counts()

    def reset(self) -> None:
        """Forget all jobs, calls and faults."""
        self._service.store.clear()
        self._calls.clear()
        self._faults.clear()

    # -- faults ---------------------------------------------------------------------------------

    def fail(
        self,
        operation: str,
        error: str = "InternalServiceException",
        *,
        times: int | None = None,
        after: int = 0,
        probability: float | None = None,
        seed: int | None = None,
        message: str | None = None,
        job_name: str | None = None,
    ) -> Fault:
        """Make matching calls fail with one of Glue's errors; returns the Fault."""
        fault = Fault(
            operation,
            error,
            times=times,
            after=after,
            probability=probability,
            seed=seed,
            message=message,
            job_name=job_name,
        )
        return self._faults.add(fault)

    @property
    def faults(self) -> list[Fault]:
        """The faults in force, in the order they are consulted."""
        return self._faults.all()

    def unfired_faults(self) -> list[Fault]:
        """Faults added since the last reset that never failed a call."""
        return self._faults.unfired()

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
        return _assertions.assert_job(self, name, self._partition(region, account_id), expected)

    def assert_no_job(
        self, name: str, *, region: str | None = None, account_id: str | None = None
    ) -> None:
        """The job does not exist."""
        __tracebackhide__ = True
        _assertions.assert_no_job(self, name, self._partition(region, account_id))

    def assert_job_names(
        self, *names: str, region: str | None = None, account_id: str | None = None
    ) -> None:
        """The partition holds exactly these job names."""
        __tracebackhide__ = True
        _assertions.assert_job_names(self, names, self._partition(region, account_id))

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

    # -- snapshots and time ---------------------------------------------------------------------

    def snapshot(self, *, timestamps: bool = False) -> dict[str, Any]:
        """The whole state as plain JSON-able data: {"<account>/<region>": {name: job+Tags}}."""
        with self._service.store.all_partitions() as partitions:
            state = {
                partition: [
                    (
                        jobs.jobs[name].data,
                        jobs.jobs[name].tags,
                        [run.data for run in reversed(jobs.runs.get(name, []))],
                    )
                    for name in jobs.names
                ]
                for partition, jobs in partitions.items()
            }
            return _snapshots.snapshot_data(state, timestamps=timestamps)

    def assert_snapshot(self, name: str | None = None, *, timestamps: bool = False) -> None:
        """Compare snapshot() with the stored snapshot file of this test."""
        __tracebackhide__ = True
        _snapshots.assert_snapshot(self, name, timestamps=timestamps)

    def load(self, snapshot_data: dict[str, Any]) -> None:
        """Seed the fake from snapshot()-shaped data (its inverse)."""
        _snapshots.load(self, snapshot_data)

    def freeze_time(
        self, when: str | datetime | date | timedelta
    ) -> FrozenDateTimeFactory | StepTickTimeFactory | TickingDateTimeFactory:
        """Freeze the clock the fake (and everything else) reads; undone when the fake stops."""
        # pytest's own clock (test durations) keeps running.
        freezer = freezegun.freeze_time(when, ignore=["_pytest.timing"])
        # Typed here: freezegun before 1.5 declares start() as returning Any.
        factory: FrozenDateTimeFactory | StepTickTimeFactory | TickingDateTimeFactory
        factory = freezer.start()
        self._freezers.append(freezer)
        return factory
