"""load() is strict and exact: malformed runs are refused whole, snapshots of every kind of job (and
of triggers of every type and state) load back to themselves, and a run started after load() never
takes a loaded run's id.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_gluejobs import mock_glue_jobs

HERE = "123456789012/us-east-1"
SCRIPT = "s3://bucket/scripts/job.py"
T0 = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def command(name: str, **extra: Any) -> dict[str, Any]:
    return {"Name": name, "ScriptLocation": SCRIPT, **extra}


#: One CreateJob of each kind the fake makes (names and members from the CreateJob reference:
#: https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html).
KINDS: dict[str, dict[str, Any]] = {
    "spark": {"Command": command("glueetl")},
    "ray": {
        "Command": command("glueray", Runtime="Ray2.4", PythonVersion="3.9"),
        "GlueVersion": "4.0",
        "WorkerType": "Z.2X",
        "NumberOfWorkers": 5,
    },
    "python-shell": {"Command": command("pythonshell", PythonVersion="3.9"), "MaxCapacity": 1.0},
    "streaming": {"Command": command("gluestreaming"), "GlueVersion": "4.0"},
    "flex": {"Command": command("glueetl"), "GlueVersion": "4.0", "ExecutionClass": "FLEX"},
    "workers": {"Command": command("glueetl"), "WorkerType": "G.2X", "NumberOfWorkers": 10},
    "small-workers": {
        "Command": command("gluestreaming"),
        "GlueVersion": "3.0",
        "WorkerType": "G.025X",
        "NumberOfWorkers": 2,
    },
    "r-workers": {
        "Command": command("glueetl"),
        "GlueVersion": "5.0",
        "WorkerType": "R.1X",
        "NumberOfWorkers": 3,
    },
    "auto-upgrade": {"Command": command("glueetl"), "GlueVersion": "auto", "MaxRetries": 1},
    "queued": {
        "Command": command("glueetl"),
        "JobRunQueuingEnabled": True,
        "Timeout": 60,
        "DefaultArguments": {"--job-bookmark-option": "job-bookmark-enable"},
        "Tags": {"team": "data"},
    },
}


#: Triggers of each type and state the fake shows, made by _trigger
#: (https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTrigger.html).
TRIGGER_KINDS = ("on-demand", "conditional", "and", "any", "scheduled", "stopped")
#: The job every trigger starts: one no predicate watches, as Glue requires ("Job cannot be a
#: Predicate and Action for Conditional Trigger.", quoted in
#: https://github.com/hashicorp/terraform-provider-aws/issues/39571).
DOWNSTREAM = "downstream"


def _trigger(kind: str, first: str, last: str, ending: str) -> dict[str, Any]:
    """CreateTrigger parameters for a trigger of ``kind`` that watches ``first`` and ``last``."""

    def watching(job: str, state: str) -> dict[str, str]:
        return {"LogicalOperator": "EQUALS", "JobName": job, "State": state}

    every_minute = {"Type": "SCHEDULED", "Schedule": "cron(* * * * ? *)"}
    definitions: dict[str, dict[str, Any]] = {
        "on-demand": {"Type": "ON_DEMAND", "Tags": {"team": "data"}},
        "conditional": {
            "Type": "CONDITIONAL",
            "Predicate": {"Conditions": [watching(first, ending)]},
        },
        "and": {
            "Type": "CONDITIONAL",
            "Description": "both ended",
            "Predicate": {
                "Logical": "AND",
                "Conditions": [watching(first, ending), watching(last, "STOPPED")],
            },
        },
        "any": {
            "Type": "CONDITIONAL",
            "Predicate": {
                "Logical": "ANY",
                "Conditions": [watching(first, "ERROR"), watching(last, "STOPPED")],
            },
        },
        "scheduled": every_minute,
        "stopped": every_minute,
    }
    return {
        "Name": f"{kind}-trigger",
        "StartOnCreation": kind != "on-demand",
        "Actions": [{"JobName": DOWNSTREAM, "Arguments": {"--by": kind}}],
        **definitions[kind],
    }


def _made_by_the_fake(
    kinds: list[str],
    runs: int,
    ending: str = "SUCCEEDED",
    updated: bool = False,
    triggers: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A snapshot (with timestamps) of jobs of ``kinds``, each with ``runs`` runs in all states.

    Runs end ``ending`` (a FAILED run of a job with MaxRetries is retried); one is stopped, one
    finished by hand; with ``updated`` every job is updated (UpdateJob) after its runs (a minute
    later each: every-minute schedules fire). ``triggers`` (of TRIGGER_KINDS) start a job of
    their own, watching the first and the last, from before the first run; the ON_DEMAND one is
    started once, the stopped one stopped; then the runs of the first and last job are listed
    (GetJobRuns) three times, so that they end and the triggers watching them fire.
    """
    with mock_glue_jobs() as fake:
        clock = fake.freeze_time(T0)
        glue = boto3.client("glue")
        fake.run_states("*", "RUNNING", ending, error_message=f"ended {ending}")
        names = [f"{kind}-{index}" for index, kind in enumerate(kinds)]
        for name, kind in zip(names, kinds, strict=True):
            # Runs of the queued kind wait their turn; the others run side by side.
            side_by_side = (
                {} if kind == "queued" else {"ExecutionProperty": {"MaxConcurrentRuns": 9}}
            )
            glue.create_job(Name=name, Role="GlueRole", **side_by_side, **KINDS[kind])
        if triggers:
            glue.create_job(
                Name=DOWNSTREAM,
                Role="GlueRole",
                Command=command("glueetl"),
                ExecutionProperty={"MaxConcurrentRuns": 50},
            )
        for trigger in triggers:
            glue.create_trigger(**_trigger(trigger, names[0], names[-1], ending))
        if "on-demand" in triggers:
            glue.start_trigger(Name="on-demand-trigger")
        if "stopped" in triggers:
            glue.stop_trigger(Name="stopped-trigger")
        for name, kind in zip(names, kinds, strict=True):
            started = []
            for number in range(runs):
                # Glue refuses a run Timeout for Ray jobs ("Timeout not supported for Ray jobs").
                timeout = {} if kind == "ray" else {"Timeout": 30}
                run_id = glue.start_job_run(
                    JobName=name, Arguments={"--day": str(number)}, **timeout
                )["JobRunId"]
                started.append(run_id)
                for _ in range(number % 3):  # some starting, some running, some done
                    glue.get_job_run(JobName=name, RunId=run_id)
            active = [run["Id"] for run in fake.runs(name) if "CompletedOn" not in run]
            if active:
                glue.batch_stop_job_run(JobName=name, JobRunIds=active[:1])
            if len(active) > 1:
                fake.finish_run(active[1], "ERROR", error_message="by hand")
            if updated:
                clock.tick(60)
                definition = {k: v for k, v in KINDS[kind].items() if k != "Tags"}
                glue.update_job(JobName=name, JobUpdate={"Role": "OtherRole", **definition})
        for _ in range(3 if triggers else 0):  # GetJobRuns moves runs on: watched runs end
            for name in (names[0], names[-1]):
                glue.get_job_runs(JobName=name)
        return fake.snapshot(timestamps=True)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_load_of_a_snapshot_gives_the_snapshot_back(kind: str) -> None:
    state = _made_by_the_fake([kind], runs=3)
    with mock_glue_jobs() as fresh:
        fresh.load(copy.deepcopy(state))
        assert fresh.snapshot(timestamps=True) == state


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=4),
    runs=st.integers(min_value=0, max_value=4),
    ending=st.sampled_from(["SUCCEEDED", "FAILED", "TIMEOUT", "ERROR"]),
    updated=st.booleans(),
    triggers=st.lists(st.sampled_from(TRIGGER_KINDS), max_size=3, unique=True).map(tuple),
)
def test_load_is_the_inverse_of_snapshot_for_every_kind_of_job(
    kinds: list[str], runs: int, ending: str, updated: bool, triggers: tuple[str, ...]
) -> None:
    state = _made_by_the_fake(kinds, runs, ending, updated, triggers)
    with mock_glue_jobs() as fresh:
        # A frozen clock: a loaded every-minute schedule must not fire between load and snapshot.
        fresh.freeze_time(T0)
        fresh.load(copy.deepcopy(state))
        assert fresh.snapshot(timestamps=True) == state
        again = fresh.snapshot(timestamps=True)
    with mock_glue_jobs() as twice:  # and what was loaded loads again
        twice.freeze_time(T0)
        twice.load(again)
        assert twice.snapshot(timestamps=True) == state


# -- malformed runs: refused, naming the job, the run and the field; nothing is loaded ----------


def _one_run() -> tuple[dict[str, Any], dict[str, Any]]:
    state = _made_by_the_fake(["spark"], runs=1)
    return state, state[HERE]["spark-0"]["Runs"][0]


def _set(field: str, value: Any) -> Any:
    return lambda run: run.__setitem__(field, value)


def _drop(field: str) -> Any:
    return lambda run: run.pop(field)


MALFORMED = [
    pytest.param(_drop("StartedOn"), "field StartedOn is missing", id="no-StartedOn"),
    pytest.param(_drop("Id"), "field Id is missing", id="no-Id"),
    pytest.param(_drop("JobRunState"), "field JobRunState is missing", id="no-state"),
    pytest.param(_set("Timeout", "30"), "field Timeout must be a whole number", id="Timeout-str"),
    pytest.param(_set("Timeout", 30.5), "field Timeout must be a whole number", id="Timeout-f"),
    pytest.param(_set("Arguments", ["--day"]), "field Arguments must be a map", id="args-list"),
    pytest.param(
        _set("Arguments", {"--day": 1}), "field Arguments['--day'] must be a string", id="arg"
    ),
    pytest.param(_set("Attempt", True), "field Attempt must be a whole number", id="Attempt"),
    pytest.param(_set("Attempt", -1), "field Attempt is -1", id="Attempt-negative"),
    pytest.param(_set("JobRunState", "DONE"), "field JobRunState is 'DONE'", id="state"),
    pytest.param(_set("StartedOn", "yesterday"), "field StartedOn is 'yesterday'", id="time"),
    pytest.param(_set("StartedOn", 1700000000), "field StartedOn is 1700000000", id="epoch"),
    pytest.param(_set("JobName", "other"), "field JobName is 'other'", id="JobName"),
    pytest.param(_set("Colour", "red"), "field Colour is not a JobRun field", id="unknown"),
    pytest.param(
        _set("PredecessorRuns", {"JobName": "x"}), "field PredecessorRuns must be a list", id="pre"
    ),
    pytest.param(
        _set("JobRunState", "SUCCEEDED"), "field CompletedOn is missing", id="ended-no-Completed"
    ),
    pytest.param(
        _set("CompletedOn", "2026-03-01T12:00:00+00:00"),
        "field CompletedOn is set; the run is STOPPING, it has not ended",
        id="Completed-while-starting",
    ),
]


@pytest.mark.parametrize(("change", "problem"), MALFORMED)
def test_a_malformed_run_is_refused_naming_job_run_and_field(change: Any, problem: str) -> None:
    state, run = _one_run()
    run_id = run["Id"]
    change(run)
    good = _made_by_the_fake(["workers"], runs=1)[HERE]
    data = {"210987654321/eu-west-1": good, **state}
    with mock_glue_jobs() as fake:
        with pytest.raises(ValueError) as caught:
            fake.load(data)
        message = str(caught.value)
        assert problem in message
        assert "spark-0 > Runs[0]" in message  # the job and the run's place
        if "Id" in run:
            assert run_id in message
        assert fake.snapshot() == {}  # nothing, not even the good partition


def test_a_run_that_is_not_a_dict_and_runs_that_are_not_a_list_are_refused() -> None:
    state, _ = _one_run()
    for runs, problem in ((["run"], "a run must be a dict"), ({}, "Runs must be a list")):
        state[HERE]["spark-0"]["Runs"] = runs
        with mock_glue_jobs() as fake, pytest.raises(ValueError, match=problem):
            fake.load(state)


def test_two_runs_of_a_job_with_one_id_are_refused() -> None:
    state = _made_by_the_fake(["spark"], runs=0)
    _, run = _one_run()
    state[HERE]["spark-0"]["Runs"] = [run, dict(run)]
    with mock_glue_jobs() as fake, pytest.raises(ValueError, match="the same Id"):
        fake.load(state)


def test_data_nested_too_deeply_is_refused_with_a_message() -> None:
    deep: Any = "x"
    for _ in range(100_000):
        deep = {"d": deep}
    with mock_glue_jobs() as fake, pytest.raises(ValueError, match="nested too deeply"):
        fake.load({HERE: {"deep": deep}})


# -- run ids after load() ------------------------------------------------------------------------


def test_a_run_started_after_load_never_takes_a_loaded_runs_id() -> None:
    # A fresh fake draws run ids in the same order as the fake that made the snapshot.
    state = _made_by_the_fake(["queued"], runs=4)
    loaded = {run["Id"] for run in state[HERE]["queued-0"]["Runs"]}
    with mock_glue_jobs() as fake:
        fake.load(state)
        glue = boto3.client("glue")
        started = {glue.start_job_run(JobName="queued-0")["JobRunId"] for _ in range(6)}
        assert not started & loaded
        assert len(started) == 6
        assert len(fake.runs("queued-0")) == 10


def test_after_reset_and_load_new_run_ids_are_new_too() -> None:
    with mock_glue_jobs() as fake:
        glue = boto3.client("glue")
        glue.create_job(Name="job", Role="GlueRole", **KINDS["queued"])
        first = glue.start_job_run(JobName="job")["JobRunId"]
        state = fake.snapshot(timestamps=True)
        fake.reset()
        fake.load(state)
        assert glue.start_job_run(JobName="job")["JobRunId"] != first
