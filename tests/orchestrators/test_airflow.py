"""Airflow recipes: GlueJobOperator, GlueJobSensor and GlueJobHook against the fake, end to end.

Each test is a recipe of docs/orchestrators.md, written from the Amazon provider's own guide
(https://airflow.apache.org/docs/apache-airflow-providers-amazon/stable/operators/glue.html).
Skipped where apache-airflow-providers-amazon is not installed (.ci/orchestrators installs it).

Runs move one step per read, so the pollers' sleeps only cost wall time: these recipes set the
operators' own interval knobs to 0, and the ones marked "default intervals" keep Airflow's
defaults and use the fake's virtual time instead.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import boto3
import pytest

# Airflow reads its home and its DAGs folder when it is first imported.
_HOME = tempfile.mkdtemp(prefix="pytest-gluejobs-airflow-")
atexit.register(shutil.rmtree, _HOME, True)
os.environ.setdefault("AIRFLOW_HOME", _HOME)
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
DAGS = Path(__file__).parent / "airflow_dags"
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS))

glue_operators = pytest.importorskip("airflow.providers.amazon.aws.operators.glue")
glue_sensors = pytest.importorskip("airflow.providers.amazon.aws.sensors.glue")
glue_hooks = pytest.importorskip("airflow.providers.amazon.aws.hooks.glue")
glue_triggers = pytest.importorskip("airflow.providers.amazon.aws.triggers.glue")
AirflowException = pytest.importorskip("airflow.exceptions").AirflowException
TaskDeferred = pytest.importorskip("airflow.sdk.exceptions").TaskDeferred

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs  # noqa: E402

ROLE_ARN = "arn:aws:iam::123456789012:role/GlueRole"
#: Airflow's own wait knobs at 0: the fake moves a run one step per read, not per second.
NO_WAIT = {"job_poll_interval": 0}


class TaskInstance:
    """What GlueJobOperator reads from ``context["ti"]`` (a real one needs a metadata DB)."""

    def __init__(self, try_number: int = 1) -> None:
        self.dag_id, self.task_id, self.run_id = "glue_nightly", "run_nightly", "manual__1"
        self.map_index = -1
        self.try_number = try_number
        self.stats_tags: dict[str, str] = {}
        self.xcom: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcom[key] = value

    def xcom_pull(self, key: str, task_ids: Any = None) -> Any:
        return self.xcom.get(key)


class TaskStateStore(dict[str, Any]):
    """Airflow 3.3's task state store, which survives a task's retries."""

    def set(self, key: str, value: Any) -> None:
        self[key] = value


def context(try_number: int = 1, store: TaskStateStore | None = None) -> dict[str, Any]:
    return {"ti": TaskInstance(try_number), "task_state_store": store}


def operator(**kwargs: Any) -> Any:
    """A GlueJobOperator for "nightly" that does not wait between polls."""
    return operator_with_airflows_waits(**{**NO_WAIT, **kwargs})


def operator_with_airflows_waits(**kwargs: Any) -> Any:
    """A GlueJobOperator for "nightly" with Airflow's own wait intervals unless ``kwargs`` say."""
    settings = {
        "task_id": "run_nightly",
        "job_name": "nightly",
        "script_location": "s3://scripts/nightly.py",
        "iam_role_arn": ROLE_ARN,
        "region_name": "us-east-1",
        **kwargs,
    }
    return glue_operators.GlueJobOperator(**settings)


def sensor(run_id: str, **kwargs: Any) -> Any:
    """A GlueJobSensor waiting for run ``run_id`` of "nightly"."""
    return glue_sensors.GlueJobSensor(
        task_id="wait", job_name="nightly", run_id=run_id, region_name="us-east-1", **kwargs
    )


def deferred_trigger(task: Any, task_context: dict[str, Any] | None = None) -> Any:
    """Execute a deferrable ``task``, which must defer; the trigger it defers to."""
    with pytest.raises(TaskDeferred) as deferred:
        task.execute(task_context or context())
    return deferred.value.trigger


def run_trigger(trigger: Any, timeout: float = 30) -> dict[str, Any]:
    """Run a deferred task's trigger to its first event, as Airflow's triggerer does.

    ``timeout`` guards against a hang; under virtual time it is virtual too, so it must outlast
    the trigger's own waits.
    """

    async def first_event() -> dict[str, Any]:
        async for event in trigger.run():
            payload: dict[str, Any] = event.payload
            return payload
        raise AssertionError("the trigger ended without an event")

    return asyncio.run(asyncio.wait_for(first_event(), timeout))


# -- GlueJobOperator, synchronous --------------------------------------------------------------


def test_the_operator_creates_the_job_runs_it_and_returns_the_run_id(
    glue_jobs: GlueJobsFake,
) -> None:
    run_id = operator(script_args={"--day": "2026-12-01"}).execute(context())
    glue_jobs.assert_job(
        "nightly", Role=ROLE_ARN, Command={"ScriptLocation": "s3://scripts/nightly.py"}
    )
    (run,) = glue_jobs.runs("nightly")
    assert (run["Id"], run["JobRunState"]) == (run_id, "SUCCEEDED")
    assert run["Arguments"] == {"--day": "2026-12-01"}


def test_verbose_prints_the_runs_lines_and_its_error(
    glue_jobs: GlueJobsFake, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    glue_jobs.run_states(
        "nightly", "RUNNING", "FAILED", error_message="NameError: x", logs=["reading s3://in"]
    )
    with pytest.raises(AirflowException, match="FAILED"):
        operator(verbose=True).execute(context())
    printed = caplog.text + "".join(capfd.readouterr())
    assert "reading s3://in" in printed
    assert "NameError: x" in printed


def test_a_run_that_times_out_fails_the_task(glue_jobs: GlueJobsFake) -> None:
    # Airflow's synchronous wait knows FAILED and TIMEOUT as failures; a run that ends ERROR or
    # EXPIRED is polled for ever (docs/orchestrators.md), so this recipe scripts TIMEOUT.
    glue_jobs.run_states("nightly", "RUNNING", "TIMEOUT")
    with pytest.raises(AirflowException, match="TIMEOUT"):
        operator().execute(context())


def test_on_kill_stops_the_run(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING")  # runs until stopped
    task = operator(wait_for_completion=False, stop_job_run_on_kill=True)
    run_id = task.execute(context())
    task.on_kill()
    glue_jobs.assert_called("BatchStopJobRun", JobName="nightly", JobRunIds=[run_id])
    client = boto3.client("glue", region_name="us-east-1")
    assert client.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["JobRunState"] == "STOPPED"


def test_a_retry_reattaches_to_the_run_the_first_try_started(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")
    store = TaskStateStore()
    first = operator(wait_for_completion=False)
    run_id = first.execute(context(store=store))
    assert store == {"glue_job_run_id": run_id}  # what survives the worker
    assert operator().execute(context(try_number=2, store=store)) == run_id
    assert len(glue_jobs.runs("nightly")) == 1
    glue_jobs.assert_called("StartJobRun", JobName="nightly")  # once


def test_the_script_is_uploaded_and_the_role_looked_up_in_moto(
    glue_jobs: GlueJobsFake, tmp_path: Path
) -> None:
    mock_aws = pytest.importorskip("moto").mock_aws
    script = tmp_path / "nightly.py"
    script.write_text("print('nightly')\n")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="artifacts")
        boto3.client("iam").create_role(RoleName="GlueRole", AssumeRolePolicyDocument="{}")
        task = operator(
            script_location=str(script),
            s3_bucket="artifacts",
            iam_role_arn=None,
            iam_role_name="GlueRole",
        )
        task.execute(context())
        uploaded = boto3.client("s3", region_name="us-east-1").get_object(
            Bucket="artifacts", Key="artifacts/glue-scripts/nightly.py"
        )
        assert uploaded["Body"].read() == b"print('nightly')\n"
    job = glue_jobs.job("nightly")
    assert job["Command"]["ScriptLocation"] == "s3://artifacts/artifacts/glue-scripts/nightly.py"
    assert job["Role"].endswith(":role/GlueRole")  # the ARN moto's IAM answered


def test_update_config_reconciles_tags_with_sts_in_moto(glue_jobs: GlueJobsFake) -> None:
    mock_aws = pytest.importorskip("moto").mock_aws
    glue_jobs.add_job(
        Name="nightly",
        Role=ROLE_ARN,
        Command={"Name": "glueetl", "ScriptLocation": "s3://x"},
        Tags={"team": "data", "old": "x"},
    )
    with mock_aws():  # Airflow asks STS for the account to build the job's ARN
        operator(update_config=True, create_job_kwargs={"Tags": {"team": "platform"}}).execute(
            context()
        )
    assert glue_jobs.tags("nightly") == {"team": "platform"}
    glue_jobs.assert_called("UntagResource", TagsToRemove=["old"])


# -- GlueJobOperator, deferrable -----------------------------------------------------------------


def test_deferrable_defers_to_a_trigger_that_waits_for_success(glue_jobs: GlueJobsFake) -> None:
    task = operator(deferrable=True, waiter_delay=0)
    event = run_trigger(deferred_trigger(task))
    assert event["status"] == "success"
    assert task.execute_complete(context(), event) == glue_jobs.runs("nightly")[0]["Id"]


def test_deferrable_reports_a_failed_run(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "FAILED", error_message="NameError: x")
    task = operator(deferrable=True, waiter_delay=0)
    event = run_trigger(deferred_trigger(task))
    assert event["status"] == "error"
    with pytest.raises(AirflowException):
        task.execute_complete(context(), event)


def test_deferrable_verbose_forwards_the_runs_lines(
    glue_jobs: GlueJobsFake, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "SUCCEEDED", logs=["async line 1", "async line 2"])
    task = operator(deferrable=True, waiter_delay=0, verbose=True)
    assert run_trigger(deferred_trigger(task))["status"] == "success"
    printed = caplog.text + "".join(capfd.readouterr())
    assert "async line 1" in printed and "async line 2" in printed


def test_a_deferred_retry_finds_its_run_by_the_task_uuid(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", "SUCCEEDED")
    run_id = deferred_trigger(operator(deferrable=True, waiter_delay=0)).run_id
    # The worker died; the retry scans GetJobRuns for the run carrying its --airflow_task_uuid.
    retry = deferred_trigger(operator(deferrable=True, waiter_delay=0), context(try_number=2))
    assert retry.run_id == run_id
    assert len(glue_jobs.runs("nightly")) == 1


# -- GlueJobSensor -----------------------------------------------------------------------------


def test_the_sensor_waits_for_a_run_started_elsewhere(glue_jobs: GlueJobsFake) -> None:
    run_id = operator(wait_for_completion=False).execute(context())
    waiting = sensor(run_id, poke_interval=0, verbose=True)
    assert waiting.poke(context()) is False  # RUNNING
    assert waiting.poke(context()) is True  # SUCCEEDED


def test_the_deferrable_sensor_fires_when_the_run_succeeds(glue_jobs: GlueJobsFake) -> None:
    run_id = operator(wait_for_completion=False).execute(context())
    waiting = sensor(run_id, poke_interval=0, deferrable=True)
    event = run_trigger(deferred_trigger(waiting))
    waiting.execute_complete(context(), event)  # raises unless the run succeeded


# -- GlueJobHook -----------------------------------------------------------------------------------


@pytest.fixture
def hook(glue_jobs: GlueJobsFake) -> Any:
    return glue_hooks.GlueJobHook(
        aws_conn_id=None,
        region_name="us-east-1",
        job_name="nightly",
        desc="the nightly job",
        script_location="s3://b/nightly.py",
        iam_role_arn=ROLE_ARN,
        retry_limit=0,
        job_poll_interval=0,
    )


def test_hook_initialize_job_sends_only_the_run_arguments(
    glue_jobs: GlueJobsFake, hook: Any
) -> None:
    run = hook.initialize_job({"--day": "2026-12-01"})
    glue_jobs.assert_job("nightly", Description="the nightly job", MaxCapacity=10.0)
    (stored,) = glue_jobs.runs("nightly")
    assert stored["Id"] == run["JobRunId"]
    assert stored["Arguments"] == {"--day": "2026-12-01"}  # no DefaultArguments merged in


@pytest.mark.parametrize("final", ["FAILED", "TIMEOUT"])
def test_hook_job_completion_raises_on_failure(
    glue_jobs: GlueJobsFake, hook: Any, final: str
) -> None:
    glue_jobs.run_states("nightly", "RUNNING", "RUNNING", final, error_message="it broke")
    run_id = hook.initialize_job()["JobRunId"]
    with pytest.raises(AirflowException, match=f"Run State: {final}"):
        hook.job_completion("nightly", run_id)


def test_hook_counts_a_stopped_run_as_finished(glue_jobs: GlueJobsFake, hook: Any) -> None:
    run_id = hook.initialize_job()["JobRunId"]
    stopped = hook.conn.batch_stop_job_run(JobName="nightly", JobRunIds=[run_id])
    assert stopped["SuccessfulSubmissions"] == [{"JobName": "nightly", "JobRunId": run_id}]
    assert hook.job_completion("nightly", run_id)["JobRunState"] == "STOPPED"


@pytest.mark.parametrize("state", ["RUNNING", "WAITING", "SUCCEEDED", "FAILED", "ERROR", "EXPIRED"])
def test_hook_reads_every_state(glue_jobs: GlueJobsFake, hook: Any, state: str) -> None:
    glue_jobs.run_states("nightly", state)
    run_id = hook.initialize_job()["JobRunId"]
    assert hook.get_job_state("nightly", run_id) == "STARTING"  # a run's first read, as on Glue
    assert hook.get_job_state("nightly", run_id) == state


# -- dag.test() --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def airflow_dags() -> Any:
    """The DAGs folder, parsed once, with what every ``dag.test()`` in this process shares.

    Each is paid once per test session, as in any Airflow test suite: the metadata database that
    ``dag.test()`` writes its runs to (``airflow db migrate``), and Airflow's in-process Execution
    API, which the first ``dag.test()`` of a process starts. Starting it inside a test under virtual
    time would fail as well as cost seconds: pydantic cannot build the API's models while the
    clock is frozen.
    """
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.db import initdb

    initdb()
    dags = DagBag()  # Airflow's best practices: a DagBag, and no import errors
    assert dags.import_errors == {}
    assert dags.get_dag("airflow_start_up").test().state == "success"
    return dags


def test_dag_test_runs_the_dag_against_the_fake(
    airflow_dags: Any, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    dag = airflow_dags.get_dag("glue_nightly")  # the DAG file in the DAGs folder
    with mock_glue_jobs(virtual_time=True) as fake:  # job_poll_interval: Airflow's 6 s
        fake.run_states("nightly", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED", logs=["hello"])
        dag_run = dag.test()
    assert dag_run.state == "success"
    assert "hello" in caplog.text + "".join(capfd.readouterr())
    (run,) = fake.runs("nightly")
    assert run["JobRunState"] == "SUCCEEDED" and "--day" in run["Arguments"]


# -- default intervals, under virtual time -------------------------------------------------------


def test_default_poll_interval_under_virtual_time() -> None:
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.run_states("nightly", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED", logs=["x"])
        # job_poll_interval: Airflow's 6 s
        operator_with_airflows_waits(verbose=True).execute(context())
        assert fake.runs("nightly")[0]["JobRunState"] == "SUCCEEDED"


def test_default_waiter_delay_under_virtual_time() -> None:
    with mock_glue_jobs(virtual_time=True) as fake:
        fake.run_states("nightly", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED", logs=["x"])
        # waiter_delay: Airflow's 60 s
        trigger = deferred_trigger(operator_with_airflows_waits(deferrable=True, verbose=True))
        waits = trigger.waiter_delay * trigger.attempts
        assert run_trigger(trigger, timeout=waits + 60)["status"] == "success"


def test_default_poke_interval_under_virtual_time() -> None:
    with mock_glue_jobs(virtual_time=True):
        run_id = operator(wait_for_completion=False).execute(context())
        # poke_interval: Airflow's 120 s; pokes until the run succeeds
        sensor(run_id).execute(context())
