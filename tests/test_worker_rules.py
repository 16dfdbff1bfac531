"""Worker types x Glue versions x job commands: the one table CreateJob, UpdateJob and StartJobRun
read (pytest_gluejobs/_core/workers.py), each rule with its source."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import botocore
import pytest
from conftest import ROLE, command, glue_error, job_params

from pytest_gluejobs import GlueJobsFake

WORKERS_MESSAGE = "Please do not set Max Capacity if using Worker Type and Number of Workers."
RAY = {"Name": "glueray", "ScriptLocation": "s3://b/r.py", "Runtime": "Ray2.4"}
RAY_WORKERS = {"WorkerType": "Z.2X", "NumberOfWorkers": 2}


def update(glue: Any, **definition: Any) -> None:
    glue.update_job(JobName="nightly", JobUpdate={"Role": ROLE, "Command": command(), **definition})


# -- worker counts --


def test_g1x_needs_two_workers_at_create_update_and_start(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # https://github.com/aws-samples/cql-replicator/issues/181 (StartJobRun, 2025) and the MBTA
    # data-platform Terraform README ("From AWS Validation", CreateJob on Glue 3.0).
    message = "To use Worker Type G.1X, minimum allowed value of Number of Workers is 2."
    with glue_error(glue, "InvalidInputException") as caught:
        glue.create_job(**job_params(WorkerType="G.1X", NumberOfWorkers=1))
    assert caught.value.response["Error"]["Message"] == message
    glue.create_job(**job_params(WorkerType="G.1X", NumberOfWorkers=2))
    with glue_error(glue, "InvalidInputException", message):
        update(glue, WorkerType="G.1X", NumberOfWorkers=1)
    with glue_error(glue, "InvalidInputException", message):
        glue.start_job_run(JobName="nightly", NumberOfWorkers=1)
    assert glue_jobs.runs("nightly") == []


def test_standard_workers_may_be_one(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # terraform-provider-aws #23372 / PR #36458: Standard x 1 on Glue 2.0 is accepted by Glue.
    glue.create_job(**job_params(GlueVersion="3.0", WorkerType="Standard", NumberOfWorkers=1))
    assert glue_jobs.job("nightly")["MaxCapacity"] == 1.0


def test_g025x_at_most_299_workers_on_a_streaming_run(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # https://github.com/aws-samples/cql-replicator/issues/98: "To use Worker Type G.025X,
    # maximum allowed value of Number of Workers is 299." (StartJobRun).
    glue.create_job(**job_params(kind="gluestreaming", WorkerType="G.025X", NumberOfWorkers=2))
    assert glue_jobs.job("nightly")["MaxCapacity"] == 0.5
    with glue_error(glue, "InvalidInputException") as caught:
        glue.start_job_run(JobName="nightly", NumberOfWorkers=300)
    assert caught.value.response["Error"]["Message"] == (
        "To use Worker Type G.025X, maximum allowed value of Number of Workers is 299."
    )
    glue.start_job_run(JobName="nightly", NumberOfWorkers=299)


# -- worker type x Glue version x job command --


def test_g4x_is_not_supported_on_glue_5_0(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # https://github.com/hashicorp/terraform-provider-aws/issues/44420 (CreateJob, 2025-09):
    # "Worker type G.4X is not supported for Glue Version 5.0".
    with glue_error(glue, "InvalidInputException") as caught:
        glue.create_job(**job_params(GlueVersion="5.0", WorkerType="G.4X", NumberOfWorkers=3))
    assert caught.value.response["Error"]["Message"] == (
        "Worker type G.4X is not supported for Glue Version 5.0"
    )
    glue.create_job(**job_params(GlueVersion="4.0", WorkerType="G.4X", NumberOfWorkers=3))
    assert glue_jobs.job("nightly")["MaxCapacity"] == 12.0


@pytest.mark.parametrize("worker_type", ["G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X"])
def test_large_and_memory_optimized_types_are_for_spark_etl_on_4_0_and_later(
    glue_jobs: GlueJobsFake, glue: Any, worker_type: str
) -> None:
    # Service model WorkerType doc and https://docs.aws.amazon.com/glue/latest/dg/worker-types.html:
    # G.12X, G.16X and R.* are "only for Glue version 4.0 or later Spark ETL jobs". The wording for
    # other versions follows G.4X's recorded one (inferred).
    with glue_error(
        glue, "InvalidInputException", f"Worker type {worker_type} is not supported for Glue"
    ):
        glue.create_job(**job_params(GlueVersion="3.0", WorkerType=worker_type, NumberOfWorkers=2))
    with glue_error(glue, "InvalidInputException", f"Worker type {worker_type} is not supported"):
        glue.create_job(
            **job_params(kind="gluestreaming", WorkerType=worker_type, NumberOfWorkers=2)
        )
    glue.create_job(**job_params(GlueVersion="4.0", WorkerType=worker_type, NumberOfWorkers=2))
    assert glue_jobs.job("nightly")["WorkerType"] == worker_type


def test_z2x_is_only_for_ray(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # Model WorkerType doc: "Accepts the value Z.2X for Ray jobs" (and G.* for Spark jobs).
    with glue_error(
        glue, "InvalidInputException", "Worker type Z.2X is not supported for Job Command glueetl"
    ):
        glue.create_job(**job_params(WorkerType="Z.2X", NumberOfWorkers=3))
    assert glue_jobs.jobs == {}


#: DPUs per worker: the model's WorkerType doc and
#: https://docs.aws.amazon.com/glue/latest/dg/worker-types.html (M-DPUs for R.* and Z.2X).
DPUS = {
    "Standard": 1.0,
    "G.025X": 0.25,
    "G.1X": 1.0,
    "G.2X": 2.0,
    "G.4X": 4.0,
    "G.8X": 8.0,
    "G.12X": 12.0,
    "G.16X": 16.0,
    "R.1X": 1.0,
    "R.2X": 2.0,
    "R.4X": 4.0,
    "R.8X": 8.0,
    "Z.2X": 2.0,
}


@pytest.mark.parametrize("worker_type", sorted(DPUS))
def test_capacity_is_workers_times_dpus(
    glue_jobs: GlueJobsFake, glue: Any, worker_type: str
) -> None:
    # Every recorded GetJob of a worker job carries MaxCapacity (workers x DPUs) and
    # AllocatedCapacity (its whole part).
    kind = {"Z.2X": "glueray", "G.025X": "gluestreaming"}.get(worker_type, "glueetl")
    job_command = RAY if kind == "glueray" else command(kind)
    glue.create_job(
        **job_params(
            Command=job_command, GlueVersion="4.0", WorkerType=worker_type, NumberOfWorkers=4
        )
    )
    job = glue_jobs.job("nightly")
    assert (job["MaxCapacity"], job["AllocatedCapacity"]) == (
        DPUS[worker_type] * 4,
        int(DPUS[worker_type] * 4),
    )


def _newer_model(tmp_path: Path) -> Path:
    """A copy of the installed Glue model whose WorkerType enum has botocore 1.44.18's Graviton
    types, where botocore's loader finds it first (AWS_DATA_PATH): a newer botocore, simulated."""
    data = Path(botocore.__file__).parent / "data" / "glue" / "2017-03-31"
    source = data / "service-2.json.gz"
    model = json.loads(
        gzip.decompress(source.read_bytes())
        if source.exists()
        else (data / "service-2.json").read_bytes()
    )
    enum = model["shapes"]["WorkerType"]["enum"]
    enum += [
        f"{base}.GRAVITON"
        for base in ("G.1X", "G.2X", "G.4X", "G.8X", "G.12X", "G.16X", "R.1X", "R.2X", "R.4X")
    ]
    target = tmp_path / "models" / "glue" / "2017-03-31"
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(model))
    return tmp_path / "models"


def test_graviton_types_of_a_newer_botocore_get_their_capacity(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    # botocore 1.44.18's model adds *.GRAVITON worker types; AWS's Glue 6.1 migration page
    # (https://docs.aws.amazon.com/glue/latest/dg/migrating-version-61.html) ties them to the x86
    # sizes. Every real GetJob/GetJobRun carries MaxCapacity, so the fake derives it.
    pytester.makepyfile(
        """
        import boto3

        def test_graviton(glue_jobs):
            glue = boto3.client("glue")
            command = {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
            glue.create_job(
                Name="gr", Role="r", Command=command, WorkerType="G.2X.GRAVITON", NumberOfWorkers=4
            )
            job = glue.get_job(JobName="gr")["Job"]
            assert (job["MaxCapacity"], job["AllocatedCapacity"]) == (8.0, 8)
            run_id = glue.start_job_run(JobName="gr")["JobRunId"]
            run = glue.get_job_run(JobName="gr", RunId=run_id)["JobRun"]
            assert (run["MaxCapacity"], run["WorkerType"]) == (8.0, "G.2X.GRAVITON")
        """
    )
    env = {**os.environ, "AWS_DATA_PATH": str(_newer_model(tmp_path))}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", env)
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


# -- capacity and workers at StartJobRun --


def test_workers_at_start_job_run_on_a_job_sized_by_max_capacity_are_refused(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # An Airflow DAG that started a job created with MaxCapacity with WorkerType/NumberOfWorkers
    # recorded "when calling the StartJobRun operation: Please do not set Max Capacity if using
    # Worker Type and Number of Workers." (apache/airflow example DAG comment; weak, see
    # docs/fidelity.md).
    glue.create_job(**job_params(GlueVersion="4.0", MaxCapacity=6.0))
    with glue_error(glue, "InvalidInputException") as caught:
        glue.start_job_run(JobName="nightly", WorkerType="G.1X", NumberOfWorkers=3)
    assert caught.value.response["Error"]["Message"] == WORKERS_MESSAGE
    glue.create_job(**job_params("workers", WorkerType="G.1X", NumberOfWorkers=2))
    with glue_error(glue, "InvalidInputException", WORKERS_MESSAGE):
        glue.start_job_run(JobName="workers", MaxCapacity=5.0)
    assert glue_jobs.runs() == []


# -- FLEX, Ray, Python shell, streaming --


@pytest.mark.parametrize("kind", ["pythonshell", "gluestreaming"])
def test_flex_at_start_job_run_follows_the_job_rule(
    glue_jobs: GlueJobsFake, glue: Any, kind: str
) -> None:
    # Model StartJobRunRequest.ExecutionClass: "Only jobs with Glue version 3.0 and above and
    # command type glueetl will be allowed to set ExecutionClass to FLEX."
    glue.create_job(**job_params(kind=kind))
    with glue_error(glue, "InvalidInputException", "FLEX", kind):
        glue.start_job_run(JobName="nightly", ExecutionClass="FLEX")
    assert glue_jobs.runs() == []
    glue.create_job(**job_params("etl"))
    run_id = glue.start_job_run(JobName="etl", ExecutionClass="FLEX")["JobRunId"]
    assert glue_jobs.runs("etl")[0]["Id"] == run_id


def test_ray_needs_glue_4_0_and_the_ray2_4_runtime(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # https://docs.aws.amazon.com/glue/latest/dg/ray-jobs-section.html: "GlueVersion should be set
    # to 4.0 or greater", Runtime "Valid values: Ray2.4". Wording ours (inferred).
    with glue_error(glue, "InvalidInputException", "3.0"):
        glue.create_job(**job_params(Command=RAY, GlueVersion="3.0", **RAY_WORKERS))
    with glue_error(glue, "InvalidInputException", "Runtime Ray9.9 is not supported", "Ray2.4"):
        glue.create_job(
            **job_params(Command={**RAY, "Runtime": "Ray9.9"}, GlueVersion="4.0", **RAY_WORKERS)
        )
    glue.create_job(**job_params(Command=RAY, GlueVersion="4.0", **RAY_WORKERS))
    job = glue_jobs.job("nightly")
    assert (job["Timeout"], job["MaxCapacity"], job["Command"]["PythonVersion"]) == (
        480,
        4.0,
        "3.9",
    )
    # "Timeout not supported for Ray jobs" (recorded for CreateJob); the same at StartJobRun is
    # inferred.
    with glue_error(glue, "InvalidInputException", "Timeout not supported for Ray jobs"):
        glue.start_job_run(JobName="nightly", Timeout=30)


def test_a_bare_python_shell_job_runs_python_3_9(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html: Python shell runs Python 3.6
    # or 3.9; the version support policy ended Python shell's Python 2 on 2026-04-01.
    glue.create_job(**job_params(kind="pythonshell"))
    assert glue_jobs.job("nightly")["Command"]["PythonVersion"] == "3.9"
    glue.create_job(**job_params("py36", Command=command("pythonshell", PythonVersion="3")))
    with glue_error(glue, "InvalidInputException", "PythonVersion 2 is not supported", "[3.9, 3]"):
        glue.create_job(**job_params("py2", Command=command("pythonshell", PythonVersion="2")))


@pytest.mark.glue_jobs(default_glue_version="0.9")
def test_the_api_references_era_keeps_python_2_shell_jobs(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # The 2019 API reference's era: Python shell jobs read PythonVersion "2" when none is sent.
    glue.create_job(**job_params(kind="pythonshell"))
    glue.create_job(**job_params("py2", Command=command("pythonshell", PythonVersion="2")))
    assert glue_jobs.job("nightly")["Command"]["PythonVersion"] == "2"


def test_spark_jobs_take_python_2_or_3(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # https://github.com/hashicorp/terraform-provider-aws/issues/29123 (CreateJob of a glueetl
    # job): "PythonVersion 3.9 is not supported. Choose from one of the following: [2, 3]".
    with glue_error(glue, "InvalidInputException") as caught:
        glue.create_job(
            **job_params(Command=command(PythonVersion="3.9"), WorkerType="G.1X", NumberOfWorkers=2)
        )
    assert caught.value.response["Error"]["Message"] == (
        "PythonVersion 3.9 is not supported. Choose from one of the following: [2, 3]"
    )
    glue.create_job(**job_params(Command=command(PythonVersion="3")))


def test_maintenance_window_is_for_streaming_jobs(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # Model MaintenanceWindow doc: "a maintenance window for streaming jobs". Whether Glue refuses
    # it on other jobs is unrecorded: the fake refuses (unverified, docs/fidelity.md).
    with glue_error(glue, "InvalidInputException", "MaintenanceWindow", "glueetl"):
        glue.create_job(**job_params(MaintenanceWindow="Sun:23"))
    glue.create_job(**job_params(kind="gluestreaming", MaintenanceWindow="Sun:23"))
    job = glue_jobs.job("nightly")
    assert job["MaintenanceWindow"] == "Sun:23" and "Timeout" not in job


# -- unknowns that fail loudly (docs/fidelity.md, "Unverified choices") --


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"MaxRetries": -1}, "MaxRetries must be 0 or more"),
        ({"ExecutionProperty": {"MaxConcurrentRuns": 0}}, "MaxConcurrentRuns must be 1 or more"),
    ],
)
def test_counts_without_a_model_minimum_are_refused_below_sense(
    glue_jobs: GlueJobsFake, glue: Any, overrides: dict[str, Any], fragment: str
) -> None:
    # No source says what Glue does; Terraform validates max_retries 0-10 and
    # max_concurrent_runs >= 1 client-side. The fake refuses (unverified).
    with glue_error(glue, "InvalidInputException", fragment):
        glue.create_job(**job_params(**overrides))
    assert glue_jobs.jobs == {}


def test_a_source_control_token_is_never_read_back(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # Unrecorded; Terraform never maps auth_token back from a read (sensitive). The fake keeps a
    # personal access token out of every read (unverified).
    details = {
        "Provider": "GITHUB",
        "Repository": "repo",
        "Owner": "me",
        "AuthStrategy": "PERSONAL_ACCESS_TOKEN",
        "AuthToken": "ghp_secret",
    }
    glue.create_job(**job_params(SourceControlDetails=details))
    job = glue.get_job(JobName="nightly")["Job"]
    assert job["SourceControlDetails"]["Repository"] == "repo"
    assert "AuthToken" not in job["SourceControlDetails"]
    assert "ghp_secret" not in json.dumps(glue_jobs.snapshot())
