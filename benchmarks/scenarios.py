"""The scenarios measured: per-call costs, activation, a typical test, paging, memory, imports."""

from __future__ import annotations

import gc
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from baselines import Clients, Contender
from timing import Samples, Swap, paired, progress, rotated, timed_calls
from workload import (
    BASELINE,
    FAKE,
    MOTO,
    PAGE,
    REGION,
    Op,
    Sizes,
    job_name,
    job_params,
    jobs,
    ops,
)


def measure_calls(
    fake: Contender,
    baseline: Swap,
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
    fake: Contender, baseline: Swap, op: Op, clients: Clients, sizes: Sizes
) -> tuple[float, float]:
    """CPU seconds per call of the fake and of the baseline, in alternating chunks."""
    with fake.active() as seed:
        client = clients.new()
        seed(client, op.state(sizes))
        return paired(
            lambda i: op.call(client, i, sizes),
            baseline,
            op.batch(sizes),
            sizes.chunks,
            sizes.warmup,
        )


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

                def once(i: int, f: Callable[[], None] = run) -> None:
                    f()

                samples.add(name, timed_calls(once, 0, 1))
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
