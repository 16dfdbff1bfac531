"""What the benchmark asks: the jobs, the calls timed, their sizes and the contenders' names."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/GlueJobRole"
PAGE = 100
TAG_FILTER = {"team": "data"}

BASELINE = "baseline"
FAKE = "pytest-gluejobs"
MOTO = "moto"

Client = Any  # a botocore Glue client; botocore ships no type information
Job = dict[str, Any]
Seed = Callable[[Client, Sequence[Job]], None]


def isolate_environment() -> None:
    """Make every client see the same credentials and no user configuration or metadata service."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )


def job_params(name: str, *, tagged: bool = False) -> Job:
    """CreateJob parameters of a realistic Spark job (valid for Glue, the fake and moto)."""
    params: Job = {
        "Name": name,
        "Description": "Nightly load of the orders table into the lake",
        "Role": ROLE,
        "Command": {
            "Name": "glueetl",
            "ScriptLocation": f"s3://bench-scripts/jobs/{name}.py",
            "PythonVersion": "3",
        },
        "DefaultArguments": {
            "--job-language": "python",
            "--TempDir": "s3://bench-scripts/tmp/",
            "--enable-metrics": "true",
            "--enable-continuous-cloudwatch-log": "true",
        },
        "ExecutionProperty": {"MaxConcurrentRuns": 1},
        "MaxRetries": 1,
        "Timeout": 120,
        "GlueVersion": "4.0",
        "WorkerType": "G.1X",
        "NumberOfWorkers": 10,
        "Tags": {"env": "bench", **(TAG_FILTER if tagged else {})},
    }
    return params


def job_update(i: int) -> Job:
    """A JobUpdate (every CreateJob member but Name and Tags) that changes the size each call."""
    update = job_params("bench-0000")
    del update["Name"], update["Tags"]
    update["NumberOfWorkers"] = 10 + i % 2
    return update


def job_name(i: int) -> str:
    return f"bench-{i:04d}"


def jobs(n: int, *, tag_every: int = 0) -> list[Job]:
    return [
        job_params(job_name(i), tagged=bool(tag_every) and i % tag_every == 0) for i in range(n)
    ]


@dataclass(frozen=True)
class Op:
    """One per-call benchmark: the state it needs and the call it times."""

    label: str
    operation: str
    state: Callable[[Sizes], list[Job]]
    call: Callable[[Client, int, Sizes], object]
    batch: Callable[[Sizes], int]
    moto_note: str = ""  # why moto cannot take part, if it cannot


def _get_job(c: Client, i: int, s: Sizes) -> object:
    return c.get_job(JobName=job_name(0))


def _create_job(c: Client, i: int, s: Sizes) -> object:
    # a fresh name every call; each contender starts from an empty store, so all do the same work
    return c.create_job(**job_params(f"bench-new-{i:06d}"))


def _update_job(c: Client, i: int, s: Sizes) -> object:
    return c.update_job(JobName=job_name(0), JobUpdate=job_update(i))


def _get_jobs_page(c: Client, i: int, s: Sizes) -> object:
    return c.get_jobs(MaxResults=PAGE)


def _list_jobs_tagged(c: Client, i: int, s: Sizes) -> object:
    return c.list_jobs(Tags=TAG_FILTER, MaxResults=1000)


def _batch_get_jobs(c: Client, i: int, s: Sizes) -> object:
    return c.batch_get_jobs(JobNames=[job_name(k) for k in range(s.batch_get_names)])


def ops() -> list[Op]:
    return [
        Op("GetJob", "GetJob", lambda s: jobs(1), _get_job, lambda s: s.small_batch),
        Op("CreateJob", "CreateJob", lambda s: [], _create_job, lambda s: s.small_batch),
        Op(
            "UpdateJob",
            "UpdateJob",
            lambda s: jobs(1),
            _update_job,
            lambda s: s.small_batch,
            moto_note="moto has no UpdateJob",
        ),
        Op(
            "GetJobs, one 100-job page",
            "GetJobs",
            lambda s: jobs(2 * PAGE),
            _get_jobs_page,
            lambda s: s.page_batch,
        ),
        Op(
            "ListJobs, tag filter over {s.list_jobs_store:,} jobs",
            "ListJobs",
            lambda s: jobs(s.list_jobs_store, tag_every=10),
            _list_jobs_tagged,
            lambda s: s.page_batch,
        ),
        Op(
            "BatchGetJobs, 25 names",
            "BatchGetJobs",
            lambda s: jobs(s.batch_get_names),
            _batch_get_jobs,
            lambda s: s.page_batch,
        ),
    ]


@dataclass(frozen=True)
class Sizes:
    name: str
    rounds: int
    warmup: int  # untimed calls before each timed batch
    small_batch: int  # calls per timed batch for single-job calls
    page_batch: int  # calls per timed batch for calls that answer many jobs
    chunks: int  # baseline and fake alternate this many times per batch
    list_jobs_store: int
    batch_get_names: int
    activation_iters: dict[str, int]
    e2e_iters: dict[str, int]
    paging_jobs: int
    memory_jobs: int
    async_calls: int  # calls per timed turn through aiobotocore
    growth_jobs: tuple[int, int]  # jobs in the partition: the small store and the large one
    growth_runs: tuple[int, int]  # runs of one job: the small history and the large one
    growth_rounds: int  # rounds of the growth measure (its bar, 1.3, needs fewer)
    growth_batch: int  # calls per timed batch in the growth measure (pages: page_batch)
    release_tests: int  # tests run one after another to see that their memory is released
    release_jobs: int  # jobs each of those tests creates


FULL = Sizes(
    name="default",
    # Write ratios sit within 0.01 of their bar, and per-round ratios spread ±0.04 on a shared
    # 2-core machine: the verdict needs the steadier median of more rounds.
    rounds=21,
    warmup=5,
    small_batch=150,
    page_batch=15,
    chunks=10,
    list_jobs_store=1000,
    batch_get_names=25,
    activation_iters={FAKE: 300, MOTO: 20},
    e2e_iters={FAKE: 30, MOTO: 10},
    paging_jobs=10_000,
    memory_jobs=10_000,
    async_calls=200,
    growth_jobs=(100, 50_000),
    growth_runs=(10, 5_000),
    growth_rounds=7,
    growth_batch=60,
    release_tests=200,
    release_jobs=50,
)
QUICK = Sizes(
    name="quick",
    rounds=2,
    warmup=1,
    small_batch=3,
    page_batch=2,
    chunks=1,
    list_jobs_store=30,
    batch_get_names=25,
    activation_iters={FAKE: 3, MOTO: 1},
    e2e_iters={FAKE: 1, MOTO: 1},
    paging_jobs=3 * PAGE,
    memory_jobs=3 * PAGE,
    async_calls=3,
    growth_jobs=(20, 60),
    growth_runs=(10, 30),
    growth_rounds=1,
    growth_batch=2,
    release_tests=3,
    release_jobs=5,
)
