"""A subprocess never reaches AWS: while a fake is active, child processes inherit
``AWS_ENDPOINT_URL_GLUE`` aimed at the fake's loopback ``endpoint_url``.

Guarantee (docs/reliability.md, "No network, ever"): ``aws glue get-jobs`` run as a child process
is answered by the fake on 127.0.0.1 (tests/test_endpoint.py pins what it answers), never by AWS,
and the environment variable is gone when the fake stops. botocore reads
``AWS_ENDPOINT_URL_<SERVICE>`` for a service's endpoint
(https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), so every SDK and
tool built on it does, the AWS CLI v1 among them.
"""

from __future__ import annotations

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
        assert child.stdout.split() == [fake.endpoint_url, "None"]
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
