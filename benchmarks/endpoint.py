"""Benchmark the loopback endpoint: a child process's Glue request against the same in-process.

Two measures, each against its bar (docs/performance.md, "Across processes"):

- **A child's request.** A GetJob through a real boto3 client in a child Python process, which
  reaches the fake at ``AWS_ENDPOINT_URL_GLUE`` over loopback HTTP, against the same GetJob through
  a real client in the test's process (answered in-process). Rounds alternate the two. The child
  warms up, waits for a go, runs its calls and reports its wall-clock time and its own CPU time;
  the test's process adds the CPU time its endpoint spent meanwhile. Bar: the child's request
  costs at most 3 times the in-process one (wall-clock: what a test waits for). CPU time of both
  processes is shown beside it.
- **Set-up and teardown with the endpoint in place.** ``mock_glue_jobs()`` enter + exit (which
  now opens and closes the fake's loopback port) against ``mock_aws()`` enter + exit; also the
  same fake with the endpoint replaced by a stand-in, to show what the port itself costs. Bar:
  at most 5 % of moto's.

    python benchmarks/endpoint.py [--quick]          # prints the Markdown section

From the main benchmark: ``measure(rounds, quick)`` returns an ``EndpointResult``;
``render(result)`` gives its Markdown lines and ``bar_rows(result)`` its bars as
(text, measured, limit) with ``measured <= limit`` passing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

REGION = "us-east-1"
JOB = {
    "Name": "nightly",
    "Role": "arn:aws:iam::123456789012:role/GlueJobRole",
    "Command": {"Name": "glueetl", "ScriptLocation": "s3://bucket/job.py", "PythonVersion": "3"},
    "GlueVersion": "4.0",
    "WorkerType": "G.1X",
    "NumberOfWorkers": 10,
}
CHILD_BAR = 3.0
SETUP_BAR = 0.05

#: The child: builds its client from the environment it inherited, warms up, then times its calls.
CHILD = """
import json, sys, time
import boto3
client = boto3.client("glue")
calls = int(sys.argv[1])
for _ in range(20):
    client.get_job(JobName="nightly")
for line in sys.stdin:
    if line.strip() != "go":
        break
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        client.get_job(JobName="nightly")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps([wall, cpu]), flush=True)
"""


@dataclass
class EndpointResult:
    """Per-call seconds (medians over rounds) and per-round ratios."""

    in_process_wall: list[float] = field(default_factory=list)
    in_process_cpu: list[float] = field(default_factory=list)
    child_wall: list[float] = field(default_factory=list)
    child_cpu: list[float] = field(default_factory=list)  # the child's and the endpoint's
    wall_ratios: list[float] = field(default_factory=list)
    cpu_ratios: list[float] = field(default_factory=list)
    fake_setup: list[float] = field(default_factory=list)
    fake_setup_without_endpoint: list[float] = field(default_factory=list)
    moto_setup: list[float] = field(default_factory=list)
    setup_shares: list[float] = field(default_factory=list)
    rounds: int = 0


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _isolated_environment() -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )


def measure_child_request(result: EndpointResult, rounds: int, calls: int) -> None:
    import boto3

    from pytest_gluejobs import mock_glue_jobs

    with mock_glue_jobs(region=REGION) as fake:
        fake.add_job(**JOB)
        session = boto3.session.Session(region_name=REGION)
        client = session.client("glue", aws_access_key_id="testing", aws_secret_access_key="x")
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(calls)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            for _ in range(20):
                client.get_job(JobName="nightly")
            for _ in range(rounds):
                gc.collect()
                wall, cpu = time.perf_counter(), time.process_time()
                for _ in range(calls):
                    client.get_job(JobName="nightly")
                here_wall = (time.perf_counter() - wall) / calls
                here_cpu = (time.process_time() - cpu) / calls
                gc.collect()
                served = time.process_time()
                child.stdin.write("go\n")
                child.stdin.flush()
                child_wall, child_cpu = json.loads(child.stdout.readline())
                served = time.process_time() - served
                result.in_process_wall.append(here_wall)
                result.in_process_cpu.append(here_cpu)
                result.child_wall.append(child_wall / calls)
                result.child_cpu.append((child_cpu + served) / calls)
                result.wall_ratios.append(child_wall / calls / here_wall)
                result.cpu_ratios.append((child_cpu + served) / calls / here_cpu)
        finally:
            child.stdin.close()
            child.wait(timeout=60)


@contextmanager
def _without_endpoint() -> Iterator[None]:
    """The fake with its loopback port replaced by a stand-in that opens nothing."""
    from pytest_gluejobs._transport import server

    class NoPort:
        url = "http://127.0.0.1:0"
        closed = False

        def __init__(self, interceptor: Any) -> None:
            pass

        def close(self) -> None:
            self.closed = True

    original = server.LoopbackEndpoint
    server.LoopbackEndpoint = NoPort  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        server.LoopbackEndpoint = original  # type: ignore[misc]


def _per_enter_exit(enter_exit: Callable[[], Any], n: int) -> float:
    enter_exit()  # untimed: the first after another contender may load things
    gc.collect()
    start = time.process_time()
    for _ in range(n):
        enter_exit()
    return (time.process_time() - start) / n


def measure_setup(result: EndpointResult, rounds: int, fake_n: int, moto_n: int) -> None:
    from pytest_gluejobs import mock_glue_jobs

    try:
        from moto import mock_aws
    except ImportError:
        mock_aws = None

    def fake() -> None:
        with mock_glue_jobs(region=REGION):
            pass

    def moto() -> None:
        assert mock_aws is not None
        with mock_aws():
            pass

    for _ in range(rounds):
        with_port = _per_enter_exit(fake, fake_n)
        with _without_endpoint():
            result.fake_setup_without_endpoint.append(_per_enter_exit(fake, fake_n))
        result.fake_setup.append(with_port)
        if mock_aws is not None:
            moto_time = _per_enter_exit(moto, moto_n)
            result.moto_setup.append(moto_time)
            result.setup_shares.append(with_port / moto_time)


def measure(rounds: int = 21, quick: bool = False) -> EndpointResult:
    """Both measures; ``quick`` for tiny sizes (to see that it runs)."""
    result = EndpointResult(rounds=rounds)
    measure_child_request(result, rounds, calls=5 if quick else 200)
    measure_setup(result, rounds, fake_n=20 if quick else 400, moto_n=2 if quick else 20)
    return result


def _us(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e6:,.0f} µs"


def _x(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"


def bar_rows(result: EndpointResult) -> list[tuple[str, float | None, float]]:
    """(bar, measured, limit); a bar passes when measured <= limit."""
    return [
        (
            "a child's GetJob over the endpoint ≤ 3 x the same in-process (wall-clock)",
            _median(result.wall_ratios),
            CHILD_BAR,
        ),
        (
            "activation + deactivation with the endpoint ≤ 5 % of mock_aws() enter + exit",
            _median(result.setup_shares),
            SETUP_BAR,
        ),
    ]


def render(result: EndpointResult) -> list[str]:
    """The Markdown lines of the section."""
    share = _median(result.setup_shares)
    lines = [
        "### Across processes",
        "",
        f"Median over {result.rounds} rounds; a ratio is the median of the per-round ratios "
        "(smallest and largest in brackets). The child's CPU time includes what the endpoint "
        "spent in the test's process answering it.",
        "",
        "| Measure | in the test's process | from a child process | child / in-process |",
        "| --- | ---: | ---: | ---: |",
        f"| GetJob through boto3, wall-clock | {_us(_median(result.in_process_wall))} | "
        f"{_us(_median(result.child_wall))} | {_x(result.wall_ratios)} |",
        f"| GetJob through boto3, CPU time of both processes | "
        f"{_us(_median(result.in_process_cpu))} | {_us(_median(result.child_cpu))} | "
        f"{_x(result.cpu_ratios)} |",
        "",
        "| Measure | pytest-gluejobs | without its endpoint | moto "
        "| pytest-gluejobs as share of moto |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| activation + deactivation (CPU time) | {_us(_median(result.fake_setup))} | "
        f"{_us(_median(result.fake_setup_without_endpoint))} | "
        f"{_us(_median(result.moto_setup))} | "
        f"{'—' if share is None else f'{share:.2%}'} |",
        "",
        "| Bar | measured | verdict |",
        "| --- | ---: | --- |",
    ]
    for text, measured, limit in bar_rows(result):
        shown = (
            "—" if measured is None else (f"{measured:.2%}" if limit < 1 else f"{measured:.2f}x")
        )
        verdict = (
            "not measured" if measured is None else ("pass" if measured <= limit else "**FAIL**")
        )
        lines.append(f"| {text} | {shown} | {verdict} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to see that it runs")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 21; quick: 3)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 21)
    _isolated_environment()  # run alone; the main benchmark isolates its own
    print("\n".join(render(measure(rounds, args.quick))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
