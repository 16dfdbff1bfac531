"""Dagster recipes: PipesGlueClient against the fake, its Pipes messages read from the run's logs.

Written from dagster-aws's guide (https://docs.dagster.io/integrations/libraries/aws/glue/glue-pipes):
an asset runs a Glue job through ``PipesGlueClient`` with an S3 context injector (moto answers S3)
and a CloudWatch message reader, which reads the Pipes messages the job prints to
``<LogGroupName>/output``, stream = run id. Here the test scripts those lines with
``run_states(..., logs=[...])``. Skipped where dagster-aws is not installed.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

dagster = pytest.importorskip("dagster")
pipes = pytest.importorskip("dagster_aws.pipes")
mock_aws = pytest.importorskip("moto").mock_aws

from dagster import AssetExecutionContext  # noqa: E402
from dagster_aws.pipes import PipesGlueClient  # noqa: E402

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs  # noqa: E402

# No `from __future__ import annotations` here: Dagster reads the asset's annotations.


def pipes_message(method: str, **params: Any) -> str:
    """A line as dagster-pipes prints it from inside the Glue job."""
    return json.dumps({"__dagster_pipes_version": "0.1", "method": method, "params": params})


@dagster.asset
def nightly(context: AssetExecutionContext, glue: PipesGlueClient) -> Any:
    return glue.run(
        context=context,
        start_job_run_params={"JobName": "nightly", "Arguments": {"--day": "2026-12-01"}},
    ).get_materialize_result()


@pytest.fixture
def glue_client(glue_jobs: GlueJobsFake) -> Iterator[Any]:
    """The resource as the guide builds it; moto answers S3 beside the fake."""
    with aws_beside_the_fake(glue_jobs) as s3, pipes_glue_client(s3) as client:
        yield client


@contextmanager
def aws_beside_the_fake(glue_jobs: GlueJobsFake) -> Iterator[Any]:
    """moto's S3 with the Pipes bucket, and the Glue job the asset runs; yields the S3 client."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="dagster-pipes")
        glue_jobs.add_job(
            Name="nightly",
            Role="arn:aws:iam::123456789012:role/GlueRole",
            Command={"Name": "glueetl", "ScriptLocation": "s3://dagster-pipes/nightly.py"},
        )
        yield s3


@contextmanager
def pipes_glue_client(s3: Any) -> Iterator[Any]:
    """A PipesGlueClient for one run, which waits for the log reader threads it started.

    After a successful run, PipesGlueClient adds a PipesCloudWatchLogReader to its message reader;
    that reader tails the run's stream in a thread of its own, which Dagster neither joins nor
    stops (its ``stop()`` does nothing), and which ends only after it reads a line once the run
    is over. The message reader keeps the log reader: a second run through the same resource
    starts it again on the first run's stream, where no line will come, and its thread polls
    GetLogEvents until the process ends. So: one resource per run, and its log readers waited for
    before the fake stops.
    """
    message_reader = pipes.PipesCloudWatchMessageReader(
        client=boto3.client("logs", region_name="us-east-1")
    )
    yield pipes.PipesGlueClient(
        client=boto3.client("glue", region_name="us-east-1"),
        context_injector=pipes.PipesS3ContextInjector(client=s3, bucket="dagster-pipes"),
        message_reader=message_reader,
    )
    for reader in message_reader.log_readers.values():
        if reader.is_running():
            reader.thread.join(30)
        assert not reader.is_running(), "a Dagster log reader is still tailing CloudWatch Logs"


def test_the_asset_receives_the_materialization_the_job_reported(
    glue_jobs: GlueJobsFake, glue_client: Any
) -> None:
    glue_jobs.run_states(
        "nightly",
        "RUNNING",
        "SUCCEEDED",
        logs=[
            pipes_message("opened", extras={}),
            "a plain line the script printed",
            pipes_message(
                "report_asset_materialization",
                asset_key="nightly",
                metadata={"rows": {"raw_value": 42, "type": "int"}},
                data_version=None,
            ),
            pipes_message("closed"),
        ],
    )
    result = dagster.materialize([nightly], resources={"glue": glue_client})
    assert result.success
    (materialization,) = result.asset_materializations_for_node("nightly")
    assert materialization.metadata["rows"].value == 42
    (run,) = glue_jobs.runs("nightly")
    assert materialization.metadata["AWS Glue Job Run ID"].value == run["Id"]
    # The Pipes bootstrap arguments travel with the run's own.
    assert run["Arguments"]["--day"] == "2026-12-01"
    assert {"--dagster-pipes-context", "--dagster-pipes-messages"} <= set(run["Arguments"])


def test_a_failed_run_fails_the_asset_with_its_error_message(
    glue_jobs: GlueJobsFake, glue_client: Any
) -> None:
    # A script inside `with open_dagster_pipes():` reports "closed" even when it raises; without
    # it, Dagster waits 10 s for more messages after the run ends.
    glue_jobs.run_states(
        "nightly",
        "RUNNING",
        "FAILED",
        error_message="NameError: name 'spark' is not defined",
        logs=[pipes_message("opened", extras={}), pipes_message("closed")],
    )
    with pytest.raises(RuntimeError, match="NameError: name 'spark' is not defined"):
        dagster.materialize([nightly], resources={"glue": glue_client})


def test_a_long_run_and_a_failed_one_under_virtual_time() -> None:
    # PipesGlueClient polls every 5 s; after a failed run Dagster waits 10 s for messages.
    with mock_glue_jobs(virtual_time=True) as fake, aws_beside_the_fake(fake) as s3:
        fake.run_states("nightly", *["RUNNING"] * 10, "SUCCEEDED", logs=[pipes_message("closed")])
        with pipes_glue_client(s3) as client:
            assert dagster.materialize([nightly], resources={"glue": client}).success
        fake.run_states("nightly", "RUNNING", "FAILED", error_message="boom")
        with pipes_glue_client(s3) as client, pytest.raises(RuntimeError, match="boom"):
            dagster.materialize([nightly], resources={"glue": client})
