"""Across the process boundary: the test's child processes are answered by the same fake.

While a fake is active, a child process inherits ``AWS_ENDPOINT_URL_GLUE`` (the fake's
``endpoint_url``, a loopback port) and credentials the fake answers, so boto3 in a subprocess and
the AWS CLI reach the fake, with the test's jobs, faults, scripted runs and call log. When the
fake stops its port is closed: a child gets "connection refused", never AWS.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from conftest import job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

AWS_CLI = Path(sys.executable).with_name("aws")


def run_python(code: str, **env: str) -> Any:
    """Run ``code`` in a new Python process with this one's environment; its stdout as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def run_aws(*args: str) -> Any:
    done = subprocess.run(
        [str(AWS_CLI), "glue", *args, "--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_a_child_boto3_client_is_answered_with_the_tests_state(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(**job_params("nightly"))
    assert os.environ["AWS_ENDPOINT_URL_GLUE"] == glue_jobs.endpoint_url
    # Python's SDK reads AWS_DEFAULT_REGION; the JavaScript and Java SDKs read AWS_REGION.
    assert os.environ["AWS_DEFAULT_REGION"] == os.environ["AWS_REGION"] == glue_jobs.region
    assert urlsplit(glue_jobs.endpoint_url).hostname == "127.0.0.1"
    seen = run_python(
        "import boto3, json\n"
        "glue = boto3.client('glue')\n"
        "name = glue.get_job(JobName='nightly')['Job']['Name']\n"
        "glue.create_job(Name='from-child', Role='r', "
        "Command={'Name': 'pythonshell', 'ScriptLocation': 's3://b/c.py'})\n"
        "print(json.dumps(name))\n"
    )
    assert seen == "nightly"
    glue_jobs.assert_job("from-child", Command={"Name": "pythonshell"})
    assert [call.operation for call in glue_jobs.calls] == ["GetJob", "CreateJob"]


@pytest.mark.skipif(not AWS_CLI.exists(), reason="the AWS CLI is not installed beside Python")
def test_the_aws_cli_as_a_subprocess_reaches_the_fake(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(**job_params("nightly"))
    run_aws(
        "create-job",
        "--name",
        "deployed",
        "--role",
        "r",
        "--command",
        "Name=glueetl,ScriptLocation=s3://b/x.py",
    )
    listed = run_aws("list-jobs")
    assert listed["JobNames"] == ["deployed", "nightly"]
    glue_jobs.assert_job("deployed", Command={"Name": "glueetl"})
    glue_jobs.assert_called("ListJobs", times=1)


def test_a_fault_reaches_the_child_and_its_own_botocore_retries_it(
    glue_jobs: GlueJobsFake,
) -> None:
    glue_jobs.add_job(**job_params("nightly"))
    fault = glue_jobs.fail("GetJob", times=1)
    attempts = run_python(
        "import boto3, json\n"
        "answer = boto3.client('glue').get_job(JobName='nightly')\n"
        "print(json.dumps(answer['ResponseMetadata']['RetryAttempts']))\n"
    )
    assert attempts == 1
    assert fault.fired == 1
    first, second = glue_jobs.calls
    assert (first.status, first.error, first.injected) == (500, "InternalServiceException", True)
    assert (second.status, second.error) == (200, None)


def test_a_client_error_fault_reaches_the_child_unretried(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.fail("CreateJob", "ResourceNumberLimitExceeded", message="too many jobs")
    error = run_python(
        "import boto3, json\n"
        "glue = boto3.client('glue')\n"
        "try:\n"
        "    glue.create_job(Name='j', Role='r', Command={'Name': 'glueetl'})\n"
        "except glue.exceptions.ResourceNumberLimitExceededException as e:\n"
        "    print(json.dumps([e.response['Error']['Message'],\n"
        "                      e.response['ResponseMetadata']['HTTPStatusCode']]))\n"
    )
    assert error == ["too many jobs", 400]
    glue_jobs.assert_no_job("j")


def _poll(client: Any, job: str, reads: int) -> list[str]:
    run_id = client.start_job_run(JobName=job)["JobRunId"]
    return [
        client.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"] for _ in range(reads)
    ]


def test_scripted_runs_advance_by_the_childs_reads() -> None:
    # The same script read in-process and by a child goes through the same states.
    with mock_glue_jobs() as here:
        here.add_job(**job_params("nightly"))
        here.run_states("nightly", "RUNNING", "RUNNING", "FAILED", error_message="boom")
        in_process = _poll(boto3.client("glue"), "nightly", 5)
    with mock_glue_jobs() as fake:
        fake.add_job(**job_params("nightly"))
        fake.run_states("nightly", "RUNNING", "RUNNING", "FAILED", error_message="boom")
        child = run_python(
            "import boto3, json\n"
            "glue = boto3.client('glue')\n"
            "run = glue.start_job_run(JobName='nightly')['JobRunId']\n"
            "print(json.dumps([glue.get_job_run(JobName='nightly', RunId=run)['JobRun']\n"
            "                  ['JobRunState'] for _ in range(5)]))\n"
        )
        (run,) = fake.runs("nightly")
    assert child == in_process
    assert child[-1] == "FAILED"
    assert run["JobRunState"] == "FAILED"
    assert run["ErrorMessage"] == "boom"


def test_the_childs_requests_are_recorded_with_their_partition(glue_jobs: GlueJobsFake) -> None:
    # The credential scope names the region; a 12-digit access key id names the account.
    run_python(
        "import boto3\n"
        "boto3.client('glue').create_job(Name='eu', Role='r', Command={'Name': 'pythonshell',\n"
        "    'ScriptLocation': 's3://b/c.py'})\n"
        "print('null')\n",
        AWS_DEFAULT_REGION="eu-west-1",
        AWS_ACCESS_KEY_ID="210987654321",
    )
    (call,) = glue_jobs.calls
    assert (call.operation, call.status) == ("CreateJob", 200)
    assert (call.region, call.account_id) == ("eu-west-1", "210987654321")
    command = {"Name": "pythonshell", "ScriptLocation": "s3://b/c.py"}
    assert call.params == {"Name": "eu", "Role": "r", "Command": command}
    assert list(glue_jobs.jobs_in(region="eu-west-1", account_id="210987654321")) == ["eu"]
    assert glue_jobs.jobs == {}


def _refused(url: str) -> bool:
    address = urlsplit(url)
    assert address.hostname is not None and address.port is not None
    try:
        socket.create_connection((address.hostname, address.port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


def test_after_the_fake_stops_its_port_refuses_connections() -> None:
    with mock_glue_jobs() as fake:
        fake.add_job(**job_params("nightly"))
        url = fake.endpoint_url
        assert not _refused(url)
    assert _refused(url)
    assert fake.endpoint_url == url  # the address it had, now closed
    assert "AWS_ENDPOINT_URL_GLUE" not in os.environ or os.environ["AWS_ENDPOINT_URL_GLUE"] != url
    outcome = run_python(
        "import boto3, json, botocore.config, botocore.exceptions\n"
        f"glue = boto3.client('glue', endpoint_url={url!r}, region_name='us-east-1',\n"
        "    aws_access_key_id='testing', aws_secret_access_key='x',\n"
        "    config=botocore.config.Config(retries={'total_max_attempts': 1}))\n"
        "try:\n"
        "    glue.get_job(JobName='nightly')\n"
        "except botocore.exceptions.EndpointConnectionError as e:\n"
        "    print(json.dumps(type(e).__name__))\n"
    )
    assert outcome == "EndpointConnectionError"


def _cut_off(connection: socket.socket) -> bool:
    try:
        connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        return connection.recv(1000) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


def test_a_child_still_connected_when_the_fake_stops_is_cut_off() -> None:
    # A kept-alive connection is closed at stop: its next request is not answered.
    with mock_glue_jobs() as fake:
        address = urlsplit(fake.endpoint_url)
        assert address.port is not None
        kept = socket.create_connection(("127.0.0.1", address.port), timeout=5)
        kept.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert kept.recv(1000).startswith(b"HTTP/1.1 403 ")  # served: it was not signed
    assert _cut_off(kept)
    kept.close()


def test_in_process_clients_are_still_answered_in_process(
    glue_jobs: GlueJobsFake, attempts: list[str]
) -> None:
    # Even a client aimed at the endpoint is answered without a connection.
    boto3.client("glue").create_job(**job_params("a"))
    aimed = boto3.client("glue", endpoint_url=glue_jobs.endpoint_url)
    aimed.create_job(**job_params("b"))
    glue_jobs.assert_job_names("a", "b")
    assert attempts == []


def test_nested_fakes_each_answer_children_on_their_own_port() -> None:
    with mock_glue_jobs() as outer:
        outer.add_job(**job_params("outer-job"))
        with mock_glue_jobs() as inner:
            inner.add_job(**job_params("inner-job"))
            assert inner.endpoint_url != outer.endpoint_url
            assert os.environ["AWS_ENDPOINT_URL_GLUE"] == inner.endpoint_url
            names = run_python(
                "import boto3, json\n"
                "print(json.dumps(boto3.client('glue').list_jobs()['JobNames']))\n"
            )
            assert names == ["inner-job"]
        assert _refused(inner.endpoint_url)
        assert os.environ["AWS_ENDPOINT_URL_GLUE"] == outer.endpoint_url
        names = run_python(
            "import boto3, json\nprint(json.dumps(boto3.client('glue').list_jobs()['JobNames']))\n"
        )
        assert names == ["outer-job"]
        assert [call.operation for call in inner.calls] == ["ListJobs"]
        assert [call.operation for call in outer.calls] == ["ListJobs"]


def test_a_fake_started_again_answers_on_a_new_port() -> None:
    fake = GlueJobsFake()
    with pytest.raises(RuntimeError, match="has not been started"):
        _ = fake.endpoint_url
    with fake:
        fake.add_job(**job_params("kept"))
        first = fake.endpoint_url
    with fake:
        second = fake.endpoint_url
        assert second != first
        names = run_python(
            "import boto3, json\nprint(json.dumps(boto3.client('glue').list_jobs()['JobNames']))\n"
        )
    assert names == ["kept"]
    assert _refused(first) and _refused(second)


def test_an_operation_the_fake_does_not_fake_is_refused_by_name(glue_jobs: GlueJobsFake) -> None:
    error = run_python(
        "import boto3, json, botocore.exceptions\n"
        "try:\n"
        "    boto3.client('glue').get_crawler(Name='c')\n"
        "except botocore.exceptions.ClientError as e:\n"
        "    print(json.dumps([e.response['Error']['Code'], e.response['Error']['Message']]))\n"
    )
    code, message = error
    assert code == "UnsupportedOperation"
    assert "GetCrawler" in message and "CreateJob" in message
    assert glue_jobs.calls == []


def test_under_xdist_each_worker_answers_its_own_children(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import json, os, subprocess, sys
        import pytest

        CHILD = (
            "import boto3, json\\n"
            "print(json.dumps(boto3.client('glue').list_jobs()['JobNames']))\\n"
        )

        @pytest.mark.parametrize("index", range(4))
        def test_worker(glue_jobs, index):
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            name = f"{worker}-{index}"
            glue_jobs.add_job(Name=name, Role="r",
                              Command={"Name": "glueetl", "ScriptLocation": "s3://b/x.py"})
            out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True,
                                 text=True, check=True, timeout=120).stdout
            assert json.loads(out) == [name]
            print("ENDPOINT", worker, glue_jobs.endpoint_url)
        """
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", "xdist", "-s", "-q", timeout=300)
    result.assert_outcomes(passed=4)


def test_a_fake_starts_where_sockets_are_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    # As pytest-socket's --disable-socket does: the fake still answers in-process, and its
    # children are refused at once, on this machine.
    class Forbidden(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("A test tried to use socket.socket.")

    monkeypatch.setattr(socket, "socket", Forbidden)
    with mock_glue_jobs() as fake:
        boto3.client("glue").create_job(**job_params("in-process"))
        fake.assert_job_names("in-process")
        url = fake.endpoint_url
        assert os.environ["AWS_ENDPOINT_URL_GLUE"] == url
    monkeypatch.undo()
    assert _refused(url)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork() in a process with threads
def test_a_forked_child_does_not_keep_the_port_open(glue_jobs: GlueJobsFake) -> None:
    url = glue_jobs.endpoint_url
    reader, writer = os.pipe()
    ready_reader, ready_writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked child: outlive the fake, holding whatever it kept after the fork
        os.close(writer)
        os.write(ready_writer, b"r")  # the fork's hooks have run by now
        os.read(reader, 1)
        os._exit(0)
    os.close(reader)
    try:
        assert os.read(ready_reader, 1) == b"r"
        glue_jobs.stop()
        assert _refused(url)
    finally:
        os.close(writer)
        os.close(ready_reader)
        os.close(ready_writer)
        os.waitpid(pid, 0)


def test_another_services_client_aimed_at_the_endpoint_is_told_which_service(
    glue_jobs: GlueJobsFake,
) -> None:
    # S3 speaks REST-XML, STS the query protocol, CloudWatch Logs JSON: each SDK shows the message.
    errors = run_python(
        "import boto3, json, os, botocore.config\n"
        "url = os.environ['AWS_ENDPOINT_URL_GLUE']\n"
        "config = botocore.config.Config(retries={'total_max_attempts': 1})\n"
        "errors = {}\n"
        "for service, call in [('s3', 'list_buckets'), ('sts', 'get_caller_identity'),\n"
        "                      ('logs', 'describe_log_groups')]:\n"
        "    client = boto3.client(service, endpoint_url=url, config=config)\n"
        "    try:\n"
        "        getattr(client, call)()\n"
        "    except client.exceptions.ClientError as e:\n"
        "        errors[service] = [e.response['Error']['Code'], e.response['Error']['Message']]\n"
        "print(json.dumps(errors))\n"
    )
    assert set(errors) == {"s3", "sts", "logs"}
    for service, (code, message) in errors.items():
        assert code == "InvalidSignatureException"
        assert f"signed for '{service}'" in message and "AWS Glue only" in message
    assert glue_jobs.calls == []


def test_a_childs_request_is_answered_on_the_tests_clock(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.freeze_time("2026-03-01T12:00:00Z")
    created = run_python(
        "import boto3, json\n"
        "glue = boto3.client('glue')\n"
        "glue.create_job(Name='j', Role='r', Command={'Name': 'glueetl',\n"
        "    'ScriptLocation': 's3://b/x.py'})\n"
        "print(json.dumps(glue.get_job(JobName='j')['Job']['CreatedOn'].isoformat()))\n"
    )
    assert created == "2026-03-01T12:00:00+00:00"
