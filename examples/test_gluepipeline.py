"""The demo's pipeline tests: gluepipeline's jobs and triggers, fired as Glue fires them.

One StartJobRun runs the whole chain; a failed extract starts the cleanup instead of the rest; the
nightly schedule is checked over several nights of virtual time, where the test's sleeps return at
once and move the fake's clock.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import boto3
import pytest
from gluepipeline import deploy_pipeline, follow

from pytest_gluejobs import GlueJobsFake

SETTINGS = {
    "role": "arn:aws:iam::123456789012:role/GlueETLRole",
    "scripts": "s3://acme-glue/scripts",
    "staging": "s3://acme-glue/staging/orders/",
}


class Sleeps:
    """A poller's sleep the test does not pay for: it only counts."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, seconds: float) -> None:
        self.count += 1


def december(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=timezone.utc)


def test_deploying_creates_the_jobs_and_active_triggers(glue_jobs: GlueJobsFake) -> None:
    triggers = deploy_pipeline(boto3.client("glue"), "orders", **SETTINGS)

    glue_jobs.assert_job_names(
        "orders-cleanup", "orders-extract", "orders-load", "orders-transform"
    )
    assert sorted(glue_jobs.triggers()) == sorted(triggers)
    # StartOnCreation activated every trigger: none waits for a StartTrigger.
    assert {t["State"] for t in glue_jobs.triggers().values()} == {"ACTIVATED"}
    assert glue_jobs.triggers()["orders-nightly"]["Schedule"] == "cron(0 2 * * ? *)"
    # The trigger that starts a job is found by its name, as a deployment check would look it up.
    starting_load = boto3.client("glue").list_triggers(DependentJobName="orders-load")
    assert starting_load["TriggerNames"] == ["orders-load-after-transform"]


def test_one_start_job_run_runs_the_whole_chain(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    deploy_pipeline(glue, "orders", **SETTINGS)
    # A backfill: the extract is started by hand, for one day; the triggers do the rest.
    extract = glue.start_job_run(JobName="orders-extract", Arguments={"--day": "2026-11-30"})

    ended = follow(glue, "orders", extract["JobRunId"], sleep=Sleeps())

    assert {step: run["JobRunState"] for step, run in ended.items()} == {
        "extract": "SUCCEEDED",
        "transform": "SUCCEEDED",
        "load": "SUCCEEDED",
    }
    assert "TriggerName" not in ended["extract"]  # started by StartJobRun, not by a trigger
    assert ended["transform"]["TriggerName"] == "orders-transform-after-extract"
    assert ended["transform"]["PredecessorRuns"] == [
        {"JobName": "orders-extract", "RunId": extract["JobRunId"]}
    ]
    assert ended["load"]["TriggerName"] == "orders-load-after-transform"
    # A trigger's action without Arguments starts the run without any: the job's DefaultArguments
    # are Glue's to merge inside the script, not copied onto the run.
    assert ended["load"].get("Arguments", {}) == {}
    glue_jobs.assert_called("StartJobRun", times=1)  # the only run started by hand
    assert glue_jobs.runs("orders-cleanup") == []


def test_a_failed_extract_starts_the_cleanup_and_not_the_rest(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    deploy_pipeline(glue, "orders", **SETTINGS)
    glue_jobs.run_states(
        "orders-extract",
        "RUNNING",
        "FAILED",
        error_message="AnalysisException: Path does not exist",
    )
    extract = glue.start_job_run(JobName="orders-extract")

    ended = follow(glue, "orders", extract["JobRunId"], sleep=Sleeps())

    assert ended["extract"]["ErrorMessage"] == "AnalysisException: Path does not exist"
    assert ended["cleanup"]["JobRunState"] == "SUCCEEDED"
    assert ended["cleanup"]["TriggerName"] == "orders-cleanup-after-extract"
    assert ended["cleanup"]["Arguments"] == {"--failed-job": "orders-extract"}
    assert glue_jobs.runs("orders-transform") == []
    assert glue_jobs.runs("orders-load") == []


def test_a_deactivated_step_stops_the_chain_there(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    deploy_pipeline(glue, "orders", **SETTINGS)
    glue.stop_trigger(Name="orders-load-after-transform")  # loading paused for a migration
    extract = glue.start_job_run(JobName="orders-extract")

    ended = follow(glue, "orders", extract["JobRunId"], sleep=Sleeps())

    assert list(ended) == ["extract", "transform"]
    assert glue_jobs.runs("orders-load") == []
    assert glue_jobs.triggers()["orders-load-after-transform"]["State"] == "DEACTIVATED"


@pytest.mark.glue_jobs(virtual_time=True, frozen_time="2026-12-01 02:30:00")
def test_the_nightly_trigger_fires_once_a_night_at_two(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    deploy_pipeline(glue, "orders", **SETTINGS)
    nights = 3
    for _ in range(nights):
        # Virtual time: this sleep returns at once and moves the fake's clock a day on, past the
        # next 02:00. The night's extract started at 02:00, not when the test reads it; the fake
        # moves a run on only when it is read, so the test reads it half an hour later, well
        # within the job's 2-hour Timeout (read at noon, it would have timed out).
        time.sleep(24 * 3600)
        (tonight, *_) = glue.get_job_runs(JobName="orders-extract")["JobRuns"]
        ended = follow(glue, "orders", tonight["Id"])  # its sleeps are virtual too
        assert ended["load"]["JobRunState"] == "SUCCEEDED"

    extracts = glue_jobs.runs("orders-extract")  # newest first
    assert [run["StartedOn"] for run in extracts] == [
        december(4, 2),
        december(3, 2),
        december(2, 2),
    ]
    assert {run["TriggerName"] for run in extracts} == {"orders-nightly"}
    assert {run["Arguments"]["--mode"] for run in extracts} == {"incremental"}
    assert len(glue_jobs.runs("orders-load")) == nights
    # Each chain followed its own night's extract.
    transforms = glue_jobs.runs("orders-transform")
    assert sorted(r["PredecessorRuns"][0]["RunId"] for r in transforms) == sorted(
        r["Id"] for r in extracts
    )


@pytest.mark.glue_jobs(virtual_time=True, frozen_time="2026-12-01 00:30:00")
def test_an_hourly_schedule_fires_exactly_twice_in_two_hours(glue_jobs: GlueJobsFake) -> None:
    glue = boto3.client("glue")
    deploy_pipeline(glue, "orders", schedule="cron(0 * * * ? *)", **SETTINGS)

    for _ in range(2):
        time.sleep(3600)  # past the next full hour: 01:30, then about 02:30
        (latest, *_) = glue.get_job_runs(JobName="orders-extract")["JobRuns"]
        # Each hour's chain ends before the next hour's extract: the job's one slot is free again.
        follow(glue, "orders", latest["Id"])

    starts = [run["StartedOn"] for run in glue_jobs.runs("orders-extract")]
    assert starts == [december(1, 2), december(1, 1)]
