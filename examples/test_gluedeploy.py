"""The demo's test suite: gluedeploy against the glue_jobs fake, using every feature of the plugin.

Run it with ``pytest examples``. Nothing here talks to AWS: every boto3 client created while the
fake is active (including the one gluedeploy builds for itself) is answered in-process.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest
from gluedeploy import DeployError, Spec, deploy, load_spec, plan

from pytest_gluejobs import GlueJobsFake

ALL_JOBS = ["cleanup-tmp", "customers-export", "orders-nightly"]
SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_gluedeploy"
SCRIPT = {"Name": "glueetl", "ScriptLocation": "s3://acme-glue/scripts/legacy.py"}


@pytest.fixture
def spec() -> Spec:
    return load_spec(Path(__file__).with_name("jobs.json"))


# -- create, update, delete -----------------------------------------------------------------------


def test_first_deploy_creates_every_job_with_glues_defaults(glue_jobs: GlueJobsFake, spec: Spec):
    report = deploy(spec)

    assert report.created == ALL_JOBS
    glue_jobs.assert_job_names(*ALL_JOBS)
    # What GetJob shows includes what Glue fills in: Timeout, both capacity fields, PythonVersion.
    glue_jobs.assert_job(
        "customers-export",
        MaxCapacity=4.0,
        AllocatedCapacity=4,
        Timeout=480,  # Glue 6.0's default, as today's Glue gives a job without a version
        Command={"Name": "glueetl", "PythonVersion": "2"},
    )
    glue_jobs.assert_job("orders-nightly", WorkerType="G.1X", NumberOfWorkers=10, MaxCapacity=10.0)
    assert glue_jobs.tags("orders-nightly") == {"team": "data-platform", "managed-by": "gluedeploy"}
    glue_jobs.assert_snapshot()  # the whole account, against __snapshots__/test_gluedeploy/


def test_deploying_again_changes_nothing(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec)
    report = deploy(spec)

    # Glue's defaults in GetJob's answer are not mistaken for changes.
    assert report.unchanged == ALL_JOBS
    glue_jobs.assert_called("CreateJob", times=3)
    glue_jobs.assert_not_called("UpdateJob")
    glue_jobs.assert_not_called("DeleteJob")


def test_a_changed_job_is_replaced_by_its_spec_definition(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec)
    spec["orders-nightly"]["NumberOfWorkers"] = 20
    del spec["orders-nightly"]["Description"]

    assert plan(spec, boto3.client("glue")).update == {
        "orders-nightly": [
            "Description: 'Rebuild the orders mart every night' -> (removed)",
            "NumberOfWorkers: 10 -> 20",
        ]
    }
    report = deploy(spec)

    assert report.updated == ["orders-nightly"]
    # UpdateJob replaces the whole definition, so the request is the spec's definition itself.
    [call] = glue_jobs.assert_called(
        "UpdateJob", times=1, JobName="orders-nightly", JobUpdate={"NumberOfWorkers": 20}
    )
    assert set(call.params["JobUpdate"]) == set(spec["orders-nightly"]) - {"Tags"}
    job = glue_jobs.assert_job("orders-nightly", NumberOfWorkers=20, MaxCapacity=20.0)
    assert "Description" not in job
    assert glue_jobs.tags("orders-nightly")["managed-by"] == "gluedeploy"  # tags survive updates


def test_sending_getjob_output_back_is_refused_as_by_glue(glue_jobs: GlueJobsFake, spec: Spec):
    """Why gluedeploy never sends GetJob's output back: it has two capacity fields Glue refuses."""
    glue = boto3.client("glue")
    deploy(spec, glue)
    job = glue.get_job(JobName="customers-export")["Job"]
    read_only = ("Name", "CreatedOn", "LastModifiedOn")
    naive_update = {key: value for key, value in job.items() if key not in read_only}

    with pytest.raises(glue.exceptions.InvalidInputException, match="Allocated Capacity or Max"):
        glue.update_job(JobName="customers-export", JobUpdate=naive_update)


def test_an_account_loaded_from_a_snapshot_needs_no_change(glue_jobs: GlueJobsFake, spec: Spec):
    # The state another test left, committed as a snapshot file, seeds this one.
    stored = SNAPSHOTS / "test_deployed_state_with_its_timestamps.json"
    glue_jobs.load(json.loads(stored.read_text()))

    assert deploy(spec).unchanged == ALL_JOBS
    glue_jobs.assert_not_called("CreateJob")
    glue_jobs.assert_not_called("UpdateJob")


def test_jobs_removed_from_the_spec_are_deleted(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec)
    del spec["cleanup-tmp"]

    assert deploy(spec).deleted == ["cleanup-tmp"]
    glue_jobs.assert_no_job("cleanup-tmp")
    glue_jobs.assert_called("DeleteJob", times=1, JobName="cleanup-tmp")


def test_managed_jobs_are_found_across_pages(glue_jobs: GlueJobsFake):
    for number in range(150):
        glue_jobs.add_job(
            Name=f"old-{number:03}",
            Role="GlueETLRole",
            Command=SCRIPT,
            Tags={"managed-by": "gluedeploy"},
        )

    assert len(deploy({}).deleted) == 150
    glue_jobs.assert_called("ListJobs", times=2)  # botocore's paginator followed NextToken
    glue_jobs.assert_job_names()


@pytest.mark.glue_jobs(jobs=[{"Name": "legacy-report", "Role": "GlueETLRole", "Command": SCRIPT}])
def test_jobs_made_by_hand_are_never_touched(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec)

    glue_jobs.assert_job("legacy-report", Command=SCRIPT)
    glue_jobs.assert_not_called("DeleteJob")


def test_a_spec_job_made_by_hand_is_not_taken_over(glue_jobs: GlueJobsFake, spec: Spec):
    glue_jobs.add_job(Name="customers-export", Role="SomeoneElsesRole", Command=SCRIPT)

    with pytest.raises(DeployError, match="not created by gluedeploy"):
        deploy(spec)
    glue_jobs.assert_not_called("CreateJob")
    glue_jobs.assert_job("customers-export", Role="SomeoneElsesRole")


def test_each_region_is_its_own_account_state(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec, glue_jobs.client(region_name="eu-west-1"))

    glue_jobs.assert_job_names(*ALL_JOBS, region="eu-west-1")
    glue_jobs.assert_job_names()  # the default region, us-east-1, is untouched


# -- when Glue misbehaves -------------------------------------------------------------------------


@pytest.mark.glue_fault("CreateJob", "InternalServiceException", times=2)
def test_glue_hiccups_are_retried_by_botocore(glue_jobs: GlueJobsFake, spec: Spec):
    assert deploy(spec).created == ALL_JOBS

    creates = [call for call in glue_jobs.calls if call.operation == "CreateJob"]
    assert [call.status for call in creates] == [500, 500, 200, 200, 200]
    # botocore computed its back-off after each 500; the fake recorded it instead of sleeping.
    assert [call.retry_delay is not None for call in creates[:3]] == [True, True, False]


@pytest.mark.glue_fault("CreateJob", "InternalServiceException")
def test_a_glue_outage_gives_up_after_three_attempts(glue_jobs: GlueJobsFake, spec: Spec):
    with pytest.raises(DeployError, match=r"CreateJob for job 'cleanup-tmp' failed after 3") as err:
        deploy(spec)

    assert err.value.report.created == []
    glue_jobs.assert_called("CreateJob", times=3, Name="cleanup-tmp")
    glue_jobs.assert_job_names()


@pytest.mark.glue_fault("UpdateJob", "OperationTimeout", times=1, job_name="orders-nightly")
def test_a_timeout_stops_cleanly_and_a_rerun_finishes(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec)
    spec["customers-export"]["MaxCapacity"] = 8
    spec["orders-nightly"]["Timeout"] = 60

    with pytest.raises(DeployError, match="Glue timed out") as err:
        deploy(spec)
    # A timeout is a 400 that botocore does not retry: one attempt, then deploy stops.
    assert (err.value.operation, err.value.job) == ("UpdateJob", "orders-nightly")
    assert err.value.report.updated == ["customers-export"]
    glue_jobs.assert_job("orders-nightly", Timeout=120)

    assert deploy(spec).updated == ["orders-nightly"]
    glue_jobs.assert_job("orders-nightly", Timeout=60)


@pytest.mark.glue_fault("ListJobs", "OperationTimeout")
def test_nothing_changes_when_the_account_cannot_be_read(glue_jobs: GlueJobsFake, spec: Spec):
    with pytest.raises(DeployError, match="ListJobs for reading the account failed") as err:
        deploy(spec)

    assert err.value.job is None
    glue_jobs.assert_not_called("CreateJob")


def test_a_failed_delete_leaves_the_rest_for_the_next_run(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec)

    fault = glue_jobs.fail("DeleteJob", "OperationTimeout", job_name="customers-export")
    with fault, pytest.raises(DeployError, match="DeleteJob for job 'customers-export'"):
        deploy({})
    assert fault.fired == 1
    glue_jobs.assert_job_names("customers-export", "orders-nightly")

    assert deploy({}).deleted == ["customers-export", "orders-nightly"]


@pytest.mark.glue_fault("*", "ThrottlingException", probability=0.3, seed=7)
def test_deploy_converges_through_random_throttling(glue_jobs: GlueJobsFake, spec: Spec):
    assert deploy(spec).created == ALL_JOBS

    throttled = [call for call in glue_jobs.calls if call.error == "ThrottlingException"]
    assert throttled and all(call.injected for call in throttled)
    glue_jobs.assert_job_names(*ALL_JOBS)


# -- time -----------------------------------------------------------------------------------------

MARCH_1 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_an_update_moves_last_modified_on_only(glue_jobs: GlueJobsFake, spec: Spec):
    clock = glue_jobs.freeze_time(MARCH_1)
    deploy(spec)
    clock.tick(timedelta(hours=1))
    spec["customers-export"]["MaxCapacity"] = 8
    deploy(spec)

    updated: dict[str, Any] = {"CreatedOn": MARCH_1, "LastModifiedOn": MARCH_1 + timedelta(hours=1)}
    glue_jobs.assert_job("customers-export", **updated)
    glue_jobs.assert_job("orders-nightly", CreatedOn=MARCH_1, LastModifiedOn=MARCH_1)


@pytest.mark.glue_jobs(frozen_time="2026-03-01T09:00:00Z")
def test_deployed_state_with_its_timestamps(glue_jobs: GlueJobsFake, spec: Spec):
    deploy(spec)

    glue_jobs.assert_snapshot(timestamps=True)
