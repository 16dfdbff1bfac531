"""Real orchestrator code against the fake: Airflow's GlueJobHook, through every state it reads.

Skipped where apache-airflow-providers-amazon is not installed (it is not in the test extra:
Airflow is a large install). Its pollers sleep between reads; the tests replace that sleep with
one that records and returns, so they take no time, and the fake moves a run one step per read.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from helpers import job_params

from pytest_gluejobs import GlueJobsFake

glue_hooks = pytest.importorskip("airflow.providers.amazon.aws.hooks.glue")
AirflowException = pytest.importorskip("airflow.exceptions").AirflowException


@pytest.fixture
def hook(glue_jobs: GlueJobsFake, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    monkeypatch.setenv("AIRFLOW_HOME", os.fspath(tmp_path))
    slept: list[float] = []
    monkeypatch.setattr(glue_hooks.time, "sleep", slept.append)
    made = glue_hooks.GlueJobHook(
        aws_conn_id=None,
        region_name="us-east-1",
        job_name="nightly",
        desc="the nightly job",
        script_location="s3://b/nightly.py",
        iam_role_arn="arn:aws:iam::123456789012:role/GlueRole",
        retry_limit=0,
    )
    made.slept = slept
    return made


def test_initialize_job_creates_the_job_and_starts_a_run(
    glue_jobs: GlueJobsFake, hook: Any
) -> None:
    run = hook.initialize_job({"--day": "2026-12-01"})
    glue_jobs.assert_job("nightly", Description="the nightly job", MaxCapacity=10.0)
    (stored,) = glue_jobs.runs("nightly")
    assert stored["Id"] == run["JobRunId"]
    assert stored["Arguments"] == {"--day": "2026-12-01"}  # no DefaultArguments merged in
    glue_jobs.assert_called("StartJobRun", JobName="nightly", Arguments={"--day": "2026-12-01"})


def test_job_completion_polls_until_success(glue_jobs: GlueJobsFake, hook: Any) -> None:
    run_id = hook.initialize_job()["JobRunId"]
    assert hook.job_completion("nightly", run_id) == {
        "JobRunState": "SUCCEEDED",
        "JobRunId": run_id,
    }
    # One poll while RUNNING at Airflow's default interval, then its sleep_before_return (0).
    assert hook.slept == [6, 0]


@pytest.mark.parametrize("final", ["FAILED", "TIMEOUT"])
def test_job_completion_raises_on_failure(glue_jobs: GlueJobsFake, hook: Any, final: str) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", final, error_message="it broke")
    run_id = hook.initialize_job()["JobRunId"]
    with pytest.raises(AirflowException, match=f"Run State: {final}"):
        hook.job_completion("nightly", run_id)
    assert len(hook.slept) == 2


def test_a_stopped_run_counts_as_finished_for_the_hook(glue_jobs: GlueJobsFake, hook: Any) -> None:
    # Airflow's hook returns STOPPED like SUCCEEDED (research §6); the stop is the on_kill path.
    run_id = hook.initialize_job()["JobRunId"]
    stopped = hook.conn.batch_stop_job_run(JobName="nightly", JobRunIds=[run_id])
    assert stopped["SuccessfulSubmissions"] == [{"JobName": "nightly", "JobRunId": run_id}]
    assert hook.job_completion("nightly", run_id)["JobRunState"] == "STOPPED"


@pytest.mark.parametrize("state", ["RUNNING", "WAITING", "SUCCEEDED", "FAILED", "ERROR", "EXPIRED"])
def test_get_job_state_reads_every_state(glue_jobs: GlueJobsFake, hook: Any, state: str) -> None:
    glue_jobs.run_states("nightly", state)
    run_id = hook.initialize_job()["JobRunId"]
    assert hook.get_job_state("nightly", run_id) == state
    run = glue_jobs.runs("nightly")[0]
    assert run["LogGroupName"] == "/aws-glue/jobs" and run["StartedOn"]  # verbose mode reads them


def test_update_config_reconciles_tags(
    glue_jobs: GlueJobsFake, hook: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Airflow asks STS for the account to build the job's ARN; STS is not Glue.
    monkeypatch.setattr(glue_hooks.StsHook, "get_account_number", lambda self: glue_jobs.account_id)
    glue_jobs.add_job(**job_params(Tags={"team": "data", "old": "x"}))
    hook.update_config = True
    hook.create_job_kwargs = {"Tags": {"team": "platform", "tier": "1"}}
    hook.initialize_job()
    assert glue_jobs.tags("nightly") == {"team": "platform", "tier": "1"}
    glue_jobs.assert_called("UntagResource", TagsToRemove=["old"])
