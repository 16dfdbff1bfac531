"""Benchmark pytest-gluejobs against the physical limit at its interception point and against moto.

Everything is measured in one process, through real botocore Glue clients, by three contenders:

- ``baseline``: ``botocore.endpoint.Endpoint._send`` wrapped (with wrapt, as the fake does) to
  return a canned, pre-encoded response for the operation -- the bytes the fake answered for the
  same state, captured before timing -- and nothing else. Nothing that answers at this
  interception point can be faster.
- ``pytest-gluejobs``: ``mock_glue_jobs()``.
- ``moto``: ``moto.mock_aws()`` (left out with a note when moto is not installed).

Async clients are measured apart, through a real aiobotocore client, against an async baseline at
``AioEndpoint._send`` (left out with a note when aiobotocore is not installed).

Rounds interleave the contenders (A B C, B C A, ...) so that noise on a shared machine hits them
alike; each figure is the median over rounds. The results are printed as Markdown and written into
``docs/performance.md`` between the result markers (the hand-written parts of that file are kept).

    python benchmarks/run.py                  # default sizes: a few minutes on 2 cores
    python benchmarks/run.py --quick --output /tmp/perf.md   # tiny sizes, to see that it runs
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import gc
import itertools
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractContextManager, AsyncExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/GlueJobRole"
PAGE = 100
TAG_FILTER = {"team": "data"}
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "docs" / "performance.md"
START_MARK = "<!-- benchmark-results:start -->"
END_MARK = "<!-- benchmark-results:end -->"

BASELINE = "baseline"
FAKE = "pytest-gluejobs"
MOTO = "moto"

Client = Any  # a botocore Glue client; botocore ships no type information
Job = dict[str, Any]
Seed = Callable[[Client, Sequence[Job]], None]
T = TypeVar("T")


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


# --------------------------------------------------------------------------------------------------
# What is asked


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
)


# --------------------------------------------------------------------------------------------------
# The contenders


@dataclass(frozen=True)
class Contender:
    name: str
    # enter: the interception is on; the value seeds jobs through the given client or directly
    active: Callable[[], AbstractContextManager[Seed]]


class _CannedRaw:
    """The smallest object ``AWSResponse.content`` can read a body from."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self) -> tuple[bytes]:
        return (self._body,)


Canned = dict[bytes, tuple[int, dict[str, str], bytes]]


def baseline_swap(canned: Canned) -> Callable[[], AbstractContextManager[None]]:
    """The baseline: while entered, ``Endpoint._send`` answers ``canned`` and does nothing else.

    It is installed in place of whatever is there (the fake's wrapper, between the fake's own
    batches), exactly as the fake installs its own: a wrapt FunctionWrapper around botocore's
    original method. Everything else the fake patches while active is put back as it was before
    for the baseline's turns too (moto's hook, botocore's request signer and the ``time`` module
    of ``botocore.endpoint``), so that nothing the fake installs runs for the baseline.
    """
    import botocore.endpoint
    import wrapt
    from botocore.awsrequest import AWSResponse
    from botocore.signers import RequestSigner

    endpoint = botocore.endpoint.Endpoint
    original_send = endpoint.__dict__["_send"]
    if isinstance(original_send, wrapt.FunctionWrapper):
        raise RuntimeError("Endpoint._send is already patched; build the baseline before that")
    stubber = getattr(sys.modules.get("moto.core.botocore_stubber"), "BotocoreStubber", None)
    original_hook = None if stubber is None else stubber.__dict__["__call__"]
    original_signing = RequestSigner.__dict__["get_auth_instance"]
    original_time = botocore.endpoint.time

    def send(wrapped: object, instance: object, args: tuple[Any, ...], kwargs: Job) -> AWSResponse:
        request = args[0] if args else kwargs["request"]
        status, headers, body = canned[request.headers["X-Amz-Target"]]
        return AWSResponse(request.url, status, headers, _CannedRaw(body))

    baseline = wrapt.FunctionWrapper(original_send, send)

    @contextmanager
    def swapped_in() -> Iterator[None]:
        saved_send = endpoint.__dict__["_send"]
        saved_hook = None if stubber is None else stubber.__dict__["__call__"]
        saved_signing = RequestSigner.__dict__["get_auth_instance"]
        saved_time = botocore.endpoint.time
        endpoint._send = baseline
        if stubber is not None:
            stubber.__call__ = original_hook
        RequestSigner.get_auth_instance = original_signing
        botocore.endpoint.time = original_time
        try:
            yield
        finally:
            endpoint._send = saved_send
            if stubber is not None:
                stubber.__call__ = saved_hook
            RequestSigner.get_auth_instance = saved_signing
            botocore.endpoint.time = saved_time

    return swapped_in


def fake_contender() -> Contender:
    from pytest_gluejobs import mock_glue_jobs

    @contextmanager
    def active() -> Iterator[Seed]:
        with mock_glue_jobs(region=REGION) as fake:

            def seed(client: Client, jobs: Sequence[Job]) -> None:
                for params in jobs:
                    fake.add_job(**params)

            yield seed

    return Contender(FAKE, active)


def moto_contender() -> Contender:
    from moto import mock_aws

    @contextmanager
    def active() -> Iterator[Seed]:
        with mock_aws():
            # moto has no seeding API for Glue: create through the client, as its users do
            def seed(client: Client, jobs: Sequence[Job]) -> None:
                for params in jobs:
                    client.create_job(**params)

            yield seed

    return Contender(MOTO, active)


def moto_missing() -> str | None:
    """Why moto cannot run, or None."""
    try:
        import moto.glue  # noqa: F401  (its Glue backend has extra needs, e.g. pyparsing)
    except ImportError as exc:
        return (
            f"moto's Glue backend cannot be imported ({exc}); `pip install 'moto[glue]'` to compare"
        )
    return None


# --------------------------------------------------------------------------------------------------
# Measuring


class Clients:
    """Clients built the same way for every contender, from one session that is not boto3's default.

    moto swaps boto3's default session out while it is active; a private session is never touched,
    so no contender pays for another's session rebuild.
    """

    def __init__(self) -> None:
        import boto3

        self._session = boto3.session.Session(region_name=REGION)

    def new(self) -> Client:
        return self._session.client(
            "glue",
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@dataclass
class Samples:
    """Per-round figures (seconds) of each contender for one measure."""

    by: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.by.setdefault(name, []).append(value)

    def median(self, name: str) -> float | None:
        values = self.by.get(name)
        return statistics.median(values) if values else None

    def ratios(self, num: str, den: str) -> list[float]:
        """The ratio of the two contenders' figures in each round (measured side by side)."""
        a, b = self.by.get(num), self.by.get(den)
        if not a or not b:
            return []
        return [x / y for x, y in zip(a, b, strict=True)]

    def ratio(self, num: str, den: str) -> float | None:
        """The median of the per-round ratios: steadier than a ratio of medians when the
        machine's load drifts between rounds."""
        ratios = self.ratios(num, den)
        return statistics.median(ratios) if ratios else None

    def ratio_range(self, num: str, den: str) -> tuple[float, float] | None:
        """Smallest and largest per-round ratio: how noisy the ratio is."""
        ratios = self.ratios(num, den)
        return (min(ratios), max(ratios)) if ratios else None


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rotated(items: Sequence[T], k: int) -> list[T]:
    k %= len(items)
    return [*items[k:], *items[:k]]


def timed_calls(call: Callable[[int], object], start: int, n: int) -> float:
    """CPU seconds per call over ``n`` calls numbered from ``start``.

    CPU time of this process, not wall time: everything measured runs in this one thread without
    I/O or sleeping, so the two differ only by the time other processes held the CPU -- which on
    a shared 2-core machine is most of the noise. Callers collect garbage before their warm-up
    calls, not here: a collection walks the whole heap and leaves the caches cold for whoever
    comes next.
    """
    t0 = time.process_time()
    for i in range(start, start + n):
        call(i)
    return (time.process_time() - t0) / n


def capture_canned(fake: Contender, clients: Clients, sizes: Sizes) -> Canned:
    """The fake's own answer (status, headers, body) to each benchmarked call, for the baseline."""
    canned: Canned = {}
    for op in ops():
        with fake.active() as seed:
            client = clients.new()
            seed(client, op.state(sizes))

            def keep(http_response: Any, operation: str = op.operation, **_: object) -> None:
                # after-call: an event every botocore this project supports emits.
                canned[f"AWSGlue.{operation}".encode()] = (
                    http_response.status_code,
                    dict(http_response.headers),
                    http_response.content,
                )

            client.meta.events.register(f"after-call.glue.{op.operation}", keep)
            op.call(client, 0, sizes)
    return canned


def measure_calls(
    fake: Contender,
    baseline: Callable[[], AbstractContextManager[None]],
    moto: Contender | None,
    clients: Clients,
    sizes: Sizes,
) -> dict[str, Samples]:
    """Per-call CPU time of each operation, for each contender, one figure per round.

    Baseline and fake alternate in short chunks within one activation of the fake (the baseline
    swapped in for its chunks), so that they see the same machine from one moment to the next;
    moto, whose activation is heavy, takes its turn before or after them, in rotation.
    """
    results = {op.operation: Samples() for op in ops()}
    groups = [FAKE] + ([MOTO] if moto is not None else [])
    for r in range(sizes.rounds):
        progress(f"  per-call round {r + 1}/{sizes.rounds}")
        for op in ops():
            for group in rotated(groups, r):
                if group == FAKE:
                    fake_time, baseline_time = paired_calls(fake, baseline, op, clients, sizes)
                    results[op.operation].add(FAKE, fake_time)
                    results[op.operation].add(BASELINE, baseline_time)
                elif moto is not None and not op.moto_note:
                    results[op.operation].add(MOTO, single_calls(moto, op, clients, sizes))
    return results


def paired_calls(
    fake: Contender,
    baseline: Callable[[], AbstractContextManager[None]],
    op: Op,
    clients: Clients,
    sizes: Sizes,
) -> tuple[float, float]:
    """CPU seconds per call of the fake and of the baseline, in alternating chunks."""
    n = op.batch(sizes)
    per_chunk = max(1, n // sizes.chunks)
    spent = {FAKE: 0.0, BASELINE: 0.0}
    with fake.active() as seed:
        client = clients.new()
        seed(client, op.state(sizes))
        numbers = itertools.count()  # the fake's calls get fresh numbers (CreateJob names)
        gc.collect()
        for _ in range(sizes.warmup):
            op.call(client, next(numbers), sizes)
        with baseline():
            for i in range(sizes.warmup):
                op.call(client, i, sizes)
        for chunk in range(n // per_chunk):
            for who in (FAKE, BASELINE) if chunk % 2 == 0 else (BASELINE, FAKE):
                swap = baseline() if who == BASELINE else nullcontext()
                with swap:
                    t0 = time.process_time()
                    for _ in range(per_chunk):
                        op.call(client, next(numbers), sizes)
                    spent[who] += time.process_time() - t0
    calls = per_chunk * (n // per_chunk)
    return spent[FAKE] / calls, spent[BASELINE] / calls


def single_calls(contender: Contender, op: Op, clients: Clients, sizes: Sizes) -> float:
    with contender.active() as seed:
        client = clients.new()
        seed(client, op.state(sizes))
        gc.collect()
        for i in range(sizes.warmup):
            op.call(client, i, sizes)
        return timed_calls(lambda i: op.call(client, i, sizes), sizes.warmup, op.batch(sizes))


def measure_activation(contenders: Sequence[Contender], sizes: Sizes) -> Samples:
    """Entering and leaving the interception with nothing done inside, per enter + exit."""
    samples = Samples()
    for r in range(sizes.rounds):
        for contender in rotated(contenders, r):
            n = sizes.activation_iters[contender.name]

            def enter_exit(i: int, c: Contender = contender) -> None:
                with c.active():
                    pass

            gc.collect()
            enter_exit(0)  # untimed: the first entry after another contender may load things
            samples.add(contender.name, timed_calls(enter_exit, 0, n))
    return samples


def measure_end_to_end(contenders: Sequence[Contender], sizes: Sizes) -> Samples:
    """A typical test: interception on, ``boto3.client("glue")``, three calls, interception off."""
    import boto3

    samples = Samples()
    for r in range(sizes.rounds):
        for contender in rotated(contenders, r):
            n = sizes.e2e_iters[contender.name]

            def one_test(i: int, c: Contender = contender) -> None:
                with c.active():
                    client = boto3.client("glue", region_name=REGION)
                    client.create_job(**job_params("nightly"))
                    client.get_job(JobName="nightly")
                    client.get_jobs(MaxResults=PAGE)

            gc.collect()
            one_test(0)  # untimed: builds boto3's default session once, as a test suite does
            samples.add(contender.name, timed_calls(one_test, 0, n))
    return samples


#: What loading the plugin costs, measured in a new interpreter that has imported pytest: the
#: plugin module (imported by every pytest run where the package is installed, tests using it or
#: not) and, apart, what the first test that asks for the fake imports on top.
PLUGIN_LOAD = {
    "the plugin (every pytest run)": "import pytest_gluejobs.plugin",
    "the fake (a run's first glue_jobs test)": "import pytest_gluejobs.plugin; "
    "pytest_gluejobs.GlueJobsFake",
}
_TIMED_IMPORT = (
    "import time, pytest\n"
    "start = time.process_time()\n"
    "{statement}\n"
    "print(time.process_time() - start)\n"
)


def measure_plugin_load(rounds: int) -> Samples:
    """CPU seconds of each PLUGIN_LOAD statement, each round in new interpreters.

    Timed inside the new process: a whole pytest run's CPU time varies by ±100 ms from run to
    run on a shared machine, which would drown the tens of milliseconds measured here.
    """
    samples = Samples()
    for r in range(rounds + 1):
        for name in rotated(list(PLUGIN_LOAD), r):
            script = _TIMED_IMPORT.format(statement=PLUGIN_LOAD[name])
            printed = subprocess.run(
                [sys.executable, "-c", script], check=True, capture_output=True, text=True
            ).stdout
            if r:  # the first round only fills the byte-code caches
                samples.add(name, float(printed))
    return samples


def measure_paging(fake: Contender, clients: Clients, sizes: Sizes) -> Samples:
    """All pages of ``paging_jobs`` jobs against as many calls for the first page, in one store."""
    pages = sizes.paging_jobs // PAGE
    samples = Samples()
    with fake.active() as seed:
        client = clients.new()
        seed(client, jobs(sizes.paging_jobs))

        def all_pages() -> None:
            token: str | None = None
            seen = 0
            for _ in range(pages):
                response = client.get_jobs(
                    MaxResults=PAGE, **({"NextToken": token} if token else {})
                )
                seen += len(response["Jobs"])
                token = response.get("NextToken")
            if seen != sizes.paging_jobs:
                raise RuntimeError(f"paging returned {seen} jobs, expected {sizes.paging_jobs}")

        def first_page() -> None:
            for _ in range(pages):
                client.get_jobs(MaxResults=PAGE)

        variants: list[tuple[str, Callable[[], None]]] = [("all", all_pages), ("first", first_page)]
        all_pages()  # warm-up
        for r in range(sizes.rounds):
            gc.collect()
            first_page()  # untimed, after the collection
            for name, run in variants[r % 2 :] + variants[: r % 2]:
                samples.add(name, timed_calls(lambda i, f=run: f(), 0, 1))
    return samples


@dataclass(frozen=True)
class Memory:
    jobs: int
    peak: int  # bytes above the empty fake, at the highest point while storing
    retained: int  # bytes above the empty fake once all are stored


def measure_memory(fake: Contender, clients: Clients, sizes: Sizes) -> Memory:
    gc.collect()
    tracemalloc.start()
    try:
        with fake.active() as seed:
            client = clients.new()
            gc.collect()
            start = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            for i in range(sizes.memory_jobs):
                seed(client, [job_params(job_name(i), tagged=i % 10 == 0)])
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Memory(sizes.memory_jobs, peak - start, current - start)


# --------------------------------------------------------------------------------------------------
# Reporting


@dataclass(frozen=True)
class Bar:
    text: str
    measured: float | None
    limit: float
    at_most: bool  # True: measured <= limit passes; False: measured >= limit passes
    unit: str = "x"

    def verdict(self) -> str:
        if self.measured is None:
            return "not measured"
        ok = self.measured <= self.limit if self.at_most else self.measured >= self.limit
        return "pass" if ok else "**FAIL**"


@dataclass
class Results:
    sizes: Sizes
    command: str
    started: dt.datetime
    seconds: float
    cpu_seconds: float
    moto_note: str | None
    calls: dict[str, Samples]
    activation: Samples
    end_to_end: Samples
    paging: Samples
    memory: Memory
    async_calls: AsyncResult | None
    plugin_load: Samples


def us(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e6:,.0f} µs"


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e3:,.1f} ms"


def times(value: float | None, spread: tuple[float, float] | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}x"
    if spread is not None:
        text += f" ({spread[0]:.2f}-{spread[1]:.2f})"
    return text


def versions() -> str:
    names = ["botocore", "boto3", "wrapt", "pytest-gluejobs", "moto"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def code_version() -> str:
    """The commit of the pytest-gluejobs measured, and whether its work tree differed from it."""
    import pytest_gluejobs

    checkout = Path(pytest_gluejobs.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(checkout), "describe", "--always", "--dirty=+uncommitted changes"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def bars(res: Results) -> list[Bar]:
    out: list[Bar] = []
    for op in ("GetJob", "CreateJob", "UpdateJob", "GetJobs"):
        out.append(
            Bar(
                f"{op}: pytest-gluejobs / baseline ≤ 1.15",
                res.calls[op].ratio(FAKE, BASELINE),
                1.15,
                True,
            )
        )
    for op in ("GetJob", "CreateJob"):
        out.append(
            Bar(f"{op}: moto / pytest-gluejobs ≥ 2", res.calls[op].ratio(MOTO, FAKE), 2, False)
        )
    act = res.activation.ratio(FAKE, MOTO)
    out.append(
        Bar(
            "activation + deactivation ≤ 5 % of mock_aws() enter + exit",
            None if act is None else act * 100,
            5,
            True,
            unit=" %",
        )
    )
    out.append(
        Bar(
            "typical test end to end ≥ 10x faster than under mock_aws",
            res.end_to_end.ratio(MOTO, FAKE),
            10,
            False,
        )
    )
    out.append(
        Bar(
            f"paging {res.sizes.paging_jobs:,} jobs ≤ 1.5 x "
            f"({res.sizes.paging_jobs // PAGE} x one page)",
            res.paging.ratio("all", "first"),
            1.5,
            True,
        )
    )
    out.append(
        Bar(
            f"peak memory for {res.memory.jobs:,} stored jobs < 50 MB",
            res.memory.peak / 1e6,
            50,
            True,
            unit=" MB",
        )
    )
    unused = res.plugin_load.median("the plugin (every pytest run)")
    out.append(
        Bar(
            "loading the plugin in a pytest run whose tests do not use it ≤ 20 ms",
            None if unused is None else unused * 1e3,
            20,
            True,
            unit=" ms",
        )
    )
    return out


def render_plugin_load(samples: Samples) -> list[str]:
    lines = [
        "",
        "### Loading the plugin",
        "",
        "CPU time of the import, in a new interpreter that has imported pytest (median over the "
        "rounds).",
        "",
        "| Import of | statement | CPU time |",
        "| --- | --- | ---: |",
    ]
    for name, statement in PLUGIN_LOAD.items():
        lines.append(f"| {name} | `{statement}` | {ms(samples.median(name))} |")
    return lines


def render(res: Results) -> str:
    s = res.sizes
    lines = [
        f"Run {res.started:%Y-%m-%d %H:%M} UTC, {s.name} sizes, {s.rounds} rounds; "
        f"{res.seconds:.0f} s wall-clock for {res.cpu_seconds:.0f} s of CPU "
        "(the difference is time other processes held the CPU). Figures are CPU time.",
        "",
        f"- Command: `{res.command}`",
        f"- Machine: {os.cpu_count()} cores ({cpu_model()}), "
        f"{platform.system()} {platform.release()}, "
        f"{platform.python_implementation()} {platform.python_version()}",
        f"- Packages: {versions()}; pytest-gluejobs at {code_version()}",
    ]
    if res.moto_note:
        lines.append(f"- moto: {res.moto_note}")
    if s.name != FULL.name:
        lines.append(
            "- **Quick run: sizes too small for the figures or the verdicts to mean anything.**"
        )
    lines += [
        "",
        "### Per call, through a real botocore client",
        "",
        "Median CPU time per call over the rounds. A ratio is the median of the per-round "
        "ratios, with the smallest and largest in brackets, which shows the noise. Baseline and "
        "pytest-gluejobs alternate in short chunks within each round; moto runs next to them.",
        "",
        "| Call | baseline | pytest-gluejobs | moto "
        "| pytest-gluejobs / baseline | moto / pytest-gluejobs |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for op in ops():
        sam = res.calls[op.operation]
        label = op.label.format(s=s)
        moto_cell = us(sam.median(MOTO))
        moto_ratio = times(sam.ratio(MOTO, FAKE), sam.ratio_range(MOTO, FAKE))
        if op.moto_note:
            moto_cell, moto_ratio = op.moto_note, "—"
        fake_ratio = times(sam.ratio(FAKE, BASELINE), sam.ratio_range(FAKE, BASELINE))
        lines.append(
            f"| {label} | {us(sam.median(BASELINE))} | {us(sam.median(FAKE))} | {moto_cell} "
            f"| {fake_ratio} | {moto_ratio} |"
        )
    act, e2e, pag = res.activation, res.end_to_end, res.paging
    act_ratio = act.ratio(FAKE, MOTO)
    lines += [
        "",
        "### Set-up and whole tests",
        "",
        "| Measure | pytest-gluejobs | moto "
        "| pytest-gluejobs as share of moto | moto / pytest-gluejobs |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| activation + deactivation (`mock_glue_jobs()` / `mock_aws()` enter + exit) "
        f"| {us(act.median(FAKE))} | {us(act.median(MOTO))} "
        f"| {'—' if act_ratio is None else f'{act_ratio:.2%}'} | {times(act.ratio(MOTO, FAKE))} |",
        "| typical test: activate, `boto3.client('glue')`, CreateJob + GetJob + GetJobs, "
        "deactivate "
        f"| {ms(e2e.median(FAKE))} | {ms(e2e.median(MOTO))} | "
        f"{'—' if e2e.ratio(FAKE, MOTO) is None else f'{e2e.ratio(FAKE, MOTO):.2%}'} "
        f"| {times(e2e.ratio(MOTO, FAKE), e2e.ratio_range(MOTO, FAKE))} |",
        "",
        "### Scaling (pytest-gluejobs)",
        "",
        "| Measure | time | against | ratio |",
        "| --- | ---: | ---: | ---: |",
        f"| paging {s.paging_jobs:,} jobs, {PAGE} per page, following NextToken "
        f"| {ms(pag.median('all'))} "
        f"| {s.paging_jobs // PAGE} x the first page: {ms(pag.median('first'))} "
        f"| {times(pag.ratio('all', 'first'), pag.ratio_range('all', 'first'))} |",
        "",
        f"Memory (tracemalloc) for {res.memory.jobs:,} stored jobs: "
        f"peak {res.memory.peak / 1e6:.1f} MB above the empty fake, "
        f"{res.memory.retained / 1e6:.1f} MB retained "
        f"({res.memory.retained / res.memory.jobs / 1e3:.1f} kB per job).",
        *render_async(res.async_calls),
        *render_plugin_load(res.plugin_load),
        "",
        "### Bars",
        "",
        "| Bar | measured | verdict |",
        "| --- | ---: | --- |",
    ]
    for bar in bars(res):
        measured = "—" if bar.measured is None else f"{bar.measured:.2f}{bar.unit}"
        lines.append(f"| {bar.text} | {measured} | {bar.verdict()} |")
    return "\n".join(lines) + "\n"


def write(output: Path, body: str) -> None:
    """Put ``body`` between the result markers of ``output``, keeping the rest, or start a file."""
    block = f"{START_MARK}\n{body}{END_MARK}\n"
    if output.exists():
        text = output.read_text(encoding="utf-8")
        head, start, rest = text.partition(START_MARK)
        _, end, tail = rest.partition(END_MARK)
        if not (start and end):
            raise SystemExit(
                f"{output} exists but lacks the lines {START_MARK!r} and {END_MARK!r} that mark "
                "where the results go; add them, or choose another --output"
            )
        new = head + block + tail.removeprefix("\n")
    else:
        new = f"# pytest-gluejobs benchmark results\n\n{block}"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(new, encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Async clients (aiobotocore)

ASYNC_JOB = {
    "Name": "bench",
    "Role": "R",
    "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
}


@dataclass
class AsyncResult:
    version: str
    #: operation -> (baseline µs per call, fake µs per call, per-round fake/baseline ratios)
    calls: dict[str, tuple[float, float, list[float]]]


def _async_operations() -> dict[str, Callable[[Any, int], Awaitable[object]]]:
    async def get_job(client: Any, i: int) -> object:
        return await client.get_job(JobName="bench")

    async def create_job(client: Any, i: int) -> object:
        return await client.create_job(**{**ASYNC_JOB, "Name": f"job-{i:07d}"})

    return {"GetJob": get_job, "CreateJob": create_job}


async def _async_timed(call: Callable[[Any, int], Awaitable[object]], client: Any, n: int) -> float:
    start = time.process_time()
    for i in range(n):
        await call(client, i)
    return (time.process_time() - start) / n


async def _async_run(
    rounds: int, calls_per_turn: int
) -> dict[str, tuple[float, float, list[float]]]:
    import wrapt
    from aiobotocore.awsrequest import AioAWSResponse
    from aiobotocore.endpoint import AioEndpoint
    from aiobotocore.session import get_session

    from pytest_gluejobs import mock_glue_jobs

    class CannedRaw:
        def __init__(self, body: bytes, headers: dict[str, str]) -> None:
            self.body = body
            # aiobotocore 2.x reads aiohttp's raw header pairs.
            self.raw_headers = tuple((k.encode(), v.encode()) for k, v in headers.items())

        async def read(self, *args: Any) -> bytes:
            return self.body

    operations = _async_operations()
    canned: dict[object, tuple[int, dict[str, str], bytes]] = {}
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(
            get_session().create_client(
                "glue",
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        )

        with mock_glue_jobs() as fake:
            fake.add_job(**ASYNC_JOB)
            for name, call in operations.items():
                await call(client, 0)
                # The exact bytes the fake answered, as the baseline's canned answer.
                canned[f"AWSGlue.{name}".encode()] = (200, {}, fake.calls[-1]._body)

        async def send(wrapped: Any, instance: Any, args: tuple[Any, ...], kwargs: Any) -> Any:
            request = args[0] if args else kwargs["request"]
            status, headers, body = canned[request.headers["X-Amz-Target"]]
            headers = {
                "Content-Type": "application/x-amz-json-1.1",
                "Content-Length": str(len(body)),
            }
            return AioAWSResponse(request.url, status, headers, CannedRaw(body, headers))

        original = AioEndpoint.__dict__["_send"]
        baseline = wrapt.FunctionWrapper(original, send)
        samples: dict[str, tuple[list[float], list[float]]] = {
            name: ([], []) for name in operations
        }
        for _ in range(rounds):
            for name, call in operations.items():
                AioEndpoint._send = baseline
                try:
                    base = await _async_timed(call, client, calls_per_turn)
                finally:
                    AioEndpoint._send = original
                with mock_glue_jobs() as fake:
                    fake.add_job(**ASYNC_JOB)
                    faked = await _async_timed(call, client, calls_per_turn)
                samples[name][0].append(base)
                samples[name][1].append(faked)
    return {
        name: (
            statistics.median(base) * 1e6,
            statistics.median(faked) * 1e6,
            [f / b for b, f in zip(base, faked, strict=True)],
        )
        for name, (base, faked) in samples.items()
    }


def measure_async(rounds: int, calls_per_turn: int) -> AsyncResult | None:
    try:
        import aiobotocore
    except ImportError:
        return None
    calls = asyncio.run(_async_run(rounds, calls_per_turn))
    return AsyncResult(version=aiobotocore.__version__, calls=calls)


def render_async(result: AsyncResult | None) -> list[str]:
    lines = ["", "### Per call, through a real aiobotocore client", ""]
    if result is None:
        return [*lines, "Not measured: aiobotocore is not installed."]
    lines += [
        f"aiobotocore {result.version}. Baseline: `AioEndpoint._send` wrapped with wrapt, "
        "answering a canned response. Median CPU time per call; the ratio is the median of the "
        "per-round ratios, smallest and largest in brackets. No bar is set for async calls; the "
        "sync bars above apply to sync clients.",
        "",
        "| Call | baseline | pytest-gluejobs | pytest-gluejobs / baseline |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, (base, faked, ratios) in result.calls.items():
        median = statistics.median(ratios)
        lines.append(
            f"| {name} | {base:.1f} µs | {faked:.1f} µs "
            f"| {median:.2f}x [{min(ratios):.2f}-{max(ratios):.2f}] |"
        )
    return lines


# --------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes and two rounds, to check that the benchmark runs (figures mean nothing)",
    )
    parser.add_argument(
        "--rounds", type=int, help="rounds per measure (default: 21, or 2 with --quick)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"Markdown file for the results (default: {DEFAULT_OUTPUT.relative_to(REPO)}; "
        "with --quick nothing is written unless this is given)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.rounds is not None:
        if args.rounds < 1:
            raise SystemExit(f"--rounds must be at least 1, got {args.rounds}")
        sizes = dataclasses.replace(sizes, rounds=args.rounds)
    output = args.output or (None if args.quick else DEFAULT_OUTPUT)
    command = shlex.join(["python", "benchmarks/run.py", *(sys.argv[1:] if argv is None else argv)])

    isolate_environment()
    started = dt.datetime.now(dt.timezone.utc)
    t0, cpu0 = time.perf_counter(), time.process_time()
    # moto must be imported before any client exists: it hooks every client built afterwards. The
    # hook stays in all clients (a no-op while moto is off), so baseline and fake carry it alike.
    moto_note = moto_missing()
    clients = Clients()
    fake = fake_contender()
    progress("capturing the fake's answers for the baseline")
    baseline = baseline_swap(capture_canned(fake, clients, sizes))
    moto = None if moto_note else moto_contender()
    mockers = [fake] + ([moto] if moto is not None else [])
    progress("per-call costs")
    calls = measure_calls(fake, baseline, moto, clients, sizes)
    progress("activation + deactivation")
    activation = measure_activation(mockers, sizes)
    progress("typical test end to end")
    end_to_end = measure_end_to_end(mockers, sizes)
    progress(f"paging {sizes.paging_jobs:,} jobs")
    paging = measure_paging(fake, clients, sizes)
    progress(f"memory for {sizes.memory_jobs:,} jobs")
    memory = measure_memory(fake, clients, sizes)
    progress("per-call costs through aiobotocore")
    async_result = measure_async(sizes.rounds, sizes.async_calls)
    progress("loading the plugin: whole pytest runs")
    plugin_load = measure_plugin_load(sizes.rounds)
    results = Results(
        sizes=sizes,
        command=command,
        started=started,
        seconds=time.perf_counter() - t0,
        cpu_seconds=time.process_time() - cpu0,
        moto_note=moto_note,
        calls=calls,
        activation=activation,
        end_to_end=end_to_end,
        paging=paging,
        memory=memory,
        async_calls=async_result,
        plugin_load=plugin_load,
    )
    body = render(results)
    print(body)
    if output is not None:
        write(output, body)
        progress(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
