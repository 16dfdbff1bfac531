"""Concurrency: many threads, each with its own botocore client, on one fake.

Guarantee (docs/reliability.md): 8 threads x 500 mixed calls lose no job, never see a torn job or a
torn page, and leave ``calls`` with exactly one entry per HTTP attempt. Each thread works on its
own jobs (so it knows exactly what must exist at the end) and on a few shared names (so threads
race on the same job); every UpdateJob writes two fields that must always agree, so a job read
half-way through a write would show it. No faults are injected and the attempts are counted from
botocore's own ``ResponseMetadata.RetryAttempts``.
"""

from __future__ import annotations

import random
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_gluejobs import GlueJobsFake


@pytest.fixture(autouse=True)
def frequent_thread_switches() -> Iterator[None]:
    # Switch threads every few microseconds instead of every 5 ms, so races have a chance.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(interval)


THREADS = 8
CALLS_PER_THREAD = 500
SHARED = ("shared-a", "shared-b", "shared-c")


def _definition(name: str, version: int) -> dict[str, Any]:
    # Description and DefaultArguments are written together; they must always agree.
    return {
        "Role": "role",
        "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/k.py"},
        "Description": f"{name}@{version}",
        "DefaultArguments": {"--version": str(version)},
    }


def _assert_whole(job: dict[str, Any]) -> None:
    version = job["DefaultArguments"]["--version"]
    assert job["Description"] == f"{job['Name']}@{version}", f"torn job: {job}"
    assert job["Command"]["Name"] == "glueetl"


class Worker:
    """One thread's calls; records what it sent so the fake's log can be checked against it."""

    def __init__(self, index: int, client: Any, barrier: threading.Barrier) -> None:
        self.index = index
        self.client = client
        self.barrier = barrier
        self.random = random.Random(index)
        self.own: dict[str, int] = {}  # name -> version, for the jobs this thread holds
        self.sent: Counter[tuple[str, str | None]] = Counter()
        self.attempts = 0
        self.calls = 0
        self.error: BaseException | None = None

    def call(self, operation: str, method: str, job_name: str | None, **params: Any) -> Any:
        self.calls += 1
        try:
            response = getattr(self.client, method)(**params)
        except ClientError as error:
            response = error.response
            result: Any = error
        else:
            result = response
        self.attempts += response["ResponseMetadata"]["RetryAttempts"] + 1
        self.sent[(operation, job_name)] += response["ResponseMetadata"]["RetryAttempts"] + 1
        return result

    def run(self) -> None:
        try:
            self.barrier.wait()
            while self.calls < CALLS_PER_THREAD:
                self.step()
        except BaseException as error:  # reported by the test, with the thread's traceback
            self.error = error

    def step(self) -> None:
        roll = self.random.random()
        if roll < 0.2 or not self.own:
            name = f"t{self.index}-{self.random.randrange(40):02d}"
            result = self.call("CreateJob", "create_job", name, Name=name, **_definition(name, 0))
            if isinstance(result, ClientError):
                assert result.response["Error"]["Code"] == "AlreadyExistsException"
                assert name in self.own
            else:
                assert name not in self.own
                self.own[name] = 0
        elif roll < 0.35:
            name = self.random.choice(sorted(self.own))
            version = self.own[name] + 1
            self.call(
                "UpdateJob", "update_job", name, JobName=name, JobUpdate=_definition(name, version)
            )
            self.own[name] = version
        elif roll < 0.45:
            name = self.random.choice(sorted(self.own))
            self.call("DeleteJob", "delete_job", name, JobName=name)
            del self.own[name]
        elif roll < 0.6:
            name = self.random.choice(sorted(self.own))
            job = self.call("GetJob", "get_job", name, JobName=name)["Job"]
            _assert_whole(job)
            assert job["DefaultArguments"]["--version"] == str(self.own[name])
        elif roll < 0.75:
            self.page_through("GetJobs", "get_jobs")
        elif roll < 0.85:
            self.page_through("ListJobs", "list_jobs")
        elif roll < 0.92:
            names = [*self.random.sample(sorted(self.own), min(3, len(self.own))), "missing"]
            response = self.call("BatchGetJobs", "batch_get_jobs", None, JobNames=names)
            found = {job["Name"] for job in response["Jobs"]}
            assert found | set(response["JobsNotFound"]) == set(names)
            assert found == set(names) - {"missing"}
            for job in response["Jobs"]:
                _assert_whole(job)
        else:
            self.race_on_a_shared_name()

    def page_through(self, operation: str, method: str) -> None:
        params: dict[str, Any] = {"MaxResults": self.random.choice((1, 7, 50, 1000))}
        seen: list[str] = []
        while self.calls < CALLS_PER_THREAD:
            page = self.call(operation, method, None, **params)
            if operation == "GetJobs":
                names = [job["Name"] for job in page["Jobs"]]
                for job in page["Jobs"]:
                    _assert_whole(job)
            else:
                names = page["JobNames"]
            assert len(names) <= params["MaxResults"]
            assert names == sorted(set(names)), f"torn page: {names}"
            seen += names
            if "NextToken" not in page:
                # Jobs this thread held throughout were listed (nobody else deletes them).
                assert set(self.own) <= set(seen)
                break
            params["NextToken"] = page["NextToken"]
        assert len(seen) == len(set(seen)), "a job was listed twice"

    def race_on_a_shared_name(self) -> None:
        name = self.random.choice(SHARED)
        if self.random.random() < 0.5:
            self.call("CreateJob", "create_job", name, Name=name, **_definition(name, 0))
        else:
            self.call("DeleteJob", "delete_job", name, JobName=name)


def test_eight_threads_lose_nothing_tear_nothing_and_log_every_attempt(
    glue_jobs: GlueJobsFake,
) -> None:
    barrier = threading.Barrier(THREADS)
    # Clients are built first: building them is the slow part, and not what is tested.
    workers = [Worker(i, glue_jobs.client(), barrier) for i in range(THREADS)]
    threads = [threading.Thread(target=worker.run) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for worker in workers:
        if worker.error is not None:
            raise AssertionError(f"thread {worker.index} failed") from worker.error
        assert worker.calls == CALLS_PER_THREAD

    # No job lost, none extra: each thread's jobs, plus whichever shared names won the races.
    jobs = glue_jobs.jobs
    expected = {name: version for worker in workers for name, version in worker.own.items()}
    assert {name for name in jobs if name not in SHARED} == set(expected)
    for name, version in expected.items():
        assert jobs[name]["DefaultArguments"] == {"--version": str(version)}
        _assert_whole(jobs[name])

    # Exactly one log entry per attempt, and the same requests that were sent.
    calls = glue_jobs.calls
    assert len(calls) == sum(worker.attempts for worker in workers) == THREADS * CALLS_PER_THREAD
    sent: Counter[tuple[str, str | None]] = Counter()
    for worker in workers:
        sent += worker.sent
    logged = Counter(
        (call.operation, call.params.get("JobName", call.params.get("Name"))) for call in calls
    )
    assert logged == sent
    assert all(not call.injected for call in calls)


def test_racing_creates_of_one_name_have_exactly_one_winner(glue_jobs: GlueJobsFake) -> None:
    rounds = 30
    barrier = threading.Barrier(THREADS)
    clients = [glue_jobs.client() for _ in range(THREADS)]
    outcomes: list[list[str]] = [[] for _ in range(THREADS)]

    def race(index: int) -> None:
        for round_ in range(rounds):
            barrier.wait()
            try:
                clients[index].create_job(
                    Name=f"race-{round_}", **_definition(f"race-{round_}", index)
                )
                outcomes[index].append("won")
            except ClientError as error:
                outcomes[index].append(error.response["Error"]["Code"])

    threads = [threading.Thread(target=race, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for round_ in range(rounds):
        results = [outcomes[index][round_] for index in range(THREADS)]
        assert results.count("won") == 1, results
        assert results.count("AlreadyExistsException") == THREADS - 1, results
        winner = results.index("won")
        # The stored job is the winner's, whole.
        job = glue_jobs.job(f"race-{round_}")
        assert job is not None
        assert job["DefaultArguments"] == {"--version": str(winner)}
    assert len(glue_jobs.calls) == THREADS * rounds
