"""The ways a Glue request could once leave the process while a fake was active, each closed.

- aiobotocore or moto imported after the fake started (post-import hooks patch them then);
- an in-process pytest session (pytester) inside a test that uses the fake;
- a fake started by hand and never stopped (stopped when its pytest session ends);
- client creation that would reach the instance-metadata service (AWS_DEFAULTS_MODE=auto, a
  profile whose credentials come from the instance or a role);
- a test that forgets the fake while the guard is on (RealGlueBlocked, sync and async).

Every test here runs with the network blocked and fails on any attempt to use it.
"""

from __future__ import annotations

import importlib.util
import os
import textwrap
from pathlib import Path
from typing import Any

import boto3
import pytest
from helpers import job_params

from pytest_gluejobs import GlueJobsFake, RealGlueBlocked, mock_glue_jobs
from pytest_gluejobs._transport.activation import is_patched

# The inner tests block the network the same way the conftest's `attempts` fixture does.
BLOCK_NETWORK = textwrap.dedent(
    """
    import socket

    ATTEMPTS = []

    def _refuse(name):
        def refused(*args, **kwargs):
            ATTEMPTS.append(name)
            raise OSError(f"{name}: the test tried to use the network")
        return refused

    for _name in ("connect", "connect_ex", "sendto", "sendall", "send"):
        setattr(socket.socket, _name, _refuse("socket." + _name))
    for _name in ("create_connection", "getaddrinfo", "gethostbyname"):
        setattr(socket, _name, _refuse(_name))
    """
)


def test_moto_imported_after_the_fake_started_leaves_glue_to_the_fake(
    pytester: pytest.Pytester,
) -> None:
    pytest.importorskip("moto")
    pytester.makeconftest(BLOCK_NETWORK)
    pytester.makepyfile(
        """
        import sys

        import boto3
        from conftest import ATTEMPTS

        def test_moto_inside(glue_jobs):
            assert "moto.core.botocore_stubber" not in sys.modules
            from moto import mock_aws

            with mock_aws():
                boto3.client("s3").create_bucket(Bucket="answered-by-moto")
                boto3.client("glue").create_job(
                    Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
                )
                assert [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]] == [
                    "answered-by-moto"
                ]
            assert list(glue_jobs.jobs) == ["j"]
            assert [call.operation for call in glue_jobs.calls] == ["CreateJob"]
            assert ATTEMPTS == []
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_aiobotocore_imported_after_the_fake_started_is_patched(pytester: pytest.Pytester) -> None:
    pytest.importorskip("aiobotocore")
    pytester.makeconftest(BLOCK_NETWORK)
    pytester.makepyfile(
        """
        import asyncio
        import sys

        from conftest import ATTEMPTS

        def test_aiobotocore_inside(glue_jobs):
            assert "aiobotocore.endpoint" not in sys.modules
            from aiobotocore.session import get_session

            async def call():
                client = get_session().create_client(
                    "glue",
                    region_name="us-east-1",
                    aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                    aws_secret_access_key="real-secret",
                )
                async with client as glue:
                    seen = []
                    glue.meta.events.register(
                        "before-send.glue", lambda request, **_: seen.append(request.headers)
                    )
                    await glue.create_job(
                        Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
                    )
                    return seen

            seen = asyncio.run(asyncio.wait_for(call(), 10))
            assert list(glue_jobs.jobs) == ["j"]
            assert b"AKIAIOSFODNN7EXAMPLE" not in seen[0]["Authorization"]
            assert ATTEMPTS == []
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_aiobotocore_imported_again_after_pytester_dropped_it_is_patched(
    pytester: pytest.Pytester,
) -> None:
    # pytester restores sys.modules after an in-process run: a module it imported is dropped,
    # and importing it again makes a new module. wrapt's post-import hook fires once, so the new
    # module went unpatched and its request reached for the network.
    pytest.importorskip("aiobotocore")
    pytester.makeconftest(BLOCK_NETWORK)
    pytester.makepyfile(
        """
        import asyncio
        import sys

        from conftest import ATTEMPTS

        def _create_job():
            from aiobotocore.session import get_session

            async def call():
                async with get_session().create_client("glue", region_name="us-east-1") as glue:
                    await glue.create_job(
                        Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
                    )

            asyncio.run(asyncio.wait_for(call(), 10))

        def test_first_import_then_dropped(glue_jobs):
            _create_job()
            assert list(glue_jobs.jobs) == ["j"]
            for name in [name for name in sys.modules if name.startswith("aiobotocore")]:
                del sys.modules[name]

        def test_imported_again(glue_jobs):
            assert "aiobotocore.endpoint" not in sys.modules
            _create_job()
            assert list(glue_jobs.jobs) == ["j"]
            assert ATTEMPTS == []
        """
    )
    # Unpatched, the request retries against the blocked network: bounded, it fails.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(passed=2)


def test_an_inner_pytest_session_leaves_the_outer_fake_active(
    glue_jobs: GlueJobsFake, pytester: pytest.Pytester, attempts: list[str]
) -> None:
    pytester.makepyfile(
        """
        def test_inner(glue_jobs):
            command = {"Name": "pythonshell", "ScriptLocation": "s3://b/i.py"}
            glue_jobs.add_job(Name="inner", Role="r", Command=command)
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert is_patched()
    boto3.client("glue").create_job(**job_params("outer"))
    assert list(glue_jobs.jobs) == ["outer"]
    assert attempts == []


def test_a_fake_started_by_hand_and_never_stopped_is_stopped_at_session_end(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "the-users-own")
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
    pytester.makepyfile(
        """
        import os

        from pytest_gluejobs import GlueJobsFake

        def test_forgets_to_stop():
            GlueJobsFake().start()
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert not is_patched()
    assert os.environ["AWS_ACCESS_KEY_ID"] == "the-users-own"
    assert "AWS_EC2_METADATA_DISABLED" not in os.environ


# -- client creation ------------------------------------------------------------------------------


@pytest.fixture
def aws_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An AWS config file of the test's own, and no credentials anywhere else."""
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    config = tmp_path / "config"
    config.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    return config


def test_defaults_mode_auto_does_not_ask_the_instance_metadata_service(
    aws_config: Path, monkeypatch: pytest.MonkeyPatch, attempts: list[str]
) -> None:
    monkeypatch.setenv("AWS_DEFAULTS_MODE", "auto")
    monkeypatch.delenv("AWS_EXECUTION_ENV", raising=False)
    with mock_glue_jobs() as fake:
        boto3.Session().client("glue").create_job(**job_params())
        boto3.Session().client("glue").list_jobs()
    assert len(fake.calls) == 2
    assert attempts == []


ROLE = "role_arn = arn:aws:iam::123456789012:role/deployer"


@pytest.mark.parametrize(
    "profile",
    [
        f"{ROLE}\ncredential_source = Ec2InstanceMetadata",
        f"{ROLE}\ncredential_source = EcsContainer",
        "credential_process = /bin/false",
        "sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin",
    ],
    ids=["ec2-role", "container-role", "process", "sso"],
)
def test_a_profile_that_needs_the_network_for_credentials_still_gets_the_fake(
    aws_config: Path, attempts: list[str], profile: str
) -> None:
    aws_config.write_text(
        f"[profile deploy]\n{profile}\n\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = eu-west-1\n"
    )
    with mock_glue_jobs() as fake:
        glue = boto3.Session(profile_name="deploy").client("glue")
        glue.create_job(**job_params())
        assert glue.get_job(JobName="nightly")["Job"]["Name"] == "nightly"
    # The fake's AWS_DEFAULT_REGION would win over a profile's region (the environment does).
    assert [call.operation for call in fake.calls] == ["CreateJob", "GetJob"]
    assert attempts == []


def test_a_profile_with_a_twelve_digit_key_still_names_the_account(
    aws_config: Path, attempts: list[str]
) -> None:
    aws_config.write_text(
        "[profile other]\naws_access_key_id = 210987654321\naws_secret_access_key = s\n"
    )
    with mock_glue_jobs() as fake:
        boto3.Session(profile_name="other").client("glue").create_job(**job_params())
        assert fake.job("nightly", account_id="210987654321") is not None
        assert fake.jobs == {}
    assert attempts == []


# -- the guard ------------------------------------------------------------------------------------

FORGETFUL_TESTS = """
import asyncio

import boto3
from botocore.config import Config
import pytest

from pytest_gluejobs import RealGlueBlocked
from conftest import ATTEMPTS


def test_forgets_the_fake():
    with pytest.raises(RealGlueBlocked) as caught:
        boto3.client("glue", region_name="us-east-1").delete_job(JobName="production-job")
    message = str(caught.value)
    assert "DeleteJob" in message and "test_forgets_the_fake" in message, message
    assert "glue_jobs" in message and "mock_glue_jobs" in message, message
    assert ATTEMPTS == []


def test_async_forgets_the_fake():
    session = pytest.importorskip("aiobotocore.session")

    async def call():
        async with session.get_session().create_client("glue", region_name="us-east-1") as glue:
            await glue.list_jobs()

    with pytest.raises(RealGlueBlocked, match="ListJobs"):
        asyncio.run(asyncio.wait_for(call(), 10))
    assert ATTEMPTS == []


def test_with_the_fake_is_answered(glue_jobs):
    assert boto3.client("glue").list_jobs()["JobNames"] == []


def test_other_services_are_not_blocked():
    # Only Glue is guarded: an S3 request goes to the (blocked) network as it would without it.
    s3 = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
        config=Config(retries={"total_max_attempts": 1}),  # one refused connection is enough
    )
    with pytest.raises(Exception) as caught:
        s3.list_buckets()
    assert not isinstance(caught.value, RealGlueBlocked)
    assert ATTEMPTS
"""


@pytest.mark.parametrize("how", ["ini", "flag"])
def test_the_guard_blocks_glue_requests_made_without_a_fake(
    pytester: pytest.Pytester, how: str
) -> None:
    pytester.makeconftest(BLOCK_NETWORK)
    pytester.makepyfile(FORGETFUL_TESTS)
    args = ["-p", "no:cacheprovider"]
    if how == "ini":
        pytester.makeini("[pytest]\nglue_jobs_block_real_glue = true\n")
    else:
        args.append("--glue-block-real-glue")
    result = pytester.runpytest_subprocess(*args)
    if importlib.util.find_spec("aiobotocore") is None:
        result.assert_outcomes(passed=3, skipped=1)  # the async test needs aiobotocore
    else:
        result.assert_outcomes(passed=4)


def test_without_the_guard_a_forgotten_fake_reaches_for_the_network(
    pytester: pytest.Pytester,
) -> None:
    # The guard is off by default; the inner test shows what it would have caught.
    pytester.makeconftest(BLOCK_NETWORK)
    pytester.makepyfile(
        """
        import boto3
        from botocore.config import Config
        from conftest import ATTEMPTS

        def test_forgets():
            client = boto3.client(
                "glue", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b",
                config=Config(retries={"total_max_attempts": 1}),
            )
            try:
                client.list_jobs()
            except Exception:
                pass
            assert ATTEMPTS
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_guard_outside_a_test_names_no_test(monkeypatch: pytest.MonkeyPatch) -> None:
    from pytest_gluejobs._transport import activation as _activation
    from pytest_gluejobs._transport import guard as _guard

    monkeypatch.setattr(_guard, "current_test", None)
    _activation.turn_guard_on()
    try:
        client: Any = boto3.client(
            "glue", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
        )
        with pytest.raises(RealGlueBlocked, match="GetJobs outside any test"):
            client.get_jobs()
    finally:
        _activation.turn_guard_off()
    assert not is_patched()
