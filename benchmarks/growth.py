"""Growth: no call's cost grows with the store, and what a finished test held is released.

Every Glue operation the fake answers is timed against the baseline (the bytes the fake answered
for the same request in the same store, canned) in a small and a large store: 100 and 50,000 jobs
in the partition for the job calls, 10 and 5,000 runs of one job for the run calls. A call's
growth is its fake/baseline ratio in the large store over that in the small one; the baseline
answers the same bytes as the fake at each size, so the ratio leaves out what only the size of
the answer costs (a page of 100 names against one of 10). The assertion helpers have no
baseline: their time is compared directly (per job for ``assert_job_names``, which must look at
every job).
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from baselines import Canned, Clients
from timing import Samples, Swap, paired, progress
from workload import (
    ACCOUNT_ID,
    BASELINE,
    FAKE,
    PAGE,
    REGION,
    TAG_FILTER,
    Client,
    Job,
    Sizes,
    job_name,
    job_params,
    job_update,
)

JOBS, RUNS = "jobs", "runs"
RARE = {"rare": "yes"}  # on ten jobs of the partition, whatever its size
RUN_JOB = "runs"  # the job whose history grows
RUN_PAGE = 5


@dataclass
class Store:
    """What the calls need to know of the store they run against."""

    size: int
    newest: str = ""  # the newest run (RUNNING; the others SUCCEEDED)
    next_token: str = ""  # GetJobRuns' token after the newest RUN_PAGE runs


def _middle(st: Store) -> str:
    return job_name(st.size // 2)


def _spread(st: Store, k: int) -> str:
    """The ``k``-th of 25 names spread over the partition."""
    return job_name(k * st.size // 25)


def _arn(name: str) -> str:
    return f"arn:aws:glue:{REGION}:{ACCOUNT_ID}:job/{name}"


#: The trigger the trigger calls read and change: CONDITIONAL, so starting it starts no run.
TRIGGER = "growth-trigger"


def _trigger(st: Store, name: str = TRIGGER) -> dict[str, Any]:
    condition = {"LogicalOperator": "EQUALS", "JobName": _spread(st, 1), "State": "SUCCEEDED"}
    return {
        "Name": name,
        "Type": "CONDITIONAL",
        "Predicate": {"Conditions": [condition]},
        "Actions": [{"JobName": _middle(st)}],
    }


def _create_then_delete_trigger(c: Client, i: int, st: Store) -> object:
    c.create_trigger(**_trigger(st, f"growth-new-{i:06d}"))
    return c.delete_trigger(Name=f"growth-new-{i:06d}")


def _start_then_stop_trigger(c: Client, i: int, st: Store) -> object:
    c.start_trigger(Name=TRIGGER)
    return c.stop_trigger(Name=TRIGGER)


def _bookmark(operation: str) -> Any:
    """GetJobBookmark or ResetJobBookmark of a job that has no entry: Glue's error, measured too."""

    def call(c: Client, i: int, st: Store) -> object:
        try:
            return getattr(c, operation)(JobName=_middle(st))
        except c.exceptions.EntityNotFoundException as error:
            return error

    return call


def _create_then_delete(c: Client, i: int, st: Store) -> object:
    # A name sorting in the middle of the partition, deleted again: the store keeps its size.
    name = f"{_middle(st)}-new-{i:06d}"
    c.create_job(**job_params(name))
    return c.delete_job(JobName=name)


@dataclass(frozen=True)
class GrowthCall:
    label: str
    dimension: str  # JOBS or RUNS: what the store grows in
    operations: tuple[str, ...]  # the Glue operations one call makes
    call: Callable[[Client, int, Store], object]
    pages: bool = False  # answers many jobs: timed in fewer calls


CALLS = [
    GrowthCall("GetJob", JOBS, ("GetJob",), lambda c, i, st: c.get_job(JobName=_middle(st))),
    GrowthCall(
        "CreateJob, then DeleteJob of it", JOBS, ("CreateJob", "DeleteJob"), _create_then_delete
    ),
    GrowthCall(
        "UpdateJob",
        JOBS,
        ("UpdateJob",),
        lambda c, i, st: c.update_job(JobName=_middle(st), JobUpdate=job_update(i)),
    ),
    GrowthCall(
        "GetJobs, first page of 100",
        JOBS,
        ("GetJobs",),
        lambda c, i, st: c.get_jobs(MaxResults=PAGE),
        pages=True,
    ),
    GrowthCall(
        "ListJobs, first page of 100",
        JOBS,
        ("ListJobs",),
        lambda c, i, st: c.list_jobs(MaxResults=PAGE),
    ),
    GrowthCall(
        "ListJobs, a tag on ten jobs",
        JOBS,
        ("ListJobs",),
        lambda c, i, st: c.list_jobs(Tags=RARE, MaxResults=PAGE),
    ),
    GrowthCall(
        "ListJobs, a tag on every tenth job, first page",
        JOBS,
        ("ListJobs",),
        lambda c, i, st: c.list_jobs(Tags=TAG_FILTER, MaxResults=PAGE),
    ),
    GrowthCall(
        "BatchGetJobs, 25 names",
        JOBS,
        ("BatchGetJobs",),
        lambda c, i, st: c.batch_get_jobs(
            JobNames=[job_name(k * st.size // 25) for k in range(25)]
        ),
        pages=True,
    ),
    GrowthCall(
        "TagResource",
        JOBS,
        ("TagResource",),
        lambda c, i, st: c.tag_resource(
            ResourceArn=_arn(_middle(st)), TagsToAdd={"owner": f"team-{i % 2}"}
        ),
    ),
    GrowthCall(
        "UntagResource",
        JOBS,
        ("UntagResource",),
        lambda c, i, st: c.untag_resource(ResourceArn=_arn(_middle(st)), TagsToRemove=["owner"]),
    ),
    GrowthCall(
        "GetTags", JOBS, ("GetTags",), lambda c, i, st: c.get_tags(ResourceArn=_arn(_middle(st)))
    ),
    GrowthCall(
        "GetJobBookmark (no entry)", JOBS, ("GetJobBookmark",), _bookmark("get_job_bookmark")
    ),
    GrowthCall(
        "ResetJobBookmark (no entry)",
        JOBS,
        ("ResetJobBookmark",),
        _bookmark("reset_job_bookmark"),
    ),
    GrowthCall(
        "CreateTrigger, then DeleteTrigger of it",
        JOBS,
        ("CreateTrigger", "DeleteTrigger"),
        _create_then_delete_trigger,
    ),
    GrowthCall(
        "UpdateTrigger",
        JOBS,
        ("UpdateTrigger",),
        lambda c, i, st: c.update_trigger(Name=TRIGGER, TriggerUpdate={"Description": f"{i}"}),
    ),
    GrowthCall("GetTrigger", JOBS, ("GetTrigger",), lambda c, i, st: c.get_trigger(Name=TRIGGER)),
    GrowthCall(
        "GetTriggers, DependentJobName",
        JOBS,
        ("GetTriggers",),
        lambda c, i, st: c.get_triggers(DependentJobName=_middle(st)),
    ),
    GrowthCall(
        "BatchGetTriggers",
        JOBS,
        ("BatchGetTriggers",),
        lambda c, i, st: c.batch_get_triggers(TriggerNames=[TRIGGER, "missing"]),
    ),
    GrowthCall("ListTriggers", JOBS, ("ListTriggers",), lambda c, i, st: c.list_triggers()),
    GrowthCall(
        "StartTrigger, then StopTrigger",
        JOBS,
        ("StartTrigger", "StopTrigger"),
        _start_then_stop_trigger,
    ),
    GrowthCall(
        "StartJobRun", RUNS, ("StartJobRun",), lambda c, i, st: c.start_job_run(JobName=RUN_JOB)
    ),
    GrowthCall(
        "GetJobRun of the newest run",
        RUNS,
        ("GetJobRun",),
        lambda c, i, st: c.get_job_run(JobName=RUN_JOB, RunId=st.newest),
    ),
    GrowthCall(
        f"GetJobRuns, newest {RUN_PAGE}",
        RUNS,
        ("GetJobRuns",),
        lambda c, i, st: c.get_job_runs(JobName=RUN_JOB, MaxResults=RUN_PAGE),
    ),
    GrowthCall(
        f"GetJobRuns, the next {RUN_PAGE} (NextToken)",
        RUNS,
        ("GetJobRuns",),
        lambda c, i, st: c.get_job_runs(
            JobName=RUN_JOB, MaxResults=RUN_PAGE, NextToken=st.next_token
        ),
    ),
    GrowthCall(
        "BatchStopJobRun of the newest run",
        RUNS,
        ("BatchStopJobRun",),
        lambda c, i, st: c.batch_stop_job_run(JobName=RUN_JOB, JobRunIds=[st.newest]),
    ),
]


def _job(i: int, size: int) -> Job:
    params = job_params(job_name(i), tagged=i % 10 == 0)
    if i % max(1, size // 10) == 0:
        params["Tags"].update(RARE)
    return params


def _run_history(runs: int) -> tuple[dict[str, Any], str]:
    """A snapshot of one job with ``runs`` runs, the newest RUNNING and the rest SUCCEEDED."""
    from pytest_gluejobs import mock_glue_jobs

    with mock_glue_jobs(region=REGION) as fake:
        client = fake.client()
        params = job_params(RUN_JOB)
        params["ExecutionProperty"] = {"MaxConcurrentRuns": 100_000}
        fake.add_job(**params)
        fake.run_states(RUN_JOB, "SUCCEEDED")
        for _ in range(runs - 1):
            client.start_job_run(JobName=RUN_JOB)
        token: dict[str, str] = {}
        while True:  # each page read moves its runs on: to SUCCEEDED
            page = client.get_job_runs(JobName=RUN_JOB, MaxResults=200, **token)
            if "NextToken" not in page:
                break
            token = {"NextToken": page["NextToken"]}
        fake.run_states(RUN_JOB, "RUNNING")
        newest = client.start_job_run(JobName=RUN_JOB)["JobRunId"]
        client.get_job_run(JobName=RUN_JOB, RunId=newest)
        return fake.snapshot(timestamps=True), newest


@dataclass
class Growth:
    jobs: tuple[int, int]
    runs: tuple[int, int]
    #: call label -> [samples in the small store, samples in the large one]
    calls: dict[str, list[Samples]] = field(default_factory=dict)
    #: helper label -> [seconds in the small store, in the large one]; per job for job lists
    helpers: dict[str, list[float]] = field(default_factory=dict)
    #: characters of assert_job_names' failure message (one name missing, every job unexpected)
    message: list[int] = field(default_factory=lambda: [0, 0])


def measure_growth(canned: Canned, baseline: Swap, clients: Clients, sizes: Sizes) -> Growth:
    """Each call in each store, baseline and fake alternating in chunks, one figure per round."""
    growth = Growth(sizes.growth_jobs, sizes.growth_runs)
    for dimension, store_sizes in ((JOBS, sizes.growth_jobs), (RUNS, sizes.growth_runs)):
        for position, size in enumerate(store_sizes):
            progress(f"  growth: {size:,} {dimension}")
            _measure_store(growth, dimension, position, size, canned, baseline, clients, sizes)
    return growth


def _measure_store(
    growth: Growth,
    dimension: str,
    position: int,
    size: int,
    canned: Canned,
    baseline: Swap,
    clients: Clients,
    sizes: Sizes,
) -> None:
    from pytest_gluejobs import mock_glue_jobs

    calls = [each for each in CALLS if each.dimension == dimension]
    history = _run_history(size) if dimension == RUNS else None
    with mock_glue_jobs(region=REGION) as fake:
        client, capturing = clients.new(), clients.new()
        st = Store(size)

        def restore() -> None:
            """Put the run history back (StartJobRun and BatchStopJobRun change it)."""
            if history is not None:
                fake.reset()
                fake.run_states(RUN_JOB, "RUNNING")  # the newest run stays RUNNING
                fake.load(history[0])
                st.newest = history[1]

        if history is None:
            for i in range(size):
                fake.add_job(**_job(i, size))
            client.create_trigger(**_trigger(st))
        else:
            restore()
            first = client.get_job_runs(JobName=RUN_JOB, MaxResults=RUN_PAGE)
            st.next_token = first["NextToken"]
        answers = {each.label: _answers(capturing, each, st) for each in calls}
        for _ in range(min(sizes.rounds, sizes.growth_rounds)):
            for each in calls:
                restore()
                canned.update(answers[each.label])

                def one(i: int, call: GrowthCall = each) -> object:
                    return call.call(client, i, st)

                batch = sizes.page_batch if each.pages else sizes.growth_batch
                timed = paired(one, baseline, batch, sizes.chunks, sizes.warmup)
                pair = growth.calls.setdefault(each.label, [Samples(), Samples()])
                pair[position].add(FAKE, timed[0])
                pair[position].add(BASELINE, timed[1])
        if history is None:
            _measure_helpers(fake, growth, position, size)


def _answers(client: Client, call: GrowthCall, st: Store) -> Canned:
    """The fake's answers to ``call`` once it is warm (at its second call), for the baseline."""
    answers: Canned = {}

    def keep(http_response: Any, model: Any, **_: object) -> None:
        answers[f"AWSGlue.{model.name}".encode()] = (
            http_response.status_code,
            dict(http_response.headers),
            http_response.content,
        )

    client.meta.events.register("after-call.glue", keep)
    try:
        call.call(client, 0, st)
        call.call(client, 1, st)
    finally:
        client.meta.events.unregister("after-call.glue", keep)
    return answers


def _measure_helpers(fake: Any, growth: Growth, position: int, size: int) -> None:
    names = [job_name(i) for i in range(size)]
    helpers: dict[str, tuple[Callable[[], object], int]] = {
        "assert_job, one job": (lambda: fake.assert_job(job_name(size // 2), GlueVersion="4.0"), 1),
        "assert_job_names, every job (per job)": (lambda: fake.assert_job_names(*names), size),
    }
    for label, (helper, per) in helpers.items():
        growth.helpers.setdefault(label, [0.0, 0.0])[position] = _helper_time(helper) / per
    try:
        fake.assert_job_names("bench-missing")
    except AssertionError as failure:
        growth.message[position] = len(str(failure))


def _helper_time(helper: Callable[[], object], rounds: int = 9) -> float:
    """Median CPU seconds of ``helper``; one call only when one takes over a second."""
    times = []
    for _ in range(rounds):
        gc.collect()
        t0 = time.process_time()
        helper()
        times.append(time.process_time() - t0)
        if times[-1] > 1:
            break
    return statistics.median(times)


@dataclass(frozen=True)
class Release:
    tests: int
    jobs: int
    held: int  # bytes still allocated after the tests, against before them


def measure_release(clients: Clients, sizes: Sizes) -> Release:
    """Tests one after another, each creating jobs in a new fake: what is still held after them.

    Python's allocations are traced (tracemalloc) from after a few warm-up tests, which fill
    botocore's and the fake's caches once, to after the last test and a collection.
    """
    from pytest_gluejobs import mock_glue_jobs

    client = clients.new()

    def one_test() -> None:
        with mock_glue_jobs(region=REGION):
            for i in range(sizes.release_jobs):
                client.create_job(**job_params(job_name(i)))
            client.get_jobs(MaxResults=PAGE)

    for _ in range(5):
        one_test()
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(sizes.release_tests):
            one_test()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return Release(sizes.release_tests, sizes.release_jobs, held)
