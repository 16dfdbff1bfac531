"""A subprocess never reaches AWS: while a fake is active, child processes inherit
``AWS_ENDPOINT_URL_GLUE`` aimed at the fake's loopback ``endpoint_url``.

Guarantee (docs/reliability.md, "No network, ever"): a child process sees the fake's endpoint (not
a value of the user's own, nor ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS``, which would make SDKs
ignore it), the environment is exactly as before when the fake stops, and clients in the test's
own process keep their usual endpoints. SDKs read ``AWS_ENDPOINT_URL_<SERVICE>`` for a service's
endpoint (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html); that the
child is then answered by the fake (the AWS CLI v1 among them) is pinned in tests/test_endpoint.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs


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
