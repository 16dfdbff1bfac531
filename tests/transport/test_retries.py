"""Injected faults through botocore's real retry logic, in both retry modes, without sleeping.

Expected attempt counts and back-off bounds come from botocore as researched (research §8, checked
against botocore 1.43.11, 1.44.0 and 1.44.8): legacy retries HTTP 500 and 400 ThrottlingException,
5 attempts, delay ``rand() * 2**(n-1)``; standard retries status 500/502/503/504 and the
throttling codes, 3 attempts, delay ``rand() * min(base * 2**(n-1), 20)``. botocore's "new
retries" (opt-in with AWS_NEW_RETRIES_2026 before 1.44, always on since) make standard the default
mode and set ``base`` to 1 s for throttling errors and 50 ms otherwise (before: 1 s for all).
Glue answers InternalServiceException with HTTP 500, the other declared errors and
ThrottlingException with 400 (research §6).
"""

from __future__ import annotations

import time
from typing import Any

import boto3
import botocore
import botocore.configprovider
import botocore.endpoint
import pytest
from botocore.config import Config
from helpers import glue_error, job_params, method

from pytest_gluejobs import mock_glue_jobs

#: HTTP attempts botocore makes before giving up on a retryable error (research §8).
ATTEMPTS = {"legacy": 5, "standard": 3}
MODES = sorted(ATTEMPTS)


def botocore_version() -> tuple[int, int]:
    major, minor = botocore.__version__.split(".")[:2]
    return int(major), int(minor)


#: Whether botocore's "new retries" are on (the flag is deprecated, always True, from 1.44).
NEW_RETRIES: bool = getattr(
    botocore.configprovider, "NEW_RETRIES_ENABLED", botocore_version() >= (1, 44)
)


class SleepSpy:
    """Stands in for the real ``time.sleep``: records what it was asked to sleep, sleeps nothing."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> SleepSpy:
    spy = SleepSpy()
    # The real function, not botocore's reference to it: whatever sleeps for real ends up here.
    monkeypatch.setattr(time, "sleep", spy)
    return spy


def client_in(mode: str) -> Any:
    """A plain boto3 Glue client in retry ``mode``, as user code would build it."""
    return boto3.client("glue", config=Config(retries={"mode": mode}))


def delay_bound(mode: str, attempt: int, *, throttling: bool) -> float:
    """The largest back-off botocore may compute after failed attempt ``attempt`` (1-based)."""
    if mode == "legacy":
        return float(2 ** (attempt - 1))
    base = 1.0 if throttling or not NEW_RETRIES else 0.05
    return min(base * 2 ** (attempt - 1), 20.0)


def assert_backoff_recorded(calls: list[Any], mode: str, *, throttling: bool) -> None:
    """Every attempt but the last carries botocore's computed delay, within its formula's bound."""
    for attempt, call in enumerate(calls[:-1], start=1):
        assert call.retry_delay is not None, f"attempt {attempt} recorded no back-off: {call!r}"
        assert 0 <= call.retry_delay <= delay_bound(mode, attempt, throttling=throttling)
    assert calls[-1].retry_delay is None


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """Each of botocore's retry modes in turn."""
    mode: str = request.param
    return mode


@pytest.fixture
def fake_with_nightly(glue_jobs: Any) -> Any:
    """The test's fake, holding the job "nightly"."""
    glue_jobs.add_job(**job_params("nightly"))
    return glue_jobs


def fail_every_attempt(
    fake: Any,
    mode: str,
    error: str,
    operation: str = "GetJob",
    request: dict[str, Any] | None = None,
) -> Any:
    """Inject ``error`` into every ``operation`` and call it once with a client in retry ``mode``.

    The call must end in botocore's modelled exception for ``error`` with Glue's status (500 for
    InternalServiceException, 400 for the others); returns pytest's ExceptionInfo.
    """
    client = client_in(mode)
    fake.fail(operation, error)
    status = 500 if error == "InternalServiceException" else 400
    with glue_error(client, error, status=status) as caught:
        method(client, operation)(**({"JobName": "nightly"} if request is None else request))
    return caught


# -- InternalServiceException: HTTP 500, retried ---------------------------------------------------


def test_one_internal_error_is_retried_and_the_call_succeeds(
    fake_with_nightly: Any, sleeps: SleepSpy, mode: str
) -> None:
    client = client_in(mode)
    fake_with_nightly.fail("GetJob", "InternalServiceException", times=1)

    response = client.get_job(JobName="nightly")

    assert response["Job"]["Name"] == "nightly"
    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert [c.status for c in fake_with_nightly.calls] == [500, 200]
    assert [c.injected for c in fake_with_nightly.calls] == [True, False]
    assert_backoff_recorded(fake_with_nightly.calls, mode, throttling=False)
    assert sleeps.slept == []


def test_a_persistent_internal_error_exhausts_the_attempts_without_sleeping(
    fake_with_nightly: Any, sleeps: SleepSpy, mode: str
) -> None:
    caught = fail_every_attempt(fake_with_nightly, mode, "InternalServiceException")

    metadata = caught.value.response["ResponseMetadata"]
    assert metadata["MaxAttemptsReached"] is True
    assert metadata["RetryAttempts"] == ATTEMPTS[mode] - 1
    assert [c.status for c in fake_with_nightly.calls] == [500] * ATTEMPTS[mode]
    assert {c.error for c in fake_with_nightly.calls} == {"InternalServiceException"}
    assert_backoff_recorded(fake_with_nightly.calls, mode, throttling=False)
    assert sleeps.slept == []


def test_the_retry_mode_botocore_picks_by_default(
    glue_jobs: Any, sleeps: SleepSpy, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    # No retry mode from the environment or a config file: botocore's own default applies.
    for name in ("AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-config"))
    client = boto3.session.Session().client("glue")
    mode = client.meta.config.retries["mode"]
    # Legacy in botocore 1.43.11 (research §8.1), standard with the new retries (1.44 and later).
    assert mode == ("standard" if NEW_RETRIES else "legacy")
    glue_jobs.fail("GetJobs")

    with glue_error(client, "InternalServiceException", status=500):
        client.get_jobs()

    assert len(glue_jobs.calls) == ATTEMPTS[mode]
    assert sleeps.slept == []


@pytest.mark.glue_jobs(real_retry_sleep=True)
def test_real_retry_sleep_sleeps_the_computed_back_off(
    fake_with_nightly: Any, sleeps: SleepSpy, mode: str
) -> None:
    fail_every_attempt(fake_with_nightly, mode, "InternalServiceException")

    delays = [c.retry_delay for c in fake_with_nightly.calls[:-1]]
    assert len(delays) == ATTEMPTS[mode] - 1
    assert sleeps.slept == delays


def test_real_retry_sleep_outside_pytest(sleeps: SleepSpy) -> None:
    with mock_glue_jobs(real_retry_sleep=True) as fake:
        fake.fail("GetJobs", times=1)
        client_in("standard").get_jobs()
        assert [c.status for c in fake.calls] == [500, 200]
        assert sleeps.slept == [fake.calls[0].retry_delay]


def test_the_sleep_shim_is_gone_with_the_fake() -> None:
    with mock_glue_jobs():
        assert botocore.endpoint.time is not time
    assert botocore.endpoint.time is time


def test_a_sleep_that_is_no_glue_back_off_is_real(glue_jobs: Any, sleeps: SleepSpy) -> None:
    # botocore.endpoint sleeps between attempts of every service; only the back-off after an
    # attempt the fake failed is skipped, and only once.
    client = client_in("standard")
    client.get_jobs()
    botocore.endpoint.time.sleep(0.25)  # after a success: no Glue retry is pending
    glue_jobs.fail("GetJobs", times=1)
    client.get_jobs()
    botocore.endpoint.time.sleep(0.5)  # the failed attempt's back-off was already taken

    assert sleeps.slept == [0.25, 0.5]
    assert [c.retry_delay is None for c in glue_jobs.calls] == [True, False, True]


# -- the other errors: OperationTimeoutException is not retried, ThrottlingException is ----------


def test_operation_timeout_surfaces_on_the_first_attempt(
    fake_with_nightly: Any, sleeps: SleepSpy, mode: str
) -> None:
    caught = fail_every_attempt(fake_with_nightly, mode, "OperationTimeoutException")

    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert [c.status for c in fake_with_nightly.calls] == [400]
    assert fake_with_nightly.calls[0].retry_delay is None
    assert sleeps.slept == []


def test_throttling_is_retried_by_botocores_throttling_rules(
    fake_with_nightly: Any, sleeps: SleepSpy, mode: str
) -> None:
    fail_every_attempt(fake_with_nightly, mode, "ThrottlingException")

    assert [c.status for c in fake_with_nightly.calls] == [400] * ATTEMPTS[mode]
    assert_backoff_recorded(fake_with_nightly.calls, mode, throttling=True)
    assert sleeps.slept == []


def test_one_throttle_is_retried_and_the_call_succeeds(
    fake_with_nightly: Any, sleeps: SleepSpy, mode: str
) -> None:
    client = client_in(mode)
    fake_with_nightly.fail("GetJob", "Throttling", times=1)

    assert client.get_job(JobName="nightly")["Job"]["Name"] == "nightly"
    outcomes = [(c.status, c.error) for c in fake_with_nightly.calls]
    assert outcomes == [(400, "ThrottlingException"), (200, None)]
    assert sleeps.slept == []


# The whole table of docs/faults.md: every error every operation may inject, in both modes.
REQUESTS: dict[str, dict[str, Any]] = {
    "CreateJob": job_params("other"),
    "UpdateJob": {
        "JobName": "nightly",
        "JobUpdate": {"Role": "R", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}},
    },
    "GetJob": {"JobName": "nightly"},
    "GetJobs": {},
    "DeleteJob": {"JobName": "nightly"},
    "ListJobs": {},
    "BatchGetJobs": {"JobNames": ["nightly"]},
}
# Glue's declared errors per operation (research, "Errors each operation declares"); each is also
# tried with throttling below.
DECLARED = {
    "CreateJob": [
        "InvalidInput",
        "IdempotentParameterMismatch",
        "AlreadyExists",
        "InternalService",
        "OperationTimeout",
        "ResourceNumberLimitExceeded",
        "ConcurrentModification",
    ],
    "UpdateJob": [
        "InvalidInput",
        "EntityNotFound",
        "InternalService",
        "OperationTimeout",
        "ConcurrentModification",
    ],
    "GetJob": ["InvalidInput", "EntityNotFound", "InternalService", "OperationTimeout"],
    "GetJobs": ["InvalidInput", "EntityNotFound", "InternalService", "OperationTimeout"],
    "DeleteJob": ["InvalidInput", "InternalService", "OperationTimeout"],
    "ListJobs": ["InvalidInput", "EntityNotFound", "InternalService", "OperationTimeout"],
    "BatchGetJobs": ["InternalService", "OperationTimeout", "InvalidInput"],
}
CASES = [
    (operation, f"{error}Exception")
    for operation, errors in DECLARED.items()
    for error in [*errors, "Throttling"]
]


@pytest.mark.parametrize(("operation", "error"), CASES)
def test_which_errors_botocore_retries(
    fake_with_nightly: Any, sleeps: SleepSpy, mode: str, operation: str, error: str
) -> None:
    fail_every_attempt(fake_with_nightly, mode, error, operation, REQUESTS[operation])
    retried = error in ("InternalServiceException", "ThrottlingException")
    status = 500 if error == "InternalServiceException" else 400

    assert len(fake_with_nightly.calls) == (ATTEMPTS[mode] if retried else 1)
    assert {(c.operation, c.status, c.error, c.injected) for c in fake_with_nightly.calls} == {
        (operation, status, error, True)
    }
    assert sleeps.slept == []


def test_adaptive_mode_retries_an_internal_error_like_standard(
    fake_with_nightly: Any, sleeps: SleepSpy
) -> None:
    # Only errors that are not throttling: after a throttle, adaptive mode's rate limiter makes
    # later requests wait for real (docs/faults.md), which the fake does not skip.
    client = boto3.client("glue", config=Config(retries={"mode": "adaptive"}))
    fake_with_nightly.fail("GetJob", times=2)

    assert client.get_job(JobName="nightly")["Job"]["Name"] == "nightly"
    fake_with_nightly.fail("GetJob")
    with glue_error(client, "InternalServiceException", status=500):
        client.get_job(JobName="nightly")

    assert [c.status for c in fake_with_nightly.calls] == [500, 500, 200] + [500] * ATTEMPTS[
        "standard"
    ]
    assert_backoff_recorded(fake_with_nightly.calls[:3], "standard", throttling=False)
    assert_backoff_recorded(fake_with_nightly.calls[3:], "standard", throttling=False)
    assert sleeps.slept == []
