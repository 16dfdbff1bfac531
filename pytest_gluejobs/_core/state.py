"""A fake's service state as its controller's helpers see it: read copies out, seed data in.

The controller (``GlueJobsFake``) and its helpers (assertions, snapshots, loading) work through
``ServiceState`` rather than the store, the rules and the runs themselves. Everything handed out is
a copy; everything taken in is checked first and added all at once, or not at all.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .jsondata import clone
from .partitions import Partition
from .runs import FINAL_STATES, Run, make_script
from .service import GlueJobsService
from .service import now as service_now
from .trigger_rules import TriggerRecord

#: A job as snapshots show it and loading takes it: its fields, its tags, its runs (oldest first).
JobState = tuple[dict[str, Any], dict[str, str], list[dict[str, Any]]]
#: A trigger as snapshots show it: its fields (as GetTrigger shows them) and its tags.
TriggerState = tuple[dict[str, Any], dict[str, str]]


class Everything(NamedTuple):
    """The whole state, read at one moment: each partition's jobs and triggers, in name order."""

    jobs: dict[Partition, list[JobState]]
    triggers: dict[Partition, list[TriggerState]]


class NamesTaken(ValueError):
    """Seeding would replace jobs or triggers that exist: nothing was seeded."""

    def __init__(self, partition: Partition, kind: str, names: list[str]) -> None:
        super().__init__(partition, kind, names)
        self.partition = partition
        #: "job" or "trigger"
        self.kind = kind
        self.names = names


class ServiceState:
    """One fake's service, and what its controller may read and seed in it."""

    def __init__(self, default_glue_version: str, extra_glue_versions: tuple[str, ...]) -> None:
        self.default_glue_version = default_glue_version
        self.extra_glue_versions = extra_glue_versions
        self.service = self._new_service()

    def _new_service(self) -> GlueJobsService:
        return GlueJobsService(
            default_glue_version=self.default_glue_version,
            extra_glue_versions=self.extra_glue_versions,
        )

    def reset(self) -> GlueJobsService:
        """Forget everything: a new, empty service with the same settings (returned)."""
        self.service = self._new_service()
        return self.service

    def scratch(self) -> ServiceState:
        """An empty state with the same settings, to try things on."""
        return ServiceState(self.default_glue_version, self.extra_glue_versions)

    # -- jobs ---------------------------------------------------------------------------------

    def jobs(self, partition: Partition) -> dict[str, dict[str, Any]]:
        with self.service.store.partition(partition) as jobs:
            records = [(name, jobs.jobs[name]) for name in jobs.names]
        return {name: clone(record.data) for name, record in records}

    def job(self, partition: Partition, name: str) -> dict[str, Any] | None:
        with self.service.store.partition(partition) as jobs:
            record = jobs.jobs.get(name)
        return None if record is None else clone(record.data)

    def tags(self, partition: Partition, name: str) -> dict[str, str] | None:
        """The job's tags (a copy), or None if there is no such job."""
        with self.service.store.partition(partition) as jobs:
            record = jobs.jobs.get(name)
            return None if record is None else dict(record.tags)

    def job_names(self, partition: Partition) -> list[str]:
        """The partition's job names in name order (a copy)."""
        with self.service.store.partition(partition) as jobs:
            return list(jobs.names)

    def holds_exactly(self, partition: Partition, names: set[str]) -> bool:
        """Whether the partition's jobs are exactly ``names``: costs len(names), not the store."""
        with self.service.store.partition(partition) as jobs:
            return len(jobs.jobs) == len(names) and all(name in jobs.jobs for name in names)

    def partitions_with(self, name: str) -> list[Partition]:
        with self.service.store.all_partitions() as partitions:
            return sorted(key for key, jobs in partitions.items() if name in jobs.jobs)

    def add_job(self, partition: Partition, params: dict[str, Any]) -> dict[str, Any]:
        """CreateJob with ``params`` (handed over); returns the job. GlueError if refused."""
        name = str(params.get("Name"))  # read first: the service takes the request over
        self.service.handle("CreateJob", params, partition)
        job = self.job(partition, name)
        assert job is not None
        return job

    # -- runs -----------------------------------------------------------------------------------

    def runs(self, partition: Partition, job_name: str | None) -> list[dict[str, Any]]:
        """One job's runs, or every job's, newest first (copies)."""
        self.service.triggers.catch_up(service_now())  # scheduled triggers fire up to now
        with self.service.store.partition(partition) as jobs:
            if job_name is not None:
                runs = list(jobs.runs.get(job_name, ()))
            else:
                runs = [run for job_runs in jobs.runs.values() for run in job_runs]
            runs.sort(key=lambda run: (run.data["StartedOn"], run.number))
            return [clone(run.data) for run in reversed(runs)]

    def triggers(self, partition: Partition) -> dict[str, dict[str, Any]]:
        """The partition's triggers by name, as GetTrigger shows them (copies), caught up."""
        return self.service.triggers.all_of(partition, service_now())

    def script_runs(
        self,
        partition: Partition | None,
        job_name: str,
        states: tuple[str, ...],
        error_message: str | None,
        logs: object = None,
    ) -> None:
        """Script a job's next runs; ``partition`` None scripts every job without a script."""
        script = make_script(states, error_message, logs)
        if partition is None:
            self.service.runs.default_script = script
            return
        with self.service.store.partition(partition) as jobs:
            jobs.scripts[job_name] = script

    def finish_run(self, run_id: str, state: str, error_message: str | None) -> dict[str, Any]:
        """End a run now; ValueError if it cannot end so, KeyError if there is no such run."""
        if state not in FINAL_STATES:
            raise ValueError(
                f"finish_run: state {state!r} is not a final state; choose one of "
                f"{', '.join(FINAL_STATES)}."
            )
        service = self.service
        with service.store.all_partitions() as partitions:
            for jobs in partitions.values():
                for name, job_runs in jobs.runs.items():
                    for run in job_runs:
                        if run.data["Id"] != run_id:
                            continue
                        if run.state in FINAL_STATES:
                            raise ValueError(
                                f"finish_run: run {run_id} of {name} already ended {run.state}."
                            )
                        service.runs.finish(
                            jobs, name, run, state, at=service_now(), error_message=error_message
                        )
                        return clone(run.data)
            known = [
                run.data["Id"] for p in partitions.values() for r in p.runs.values() for run in r
            ]
        raise KeyError(f"finish_run: no run {run_id!r} in this fake; its runs: {known[:10]}")

    # -- the whole state ------------------------------------------------------------------------

    def everything(self) -> Everything:
        """Every partition's jobs (with tags and runs) and triggers (with tags), in name order,
        copied at one moment; activated SCHEDULED triggers fire first at each time due."""
        self.service.triggers.catch_up(service_now())
        with self.service.store.all_partitions() as partitions:
            return Everything(
                jobs={
                    partition: [
                        (
                            clone(jobs.jobs[name].data),
                            dict(jobs.jobs[name].tags),
                            [clone(run.data) for run in jobs.runs.get(name, ())],
                        )
                        for name in jobs.names
                    ]
                    for partition, jobs in partitions.items()
                },
                triggers={
                    partition: [
                        (clone(jobs.triggers[name].data), dict(jobs.triggers[name].tags))
                        for name in sorted(jobs.triggers)
                    ]
                    for partition, jobs in partitions.items()
                    if jobs.triggers
                },
            )

    def seed(
        self,
        jobs: dict[Partition, list[JobState]],
        triggers: dict[Partition, list[TriggerRecord]],
    ) -> None:
        """Add jobs (tags, runs) and triggers: all, or none if a name is taken (NamesTaken).

        Each job must be one CreateJob accepts, each trigger one CreateTrigger accepts given
        the jobs there will be; the caller checked them (see ``scratch``).
        """
        service = self.service
        with service.store.all_partitions():
            for partition, built in jobs.items():
                with service.store.partition(partition) as stored:
                    clash = [job["Name"] for job, _, _ in built if job["Name"] in stored.jobs]
                    if clash:
                        raise NamesTaken(partition, "job", clash)
            for partition, records in triggers.items():
                with service.store.partition(partition) as stored:
                    taken = [r.data["Name"] for r in records if r.data["Name"] in stored.triggers]
                    if taken:
                        raise NamesTaken(partition, "trigger", taken)
            # Runs that ended before the load ended before its triggers existed.
            ended_before: dict[Partition, set[str]] = {}
            for partition in triggers:
                with service.store.partition(partition) as stored:
                    ended_before[partition] = {
                        run.data["Id"]
                        for job_runs in stored.runs.values()
                        for run in job_runs
                        if run.state in FINAL_STATES
                    }
            runs = service.runs
            for partition, built in jobs.items():
                with service.store.partition(partition) as stored:
                    for job, tags, job_runs in built:
                        name = job["Name"]
                        stored.put(name, job, tags)
                        if not job_runs:
                            continue
                        script = stored.scripts.get(name, runs.default_script)
                        stored.runs[name] = [Run(data, script) for data in job_runs]
            now = service_now()
            for partition, records in triggers.items():
                with service.store.partition(partition) as stored:
                    service.triggers.restore(
                        stored, partition, records, ended_before[partition], now
                    )
