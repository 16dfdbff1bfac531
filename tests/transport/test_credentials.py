"""Credentials: real AWS credentials around a test are not what Glue requests are signed with.

Guarantee (docs/reliability.md): while a fake is active, a Glue client built from the environment
or from a profile (boto3, botocore, ``fake.client()``) signs with the fake's test credentials, in
the fake's region, without a session token; the real keys appear in no request the fake receives.
When the fake stops, ``os.environ`` is exactly what it was — also when fakes nest, stop out of
order, or the block is left by an exception.

The signature the fake received is read from the ``Authorization`` header in a ``before-send``
hook, which runs after signing, on the very request the patched transport is handed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

REAL_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
REAL_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REAL_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN"
PROFILE_KEY_ID = "AKIAPROFILEEXAMPLE00"
DEFAULT_PROFILE_KEY_ID = "AKIADEFAULTEXAMPLE00"


@pytest.fixture
def real_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real-looking credentials and region in the environment, as on a developer's machine."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", REAL_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", REAL_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", REAL_TOKEN)
    monkeypatch.setenv("AWS_SECURITY_TOKEN", REAL_TOKEN)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")


@pytest.fixture
def real_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A credentials and a config file with a default and a named profile, the named one chosen."""
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[default]\naws_access_key_id = {DEFAULT_PROFILE_KEY_ID}\n"
        f"aws_secret_access_key = {REAL_SECRET}\n\n"
        f"[prod]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = {REAL_SECRET}\n"
        f"aws_session_token = {REAL_TOKEN}\n"
    )
    config = tmp_path / "config"
    config.write_text("[default]\nregion = ap-south-1\n\n[profile prod]\nregion = sa-east-1\n")
    for key in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "prod")


class Signatures:
    """The signing headers of every Glue request a client sent to the (patched) transport."""

    def __init__(self) -> None:
        self.seen: list[dict[str, str]] = []

    def watch(self, client: Any) -> Any:
        client.meta.events.register("before-send.glue", self._record)
        return client

    def _record(self, request: Any, **_: Any) -> None:
        headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        self.seen.append(headers)


def _clients(fake: GlueJobsFake) -> dict[str, Any]:
    """Glue clients built the ways user code builds them, while the fake is active."""
    return {
        "boto3 session": boto3.Session().client("glue"),
        "botocore session": botocore.session.get_session().create_client("glue"),
        "fake.client()": fake.client(),
    }


def _assert_signed_with_test_credentials(
    fake: GlueJobsFake, signatures: Signatures, real_keys: tuple[str, ...]
) -> None:
    __tracebackhide__ = True
    assert signatures.seen, "no Glue request was seen"
    for headers in signatures.seen:
        authorization = headers["Authorization"]
        # Credential=<access key id>/<date>/<region>/glue/aws4_request
        assert "Credential=testing/" in authorization, authorization
        assert f"/{fake.region}/glue/aws4_request" in authorization, authorization
        for key in real_keys:
            assert key not in str(headers), f"{key} was sent in {headers}"
        assert "X-Amz-Security-Token" not in headers, headers
    for call in fake.calls:
        assert (call.account_id, call.region) == (fake.account_id, fake.region)


@pytest.mark.usefixtures("real_environment")
def test_environment_credentials_are_not_used_for_glue() -> None:
    before = dict(os.environ)
    signatures = Signatures()
    with mock_glue_jobs(region="us-west-2") as fake:
        for client in _clients(fake).values():
            signatures.watch(client).get_jobs()
        _assert_signed_with_test_credentials(fake, signatures, (REAL_KEY_ID, REAL_TOKEN))
        assert len(fake.calls) == 3
    assert dict(os.environ) == before


@pytest.mark.usefixtures("real_profile")
def test_profile_credentials_are_not_used_for_glue() -> None:
    before = dict(os.environ)
    signatures = Signatures()
    with mock_glue_jobs(region="eu-west-3") as fake:
        for client in _clients(fake).values():
            signatures.watch(client).list_jobs()
        _assert_signed_with_test_credentials(
            fake, signatures, (PROFILE_KEY_ID, DEFAULT_PROFILE_KEY_ID, REAL_TOKEN)
        )
    assert dict(os.environ) == before
    assert os.environ["AWS_PROFILE"] == "prod"


@pytest.mark.usefixtures("real_profile")
def test_the_default_profile_is_not_used_for_glue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_PROFILE")
    signatures = Signatures()
    with mock_glue_jobs() as fake:
        for client in _clients(fake).values():
            signatures.watch(client).get_jobs()
        _assert_signed_with_test_credentials(fake, signatures, (DEFAULT_PROFILE_KEY_ID,))


@pytest.mark.usefixtures("real_environment")
def test_the_glue_jobs_fixture_signs_with_test_credentials(pytester: pytest.Pytester) -> None:
    # The fixture starts the fake before the test body: the environment it found must not leak in.
    pytester.makepyfile(
        f"""
        import os
        import boto3

        def test_signed(glue_jobs):
            seen = []

            def record(request, **_):
                seen.append(request.headers["Authorization"].decode())

            client = boto3.Session().client("glue")
            client.meta.events.register("before-send.glue", record)
            client.get_jobs()
            assert seen and all("Credential=testing/" in s for s in seen), seen
            assert all("{REAL_KEY_ID}" not in s for s in seen)
            assert "AWS_SESSION_TOKEN" not in os.environ

        def test_environment_is_back():
            assert os.environ["AWS_ACCESS_KEY_ID"] == "{REAL_KEY_ID}"
            assert os.environ["AWS_SESSION_TOKEN"] == "{REAL_TOKEN}"
            assert os.environ["AWS_DEFAULT_REGION"] == "eu-central-1"
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


# -- the environment is restored exactly ---------------------------------------------------------


@pytest.mark.usefixtures("real_profile")
def test_nested_fakes_restore_the_environment_at_each_level() -> None:
    before = dict(os.environ)
    with mock_glue_jobs(region="eu-west-1"):
        outer = dict(os.environ)
        assert outer["AWS_DEFAULT_REGION"] == "eu-west-1"
        assert "AWS_PROFILE" not in outer
        with mock_glue_jobs(region="us-west-2"):
            assert os.environ["AWS_DEFAULT_REGION"] == "us-west-2"
        assert dict(os.environ) == outer
    assert dict(os.environ) == before


@pytest.mark.usefixtures("real_environment")
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt, SystemExit])
def test_leaving_by_an_exception_restores_the_environment(error: type[BaseException]) -> None:
    before = dict(os.environ)
    with pytest.raises(error), mock_glue_jobs():
        raise error()
    assert dict(os.environ) == before


@pytest.mark.usefixtures("real_environment")
def test_fakes_stopped_out_of_order_restore_the_environment() -> None:
    before = dict(os.environ)
    first = GlueJobsFake(region="eu-west-1").start()
    second = GlueJobsFake(region="us-west-2").start()
    first.stop()
    # The second is still active: its test credentials and region stay in force.
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-west-2"
    assert "AWS_SESSION_TOKEN" not in os.environ
    second.stop()
    assert dict(os.environ) == before


@pytest.mark.usefixtures("real_environment")
def test_stopping_twice_changes_nothing_more() -> None:
    fake = GlueJobsFake().start()
    fake.stop()
    os.environ["AWS_DEFAULT_REGION"] = "changed-after-stop"
    after_first_stop = dict(os.environ)
    fake.stop()
    assert dict(os.environ) == after_first_stop


def test_what_the_test_changed_inside_the_fake_is_put_back_for_child_processes_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Child processes inherit the process environment (putenv), not the os.environ mapping.
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    with mock_glue_jobs(region="eu-west-1"):
        os.environ["AWS_PROFILE"] = "set-inside"
        del os.environ["AWS_DEFAULT_REGION"]
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; print(os.getenv('AWS_PROFILE'), os.getenv('AWS_DEFAULT_REGION'))",
        ],
        env=None,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["None", "eu-central-1"]
    assert "AWS_PROFILE" not in os.environ
    assert os.environ["AWS_DEFAULT_REGION"] == "eu-central-1"


def test_a_replaced_os_environ_is_changed_and_restored_like_the_real_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # unittest.mock.patch.object(os, "environ", {...}) is a way some test suites isolate it.
    replaced = {"AWS_PROFILE": "dev", "HOME": "/nowhere"}
    monkeypatch.setattr(os, "environ", dict(replaced))
    with mock_glue_jobs(region="eu-west-1"):
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
        assert "AWS_PROFILE" not in os.environ
    assert os.environ == replaced


# -- a known limit, pinned -----------------------------------------------------------------------


@pytest.mark.usefixtures("real_environment")
def test_a_session_that_resolved_real_credentials_before_the_fake_does_not_sign_with_them() -> None:
    # botocore caches a session's credentials once resolved; the fake swaps in test credentials
    # when Glue requests are signed.
    session = boto3.Session()
    session.client("s3")  # resolves and caches the environment's (real) credentials
    signatures = Signatures()
    with mock_glue_jobs() as fake:
        signatures.watch(session.client("glue")).get_jobs()
        assert fake.calls, "the request was answered by the fake"
        _assert_signed_with_test_credentials(fake, signatures, (REAL_KEY_ID,))
