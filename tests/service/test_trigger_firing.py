"""Triggers fire: ON_DEMAND on StartTrigger, CONDITIONAL when watched runs end, SCHEDULED on the
fake's clock (https://docs.aws.amazon.com/glue/latest/dg/trigger-job.html)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from helpers import glue_error, job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs


def finish(glue: Any, job: str, run_id: str) -> list[str]:
    """Poll GetJobRun until the run ends, as a poller would; the states it read."""
    states = []
    for _ in range(10):
        state = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"]
        states.append(state)
        if state in ("SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR"):
            return states
    raise AssertionError(f"{job} run {run_id} never ended: {states}")


def only_run(glue: Any, job: str) -> dict[str, Any]:
    (run,) = glue.get_job_runs(JobName=job)["JobRuns"]
    return dict(run)


def create_jobs(glue: Any, *names: str) -> None:
    for name in names:
        glue.create_job(**job_params(name))


def scheduled(name: str, schedule: str, job: str, **extra: Any) -> dict[str, Any]:
    """CreateTrigger parameters for a SCHEDULED trigger that starts ``job``."""
    return {
        "Name": name,
        "Type": "SCHEDULED",
        "Schedule": schedule,
        "Actions": [{"JobName": job}],
        **extra,
    }


def conditional(name: str, watched: str, start: str, state: str = "SUCCEEDED") -> dict[str, Any]:
    return {
        "Name": name,
        "Type": "CONDITIONAL",
        "StartOnCreation": True,
        "Predicate": {
            "Conditions": [{"LogicalOperator": "EQUALS", "JobName": watched, "State": state}]
        },
        "Actions": [{"JobName": start}],
    }


def test_a_conditional_chain_of_three_jobs_runs_from_one_start_job_run(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    create_jobs(glue, "extract", "transform", "load")
    # One condition: Logical may be left out ("An optional field if only one condition is listed",
    # https://docs.aws.amazon.com/glue/latest/webapi/API_Predicate.html).
    glue.create_trigger(**conditional("after-extract", "extract", "transform"))
    glue.create_trigger(**conditional("after-transform", "transform", "load"))

    first = glue.start_job_run(JobName="extract")["JobRunId"]
    assert finish(glue, "extract", first) == ["STARTING", "RUNNING", "SUCCEEDED"]
    transform = only_run(glue, "transform")
    assert transform["TriggerName"] == "after-extract"
    assert transform["PredecessorRuns"] == [{"JobName": "extract", "RunId": first}]
    assert finish(glue, "transform", transform["Id"])[-1] == "SUCCEEDED"
    load = only_run(glue, "load")
    assert load["TriggerName"] == "after-transform"
    assert load["PredecessorRuns"] == [{"JobName": "transform", "RunId": transform["Id"]}]
    assert finish(glue, "load", load["Id"])[-1] == "SUCCEEDED"
    assert len(glue_jobs.runs()) == 3


def test_a_failed_run_starts_only_the_trigger_watching_failure(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    create_jobs(glue, "extract", "load", "alert")
    glue.create_trigger(**conditional("on-success", "extract", "load"))
    glue.create_trigger(**conditional("on-failure", "extract", "alert", state="FAILED"))
    glue_jobs.run_states("extract", "RUNNING", "FAILED")
    run = glue.start_job_run(JobName="extract")["JobRunId"]
    assert finish(glue, "extract", run)[-1] == "FAILED"
    assert glue.get_job_runs(JobName="load")["JobRuns"] == []
    assert only_run(glue, "alert")["TriggerName"] == "on-failure"


def test_an_and_trigger_waits_for_every_condition_and_fires_once(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    create_jobs(glue, "a", "b", "join")
    trigger = conditional("both", "a", "join")
    trigger["Predicate"] = {
        "Logical": "AND",
        "Conditions": [
            {"LogicalOperator": "EQUALS", "JobName": "a", "State": "SUCCEEDED"},
            {"LogicalOperator": "EQUALS", "JobName": "b", "State": "SUCCEEDED"},
        ],
    }
    glue.create_trigger(**trigger)
    run_a = glue.start_job_run(JobName="a")["JobRunId"]
    finish(glue, "a", run_a)
    assert glue.get_job_runs(JobName="join")["JobRuns"] == []
    run_b = glue.start_job_run(JobName="b")["JobRunId"]
    finish(glue, "b", run_b)
    join = only_run(glue, "join")
    assert sorted(p["RunId"] for p in join["PredecessorRuns"]) == sorted([run_a, run_b])
    # The same pair never fires again: a new run of b alone is not a new satisfying set.
    finish(glue, "b", glue.start_job_run(JobName="b")["JobRunId"])
    assert len(glue.get_job_runs(JobName="join")["JobRuns"]) == 1


def test_a_deactivated_or_never_started_conditional_trigger_does_not_fire(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    create_jobs(glue, "extract", "load")
    glue.create_trigger(**{**conditional("t", "extract", "load"), "StartOnCreation": False})
    assert glue.get_trigger(Name="t")["Trigger"]["State"] == "CREATED"
    finish(glue, "extract", glue.start_job_run(JobName="extract")["JobRunId"])
    glue.start_trigger(Name="t")
    assert glue.get_trigger(Name="t")["Trigger"]["State"] == "ACTIVATED"
    glue.stop_trigger(Name="t")
    assert glue.get_trigger(Name="t")["Trigger"]["State"] == "DEACTIVATED"
    finish(glue, "extract", glue.start_job_run(JobName="extract")["JobRunId"])
    assert glue.get_job_runs(JobName="load")["JobRuns"] == []


def test_start_trigger_on_demand_starts_each_action_as_start_job_run_would(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    create_jobs(glue, "load", "report")
    glue.create_trigger(
        Name="now",
        Type="ON_DEMAND",
        Actions=[
            {"JobName": "load", "Arguments": {"--day": "2026-12-01"}, "Timeout": 30},
            {"JobName": "report"},
        ],
    )
    glue.start_trigger(Name="now")
    load = only_run(glue, "load")
    assert load["Arguments"] == {"--day": "2026-12-01"}
    assert load["Timeout"] == 30
    assert load["TriggerName"] == "now"
    assert only_run(glue, "report")["TriggerName"] == "now"
    # An ON_DEMAND trigger is never activated: it stays CREATED.
    assert glue.get_trigger(Name="now")["Trigger"]["State"] == "CREATED"
    # Concurrency as StartJobRun: the job's one slot is taken.
    with glue_error(glue, "ConcurrentRunsExceededException"):
        glue.start_trigger(Name="now")


def test_an_hourly_scheduled_trigger_fires_exactly_twice_in_two_virtual_hours(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    clock = glue_jobs.freeze_time("2026-12-01 00:00:00")
    glue.create_job(**job_params("hourly"), ExecutionProperty={"MaxConcurrentRuns": 5})
    glue.create_trigger(
        **scheduled("every-hour", "cron(0 * * * ? *)", "hourly", StartOnCreation=True)
    )
    assert glue_jobs.runs("hourly") == []
    clock.tick(timedelta(minutes=30))
    clock.tick(timedelta(hours=2))  # 02:30: the 01:00 and 02:00 firings are due
    runs = glue.get_job_runs(JobName="hourly")["JobRuns"]
    assert [run["StartedOn"] for run in runs] == [
        datetime(2026, 12, 1, 2, tzinfo=timezone.utc),
        datetime(2026, 12, 1, 1, tzinfo=timezone.utc),
    ]
    assert all(run["TriggerName"] == "every-hour" for run in runs)
    assert len(glue_jobs.runs("hourly")) == 2  # reading again fires nothing new


def test_the_controller_sees_scheduled_firings_and_triggers(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    clock = glue_jobs.freeze_time("2026-12-01 23:59:00")
    glue.create_job(**job_params("nightly"))
    glue.create_trigger(**scheduled("midnight", "cron(0 0 * * ? *)", "nightly"))
    glue.start_trigger(Name="midnight")
    clock.tick(timedelta(minutes=2))
    (run,) = glue_jobs.runs("nightly")
    assert run["StartedOn"] == datetime(2026, 12, 2, tzinfo=timezone.utc)
    assert glue_jobs.triggers()["midnight"]["State"] == "ACTIVATED"
    assert glue_jobs.triggers()["midnight"] == glue.get_trigger(Name="midnight")["Trigger"]


@pytest.mark.parametrize("state", ["CREATED", "DEACTIVATED"])
def test_a_scheduled_trigger_that_is_not_activated_does_not_fire(
    glue_jobs: GlueJobsFake, glue: Any, state: str
) -> None:
    clock = glue_jobs.freeze_time("2026-12-01 00:00:00")
    glue.create_job(**job_params("hourly"))
    glue.create_trigger(
        **scheduled("t", "cron(0 * * * ? *)", "hourly", StartOnCreation=state == "DEACTIVATED")
    )
    if state == "DEACTIVATED":
        glue.stop_trigger(Name="t")
    clock.tick(timedelta(hours=3))
    assert glue_jobs.runs("hourly") == []
    assert glue_jobs.triggers()["t"]["State"] == state


def test_a_nightly_trigger_fires_under_virtual_time_when_the_test_sleeps() -> None:
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.freeze_time("2026-12-01 12:00:00")
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_job(**job_params("nightly"))
        trigger = scheduled("nightly-at-2", "cron(0 2 * * ? *)", "nightly", StartOnCreation=True)
        trigger["Actions"][0]["Arguments"] = {"--mode": "full"}
        glue.create_trigger(**trigger)
        time.sleep(24 * 3600)  # virtual: returns at once, the clock moves a day
        (run,) = glue.get_job_runs(JobName="nightly")["JobRuns"]
        assert run["StartedOn"] == datetime(2026, 12, 2, 2, tzinfo=timezone.utc)
        assert run["Arguments"] == {"--mode": "full"}


def test_a_failed_run_that_is_retried_fires_only_when_its_last_attempt_fails(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(**job_params("extract"), MaxRetries=1)
    glue.create_job(**job_params("alert"))
    glue.create_trigger(**conditional("on-failure", "extract", "alert", state="FAILED"))
    glue_jobs.run_states("extract", "FAILED")
    first = glue.start_job_run(JobName="extract")["JobRunId"]
    assert finish(glue, "extract", first)[-1] == "FAILED"
    assert glue.get_job_runs(JobName="alert")["JobRuns"] == []  # the retry is on its way
    finish(glue, "extract", f"{first}_attempt_1")
    alert = only_run(glue, "alert")
    assert alert["PredecessorRuns"] == [{"JobName": "extract", "RunId": f"{first}_attempt_1"}]
