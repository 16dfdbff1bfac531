"""Dagster recipes: PipesGlueClient against the fake, its Pipes messages read from the run's logs.

Written from dagster-aws's guide (https://docs.dagster.io/integrations/libraries/aws/glue/glue-pipes):
an asset runs a Glue job through ``PipesGlueClient`` with an S3 context injector (moto answers S3)
and a CloudWatch message reader, which reads the Pipes messages the job prints to
``<LogGroupName>/output``, stream = run id. Here the test scripts those lines with
``run_states(..., logs=[...])``. Every recipe runs under virtual time: PipesGlueClient sleeps 5 s
between reads of a run (no setting changes it), and Dagster's readers sleep 1 s between reads and
wait up to 10 s for the last messages. Skipped where dagster-aws is not installed.
"""

import json
import threading
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

from pytest_gluejobs import GlueJobsFake  # noqa: E402

pytestmark = pytest.mark.glue_jobs(virtual_time=True)

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
    """The resource as the guide builds it, for one run; moto answers S3 beside the fake.

    Dagster's readers run in threads of their own: none may outlive the test.
    """
    before = set(threading.enumerate())
    with aws_beside_the_fake(glue_jobs) as s3:
        yield pipes_glue_client(s3)
    started = [thread for thread in threading.enumerate() if thread not in before]
    for thread in started:
        thread.join(5)
    assert not [t.name for t in started if t.is_alive()], "a thread Dagster started still runs"


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


class PipesCloudWatchMessagesOnly(pipes.PipesCloudWatchMessageReader):
    """dagster-aws's CloudWatch message reader, without the log forwarding PipesGlueClient adds.

    After a successful run PipesGlueClient adds a ``PipesCloudWatchLogReader`` that copies the
    run's other lines to stdout, from a thread that reads GetLogEvents without pause and checks
    whether the Pipes session has closed only after a read that returned lines. When that thread
    starts before the session closes, it reads the run's lines and then polls the end of the
    stream for ever; nothing in dagster-aws stops it. The Pipes messages do not need it: this
    reader reads them.
    """

    def add_log_reader(self, log_reader: Any) -> None:
        """Leave out the log reader PipesGlueClient adds after a successful run."""


def pipes_glue_client(s3: Any) -> Any:
    """A PipesGlueClient with a message reader of its own: build one for each run.

    The message reader keeps the last run's log stream, and reads it first on the next run.
    """
    return PipesGlueClient(
        client=boto3.client("glue", region_name="us-east-1"),
        context_injector=pipes.PipesS3ContextInjector(client=s3, bucket="dagster-pipes"),
        message_reader=PipesCloudWatchMessagesOnly(
            client=boto3.client("logs", region_name="us-east-1")
        ),
    )


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
    # Dagster reports no log stream for a failed run, and waits 10 s for messages after it.
    glue_jobs.run_states(
        "nightly",
        "RUNNING",
        "FAILED",
        error_message="NameError: name 'spark' is not defined",
        logs=[pipes_message("opened", extras={}), pipes_message("closed")],
    )
    with pytest.raises(RuntimeError, match="NameError: name 'spark' is not defined"):
        dagster.materialize([nightly], resources={"glue": glue_client})


def test_a_long_run_is_polled_to_its_end(glue_jobs: GlueJobsFake, glue_client: Any) -> None:
    # PipesGlueClient sleeps 5 s after every read that finds the run still running.
    glue_jobs.run_states(
        "nightly",
        *["RUNNING"] * 10,
        "SUCCEEDED",
        logs=[
            pipes_message(
                "report_asset_materialization",
                asset_key="nightly",
                metadata={"rows": {"raw_value": 7, "type": "int"}},
                data_version=None,
            ),
            pipes_message("closed"),
        ],
    )
    result = dagster.materialize([nightly], resources={"glue": glue_client})
    (materialization,) = result.asset_materializations_for_node("nightly")
    assert materialization.metadata["rows"].value == 7
    (run,) = glue_jobs.runs("nightly")
    assert run["JobRunState"] == "SUCCEEDED"
