"""Job runs as Glue shows them: STARTING first, DPUSeconds, a streaming run's MaintenanceWindow, a
run Glue's executor fails at launch, and one wording for a job that is not there."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from helpers import command, glue_error, job_params, read_run, start_run

from pytest_gluejobs import GlueJobsFake

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def test_a_read_right_after_start_job_run_shows_starting(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # https://docs.aws.amazon.com/glue/latest/dg/job-run-statuses.html: STARTING is the first
    # status; pollers (Airflow's waiter, Step Functions) treat it as active.
    glue.create_job(**job_params())
    run_id = start_run(glue)
    assert read_run(glue, run_id)["JobRunState"] == "STARTING"
    listed = glue.get_job_runs(JobName="nightly")["JobRuns"]
    assert [run["JobRunState"] for run in listed] == ["RUNNING"]  # the listing reads it too
    assert read_run(glue, run_id)["JobRunState"] == "SUCCEEDED"


def test_starting_is_scriptable(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # A script that begins with STARTING holds the run there for as many reads as it names.
    glue.create_job(**job_params())
    glue_jobs.run_states("nightly", "STARTING", "STARTING", "FAILED", error_message="no capacity")
    run_id = start_run(glue)
    states = [read_run(glue, run_id)["JobRunState"] for _ in range(4)]
    assert states == ["STARTING", "STARTING", "FAILED", "FAILED"]


@pytest.mark.parametrize(
    ("overrides", "arguments"),
    [
        ({"ExecutionClass": "FLEX"}, None),
        ({"DefaultArguments": {"--enable-auto-scaling": "true"}}, None),
        ({}, {"--enable-auto-scaling": "true"}),
    ],
    ids=["flex", "auto-scaling-job", "auto-scaling-run"],
)
def test_flex_and_auto_scaling_runs_carry_dpu_seconds(
    glue_jobs: GlueJobsFake,
    glue: Any,
    overrides: dict[str, Any],
    arguments: dict[str, str] | None,
) -> None:
    # Model JobRun.DPUSeconds: "can be set for either job runs with execution class FLEX or when
    # Auto Scaling is enabled"; recorded on a 2022 G.2X run (DPUSeconds 240.0). The fake bills
    # every worker for the whole run (an upper bound; Glue's figure can be lower).
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params(WorkerType="G.2X", NumberOfWorkers=2, **overrides))
    run_id = start_run(glue, **({"Arguments": arguments} if arguments else {}))
    read_run(glue, run_id)
    assert "DPUSeconds" not in read_run(glue, run_id)  # RUNNING
    clock.tick(timedelta(seconds=60))
    done = read_run(glue, run_id)
    assert done["JobRunState"] == "SUCCEEDED"
    assert done["DPUSeconds"] == 60 * 4.0


def test_a_standard_run_has_no_dpu_seconds(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params(WorkerType="G.2X", NumberOfWorkers=2))
    run_id = start_run(glue)
    glue_jobs.finish_run(run_id)
    assert "DPUSeconds" not in read_run(glue, run_id)


def test_a_streaming_run_carries_its_jobs_maintenance_window(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # Model JobRun.MaintenanceWindow: "a maintenance window for streaming jobs", on the run.
    glue.create_job(**job_params(kind="gluestreaming", MaintenanceWindow="Sun:23"))
    assert read_run(glue, start_run(glue))["MaintenanceWindow"] == "Sun:23"


def test_a_g025x_run_of_a_spark_etl_job_fails_as_glues_executor_fails_it(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # https://github.com/aws-samples/cql-replicator/issues/160: CreateJob accepts G.025X on a
    # glueetl job (the type is for streaming jobs), and the run FAILS with "JobName:<job> and
    # JobRunId:<id> failed to execute with exception Given GlueVersion [4.0] is not valid.
    # (Service: AWSGlueJobExecutor; Status Code: 400; Error Code: InvalidInputException; ...)".
    glue.create_job(**job_params(GlueVersion="4.0", WorkerType="G.025X", NumberOfWorkers=2))
    run_id = start_run(glue)
    assert read_run(glue, run_id)["JobRunState"] == "STARTING"
    failed = read_run(glue, run_id)
    assert failed["JobRunState"] == "FAILED"
    assert re.fullmatch(
        rf"JobName:nightly and JobRunId:{run_id} failed to execute with exception Given "
        r"GlueVersion \[4\.0\] is not valid\. \(Service: AWSGlueJobExecutor; Status Code: 400; "
        r"Error Code: InvalidInputException; Request ID: [0-9a-f-]{36}; Proxy: null\)",
        failed["ErrorMessage"],
    )
    glue.create_job(
        **job_params("streaming", kind="gluestreaming", WorkerType="G.025X", NumberOfWorkers=2)
    )
    streaming = start_run(glue, "streaming")
    read_run(glue, streaming, "streaming")
    assert read_run(glue, streaming, "streaming")["JobRunState"] == "RUNNING"


def test_every_operation_on_a_missing_job_says_job_not_found(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # GetJob's recorded answer is "Job not found." (AWS CLI output quoted in public issues); the
    # run and tag operations use the same words (their own are unrecorded). StartJobRun's own
    # recorded text: "Failed to start job run due to missing metadata."
    arn = "arn:aws:glue:us-east-1:123456789012:job/missing"
    for call in (
        lambda: glue.get_job(JobName="missing"),
        lambda: glue.get_job_run(JobName="missing", RunId="jr_" + "0" * 64),
        lambda: glue.get_job_runs(JobName="missing"),
        lambda: glue.get_tags(ResourceArn=arn),
        lambda: glue.tag_resource(ResourceArn=arn, TagsToAdd={"k": "v"}),
        lambda: glue.untag_resource(ResourceArn=arn, TagsToRemove=["k"]),
    ):
        with glue_error(glue, "EntityNotFoundException") as caught:
            call()
        assert caught.value.response["Error"]["Message"] == "Job not found."
    with glue_error(
        glue, "EntityNotFoundException", "Failed to start job run due to missing metadata."
    ):
        start_run(glue, "missing")


def test_a_run_of_a_python_shell_job_keeps_its_python(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params(Command=command("pythonshell", PythonVersion="3.9")))
    run = read_run(glue, start_run(glue))
    assert (run["MaxCapacity"], run["LogGroupName"]) == (0.0625, "/aws-glue/python-jobs")
