"""A subprocess never reaches AWS: while a fake is active, child processes inherit
``AWS_ENDPOINT_URL_GLUE`` aimed at the fake's loopback ``endpoint_url``.

Guarantee (docs/reliability.md, "No network, ever"): ``aws glue get-jobs`` run as a child process
is answered by the fake on 127.0.0.1 (tests/transport/test_endpoint.py pins what it answers),
never by AWS, and the environment variable is gone when the fake stops. botocore reads
``AWS_ENDPOINT_URL_<SERVICE>`` for a service's endpoint
(https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), so every SDK and
tool built on it does, the AWS CLI v1 among them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

AWS_CLI = Path(sys.executable).with_name("aws")


@pytest.mark.skipif(not AWS_CLI.exists(), reason="the AWS CLI v1 (awscli) is not installed")
def test_the_aws_cli_in_a_subprocess_is_answered_on_this_machine(glue_jobs: GlueJobsFake) -> None:
    # The child inherits the test's environment as it is.
    finished = subprocess.run(
        [sys.executable, str(AWS_CLI), "glue", "get-jobs"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert "amazonaws.com" not in finished.stderr + finished.stdout
    assert [call.operation for call in glue_jobs.calls] == ["GetJobs"]


def test_child_processes_inherit_the_endpoint_while_the_fake_is_active(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_GLUE", "https://glue.example.com")
    # It would make botocore ignore the endpoint variables.
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    before = dict(os.environ)
    with mock_glue_jobs() as fake:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", fake.endpoint_url)
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                "import os; print(os.environ.get('AWS_ENDPOINT_URL_GLUE'));"
                "print(os.environ.get('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'))",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert child.stdout.split() == [fake.endpoint_url, "false"]
    assert dict(os.environ) == before


def test_nothing_listens_at_the_endpoint_once_the_fake_stops() -> None:
    with mock_glue_jobs() as fake:
        port = int(fake.endpoint_url.rsplit(":", 1)[1])
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.settimeout(5)
        probe.connect(("127.0.0.1", port))


def test_clients_in_this_process_keep_their_own_endpoint(glue_jobs: GlueJobsFake) -> None:
    # They are answered at botocore's transport whatever their endpoint: the variable is for
    # child processes, so what user code sees of its clients does not change.
    assert os.environ["AWS_ENDPOINT_URL_GLUE"] == glue_jobs.endpoint_url
    plain = boto3.client("glue", region_name="eu-west-1")
    assert plain.meta.endpoint_url == "https://glue.eu-west-1.amazonaws.com"
    fips = boto3.client("glue", region_name="us-east-1", config=Config(use_fips_endpoint=True))
    assert fips.meta.endpoint_url == "https://glue-fips.us-east-1.amazonaws.com"
    custom = boto3.client("glue", endpoint_url="http://localhost:4566")
    assert custom.meta.endpoint_url == "http://localhost:4566"
    for client in (plain, fips, custom):
        client.get_jobs()
    assert [call.region for call in glue_jobs.calls] == ["eu-west-1", "us-east-1", "us-east-1"]


def test_a_process_that_may_not_open_sockets_still_gets_a_loopback_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As pytest-socket's --disable-socket does: making a socket raises.
    def forbidden(*args: object, **kwargs: object) -> None:
        raise RuntimeError("A test tried to use socket.socket.")

    monkeypatch.setattr(socket, "socket", forbidden)
    with mock_glue_jobs() as fake:
        assert fake.endpoint_url == "http://127.0.0.1:1"
        assert os.environ["AWS_ENDPOINT_URL_GLUE"] == "http://127.0.0.1:1"
        assert fake.client().get_jobs()["Jobs"] == []


_OTHER_SERVICES = (
    "import boto3, json, botocore.config, botocore.exceptions\n"
    "config = botocore.config.Config(retries={'total_max_attempts': 1})\n"
    "answers = {}\n"
    "for name, call in (('sts', 'get_caller_identity'), ('s3', 'list_buckets'),\n"
    "                   ('logs', 'describe_log_groups')):\n"
    "    client = boto3.client(name, config=config)\n"
    "    try:\n"
    "        getattr(client, call)()\n"
    "        answers[name] = [client.meta.endpoint_url, 'answered']\n"
    "    except botocore.exceptions.ClientError as e:\n"
    "        answers[name] = [client.meta.endpoint_url, e.response['Error']['Message']]\n"
    "print(json.dumps(answers))\n"
)


def test_a_childs_request_for_another_service_is_refused_on_this_machine(
    glue_jobs: GlueJobsFake,
) -> None:
    # Without it, `aws sts get-caller-identity` or `aws s3 cp` in a child would go to AWS with
    # the fake's test keys. AWS_ENDPOINT_URL is read for every service without a variable of
    # its own (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
    done = subprocess.run(
        [sys.executable, "-c", _OTHER_SERVICES], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answers = json.loads(done.stdout)
    for service in ("sts", "s3", "logs"):
        endpoint, message = answers[service]
        assert endpoint == glue_jobs.endpoint_url
        assert service in message.lower()
    assert glue_jobs.calls == []


def test_the_tests_own_endpoint_for_every_service_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # moto's server or LocalStack, chosen by the test, stays the children's for other services.
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:5000")
    with mock_glue_jobs() as fake:
        assert os.environ["AWS_ENDPOINT_URL"] == "http://localhost:5000"
        assert os.environ["AWS_ENDPOINT_URL_GLUE"] == fake.endpoint_url
        # And this process's clients keep it too: it is the test's, not the fake's.
        assert boto3.client("s3").meta.endpoint_url == "http://localhost:5000"
    assert os.environ["AWS_ENDPOINT_URL"] == "http://localhost:5000"


def test_clients_in_this_process_ignore_the_fakes_endpoint_for_every_service(
    glue_jobs: GlueJobsFake,
) -> None:
    moto = pytest.importorskip("moto")
    assert os.environ["AWS_ENDPOINT_URL"] == glue_jobs.endpoint_url
    sts = boto3.client("sts", region_name="us-east-1").meta.endpoint_url
    assert sts != glue_jobs.endpoint_url
    assert sts.endswith(".amazonaws.com")
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        assert s3.meta.endpoint_url == "https://s3.amazonaws.com"
        s3.create_bucket(Bucket="beside-the-fake")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["beside-the-fake"]
