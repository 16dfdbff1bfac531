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

This file runs the measures in order. The rest, one concern a file: ``workload.py`` (the jobs and
calls asked, their sizes), ``baselines.py`` (the contenders), ``timing.py`` (CPU time, samples,
ratios), ``scenarios.py`` and ``async_clients.py`` (the measures), ``report.py`` (tables, bars,
the results file). The orchestrator recipes are timed apart, in their own environments, by
``recipes.py`` (with its pytest plugin ``recipe_probe.py``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import endpoint
from async_clients import measure_async
from baselines import (
    Canned,
    Clients,
    baseline_swap,
    capture_canned,
    fake_contender,
    moto_contender,
    moto_missing,
)
from growth import measure_growth, measure_release
from report import DEFAULT_OUTPUT, REPO, Results, render, write
from scenarios import (
    measure_activation,
    measure_calls,
    measure_end_to_end,
    measure_memory,
    measure_paging,
    measure_plugin_load,
)
from timing import progress
from workload import FULL, QUICK, isolate_environment


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
    growth_canned: Canned = {}  # filled as the growth measure goes
    growth_baseline = baseline_swap(growth_canned)
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
    progress("growth: each call in a small and a large store")
    growth = measure_growth(growth_canned, growth_baseline, clients, sizes)
    progress(f"memory released after {sizes.release_tests} tests")
    release = measure_release(clients, sizes)
    progress("per-call costs through aiobotocore")
    async_result = measure_async(sizes.rounds, sizes.async_calls)
    progress("loading the plugin: whole pytest runs")
    plugin_load = measure_plugin_load(sizes.rounds)
    progress("the loopback endpoint: a child process's request, set-up and teardown")
    endpoint_result = endpoint.measure(sizes.rounds, quick=sizes.name != FULL.name)
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
        growth=growth,
        release=release,
        endpoint=endpoint_result,
    )
    body = render(results)
    print(body)
    if output is not None:
        write(output, body)
        progress(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
