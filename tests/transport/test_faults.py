"""Fault options, the glue_fault marker and the call log, through real boto3 clients.

The contract is DESIGN.md §2 (``fail()``, ``Fault``, ``glue_fault``, ``Call``) and issue 3; the
errors each operation may inject are the ones the Glue model declares (research, "Errors each
operation declares") plus ThrottlingException. Most tests inject OperationTimeoutException, which
botocore does not retry (research §8), so that one client call is one HTTP attempt.
"""

from __future__ import annotations

import functools
import random
import re
import threading
from typing import Any

import boto3
import every_operation
import pytest
from helpers import ROLE, command, glue_error, job_params

from pytest_gluejobs import Fault, mock_glue_jobs
from pytest_gluejobs._core.model import OPERATIONS

TIMEOUT = "OperationTimeoutException"


def outcome(client: Any, call: Any) -> str:
    """ "ok", or the error code the call raised."""
    try:
        call()
    except client.exceptions.ClientError as error:
        return str(error.response["Error"]["Code"])
    return "ok"


def get_job_outcomes(client: Any, count: int, name: str = "nightly") -> list[str]:
    return [outcome(client, lambda: client.get_job(JobName=name)) for _ in range(count)]


@pytest.fixture
def fake_with_nightly_and_weekly(glue_jobs: Any) -> Any:
    """The test's fake, holding the jobs "nightly" and "weekly"."""
    glue_jobs.add_job(**job_params("nightly"))
    glue_jobs.add_job(**job_params("weekly"))
    return glue_jobs


# -- which calls fail: after, times, probability, job_name, "*" -----------------------------------


def test_times_fails_the_next_n_matching_calls(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fault = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, times=2)
    assert get_job_outcomes(glue, 4) == [TIMEOUT, TIMEOUT, "ok", "ok"]
    assert fault.fired == 2


def test_without_times_every_matching_call_fails(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fault = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT)
    assert get_job_outcomes(glue, 5) == [TIMEOUT] * 5
    assert fault.fired == 5


def test_after_lets_k_matching_calls_through_first(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fault = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, after=2, times=1)
    glue.get_jobs()  # another operation: not a matching call
    assert get_job_outcomes(glue, 4) == ["ok", "ok", TIMEOUT, "ok"]
    assert fault.fired == 1


def expected_failures(seed: int, probability: float, count: int) -> list[bool]:
    """The documented rule: matching call n fails if the n-th draw of Random(seed) is below p."""
    draws = random.Random(seed)
    return [draws.random() < probability for _ in range(count)]


def test_probability_with_a_seed_fails_the_calls_its_generator_picks(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, probability=0.5, seed=2024)
    failed = [o == TIMEOUT for o in get_job_outcomes(glue, 40)]
    assert failed == expected_failures(2024, 0.5, 40)
    assert 0 < sum(failed) < 40  # the seed was chosen so that both outcomes occur


def test_the_same_seed_gives_the_same_failures_whatever_else_the_test_does() -> None:
    def run(disturb: bool) -> list[str]:
        with mock_glue_jobs() as fake:
            fake.add_job(**job_params("nightly"))
            client = boto3.client("glue")
            if disturb:
                # Another fault ahead of it that fails call 3; other operations; the global
                # random generator reseeded and drawn from.
                fake.fail("GetJob", "EntityNotFound", after=2, times=1)
                fake.fail("GetJobs", TIMEOUT, probability=0.5, seed=2024)
            fake.fail("GetJob", TIMEOUT, probability=0.5, seed=2024)
            outcomes = []
            for _ in range(30):
                if disturb:
                    random.seed(99)
                    random.random()
                    outcome(client, client.get_jobs)
                    client.list_jobs()
                outcomes.extend(get_job_outcomes(client, 1))
            return outcomes

    quiet, busy = run(disturb=False), run(disturb=True)
    assert busy[2] == "EntityNotFoundException"
    assert busy[:2] + busy[3:] == quiet[:2] + quiet[3:]
    assert [o == TIMEOUT for o in quiet] == expected_failures(2024, 0.5, 30)


def test_different_seeds_give_different_failures(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    first = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, probability=0.5, seed=1)
    runs = [get_job_outcomes(glue, 30)]
    first.remove()
    fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, probability=0.5, seed=2)
    runs.append(get_job_outcomes(glue, 30))
    assert runs[0] != runs[1]


def test_probability_zero_never_fails_and_one_always_fails(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    never = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, probability=0.0)
    assert get_job_outcomes(glue, 10) == ["ok"] * 10
    assert fake_with_nightly_and_weekly.unfired_faults() == [never]
    fake_with_nightly_and_weekly.reset()
    fake_with_nightly_and_weekly.add_job(**job_params("nightly"))
    fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, probability=1.0)
    assert get_job_outcomes(glue, 10) == [TIMEOUT] * 10


def test_probability_with_times_and_after(fake_with_nightly_and_weekly: Any, glue: Any) -> None:
    fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, probability=0.5, seed=7, after=3, times=2)
    failed = [o == TIMEOUT for o in get_job_outcomes(glue, 30)]
    drawn = expected_failures(7, 0.5, 30)
    picked = [n for n in range(3, 30) if drawn[n]][:2]
    assert [n for n, f in enumerate(failed) if f] == picked


@pytest.mark.parametrize(
    ("operation", "about_nightly", "about_weekly"),
    [
        ("CreateJob", job_params("nightly"), job_params("weekly")),
        (
            "UpdateJob",
            {"JobName": "nightly", "JobUpdate": {"Role": ROLE, "Command": command()}},
            {"JobName": "weekly", "JobUpdate": {"Role": ROLE, "Command": command()}},
        ),
        ("GetJob", {"JobName": "nightly"}, {"JobName": "weekly"}),
        ("DeleteJob", {"JobName": "nightly"}, {"JobName": "weekly"}),
        ("BatchGetJobs", {"JobNames": ["weekly", "nightly"]}, {"JobNames": ["weekly", "other"]}),
    ],
)
def test_job_name_restricts_the_fault_to_requests_about_that_job(
    glue_jobs: Any, glue: Any, operation: str, about_nightly: Any, about_weekly: Any
) -> None:
    if operation != "CreateJob":
        glue_jobs.add_job(**job_params("nightly"))
        glue_jobs.add_job(**job_params("weekly"))
    glue_jobs.fail(operation, TIMEOUT, job_name="nightly")
    method = getattr(glue, snake(operation))

    assert outcome(glue, lambda: method(**about_weekly)) == "ok"
    assert outcome(glue, lambda: method(**about_nightly)) == TIMEOUT
    assert [c.injected for c in glue_jobs.calls] == [False, True]


@pytest.mark.parametrize("operation", ["GetJobs", "ListJobs"])
def test_job_name_on_a_listing_is_refused(glue_jobs: Any, operation: str) -> None:
    with pytest.raises(ValueError, match=f"job_name cannot restrict {operation}"):
        glue_jobs.fail(operation, TIMEOUT, job_name="nightly")


def test_star_matches_every_operation(fake_with_nightly_and_weekly: Any, glue: Any) -> None:
    every_operation.seed(fake_with_nightly_and_weekly)
    fault = fake_with_nightly_and_weekly.fail("*", TIMEOUT)
    requests = every_operation.Requests()
    outcomes = [
        outcome(glue, functools.partial(requests.call, glue, operation))
        for operation in every_operation.in_order()
    ]
    assert outcomes == [TIMEOUT] * len(OPERATIONS)
    assert [c.operation for c in fake_with_nightly_and_weekly.calls] == every_operation.in_order()
    assert all(c.injected for c in fake_with_nightly_and_weekly.calls)
    assert fault.fired == len(OPERATIONS)


def test_star_with_job_name_fails_only_requests_about_that_job(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fake_with_nightly_and_weekly.fail("*", TIMEOUT, job_name="nightly")
    assert outcome(glue, glue.get_jobs) == "ok"
    assert outcome(glue, lambda: glue.get_job(JobName="weekly")) == "ok"
    assert outcome(glue, lambda: glue.delete_job(JobName="nightly")) == TIMEOUT
    assert outcome(glue, lambda: glue.batch_get_jobs(JobNames=["nightly"])) == TIMEOUT


def snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


# -- which errors: declared ones, short names, ValueError otherwise --------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("OperationTimeout", "OperationTimeoutException"),
        ("EntityNotFound", "EntityNotFoundException"),
        ("Throttling", "ThrottlingException"),
        ("InvalidInputException", "InvalidInputException"),
    ],
)
def test_short_names_without_exception_are_accepted(
    fake_with_nightly_and_weekly: Any, glue: Any, given: str, code: str
) -> None:
    fault = fake_with_nightly_and_weekly.fail("GetJob", given)
    assert fault.error == code
    with glue_error(glue, code, fault.message):
        glue.get_job(JobName="nightly")


# The errors each operation declares in the Glue model (research table), plus throttling.
VALID = {
    "DeleteJob": [
        "InvalidInputException",
        "InternalServiceException",
        "OperationTimeoutException",
        "ThrottlingException",
    ],
    "BatchGetJobs": [
        "InternalServiceException",
        "OperationTimeoutException",
        "InvalidInputException",
        "ThrottlingException",
    ],
    "*": [
        "InvalidInputException",
        "InternalServiceException",
        "OperationTimeoutException",
        "ThrottlingException",
    ],
}


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        ("DeleteJob", "EntityNotFoundException"),  # DeleteJob of a missing job succeeds
        ("BatchGetJobs", "EntityNotFound"),  # missing jobs are listed in JobsNotFound
        ("*", "AlreadyExistsException"),  # only CreateJob declares it
        ("DeleteJob", "ValidationException"),  # not a Glue error at all
        ("DeleteJob", "internalservice"),  # codes are case-sensitive on the wire
    ],
)
def test_an_error_the_operation_does_not_declare_is_refused_listing_the_choices(
    glue_jobs: Any, operation: str, error: str
) -> None:
    with pytest.raises(ValueError) as caught:
        glue_jobs.fail(operation, error)
    message = str(caught.value)
    assert repr(error) in message
    listed = re.search(r"Choose one of: (.*?) \(", message)
    assert listed, message
    assert sorted(listed[1].split(", ")) == sorted(VALID[operation])
    assert glue_jobs.faults == []


def test_an_unknown_operation_is_refused(glue_jobs: Any) -> None:
    with pytest.raises(ValueError, match="'GetCrawler' is not an operation") as caught:
        glue_jobs.fail("GetCrawler")
    for operation in ("CreateJob", "UpdateJob", "BatchGetJobs", "'*'"):
        assert operation in str(caught.value)


@pytest.mark.parametrize(
    ("options", "mentions"),
    [
        ({"times": 0}, "times must be at least 1"),
        ({"after": -1}, "after must be 0 or more"),
        ({"probability": 1.5}, "probability must be between 0 and 1"),
        ({"probability": -0.1}, "probability must be between 0 and 1"),
        ({"seed": 3}, "seed=3 only seeds the draws of probability="),
    ],
)
def test_impossible_options_are_refused(
    glue_jobs: Any, options: dict[str, Any], mentions: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(mentions)):
        glue_jobs.fail("GetJob", **options)


# -- what the failure looks like ------------------------------------------------------------------


def test_message_overrides_the_default_message(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, message="Glue took too long (test)")
    with glue_error(glue, TIMEOUT) as caught:
        glue.get_job(JobName="nightly")
    assert caught.value.response["Error"]["Message"] == "Glue took too long (test)"


def test_the_default_message_reads_like_glues(fake_with_nightly_and_weekly: Any, glue: Any) -> None:
    # Glue's own text for a missing job (research §6, recorded three times).
    fake_with_nightly_and_weekly.fail("GetJob", "EntityNotFound")
    with glue_error(glue, "EntityNotFoundException") as caught:
        glue.get_job(JobName="nightly")
    assert caught.value.response["Error"]["Message"] == "Job not found."


def test_every_injectable_error_has_a_sentence_for_a_message(glue_jobs: Any) -> None:
    for operation in ("CreateJob", "UpdateJob", "GetJob"):
        for error in ("InternalService", "OperationTimeout", "Throttling", "InvalidInput"):
            message = glue_jobs.fail(operation, error).message
            assert message[:1].isupper() and len(message) > 5, message
    glue_jobs.reset()  # none of them was meant to fire


# -- Fault objects: fired, remove(), context manager, faults list ---------------------------------


def test_fail_returns_a_fault_that_counts_and_can_be_removed(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fault = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT)
    assert isinstance(fault, Fault)
    assert (fault.operation, fault.error, fault.fired) == ("GetJob", TIMEOUT, 0)
    assert fake_with_nightly_and_weekly.faults == [fault]

    assert get_job_outcomes(glue, 2) == [TIMEOUT, TIMEOUT]
    fault.remove()
    assert get_job_outcomes(glue, 2) == ["ok", "ok"]
    assert fault.fired == 2
    assert fake_with_nightly_and_weekly.faults == []
    fault.remove()  # removing twice is harmless


def test_a_fault_is_a_context_manager_that_removes_itself(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    with fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT) as fault:
        assert get_job_outcomes(glue, 1) == [TIMEOUT]
    assert get_job_outcomes(glue, 1) == ["ok"]
    assert fault.fired == 1

    with pytest.raises(RuntimeError), fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT):
        raise RuntimeError("the block failed")
    assert fake_with_nightly_and_weekly.faults == []
    fake_with_nightly_and_weekly.reset()  # the second one never fired, on purpose


def test_faults_are_consulted_in_the_order_they_were_added(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    first = fake_with_nightly_and_weekly.fail("GetJob", "EntityNotFound", times=1)
    second = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, times=1)
    assert fake_with_nightly_and_weekly.faults == [first, second]
    assert get_job_outcomes(glue, 3) == ["EntityNotFoundException", TIMEOUT, "ok"]
    assert (first.fired, second.fired) == (1, 1)


def test_reset_forgets_faults(fake_with_nightly_and_weekly: Any, glue: Any) -> None:
    fake_with_nightly_and_weekly.fail("GetJobs", TIMEOUT)
    fake_with_nightly_and_weekly.reset()
    assert fake_with_nightly_and_weekly.faults == []
    assert fake_with_nightly_and_weekly.unfired_faults() == []
    assert outcome(glue, glue.get_jobs) == "ok"


def test_unfired_faults_include_removed_ones(glue_jobs: Any, glue: Any) -> None:
    fired = glue_jobs.fail("GetJobs", TIMEOUT, times=1)
    removed = glue_jobs.fail("ListJobs", TIMEOUT)
    removed.remove()
    waiting = glue_jobs.fail("DeleteJob", TIMEOUT)
    outcome(glue, glue.get_jobs)
    assert glue_jobs.unfired_faults() == [removed, waiting]
    assert fired.fired == 1
    waiting.remove()  # not reported at teardown either: this test checks them itself
    glue_jobs.reset()


def test_a_fault_shows_its_options(glue_jobs: Any) -> None:
    fault = glue_jobs.fail("GetJob", "Throttling", times=2, after=1, job_name="nightly")
    assert repr(fault) == (
        "Fault('GetJob', 'ThrottlingException', times=2, after=1, job_name='nightly', fired=0)"
    )
    glue_jobs.reset()


# -- markers ------------------------------------------------------------------------------------


@pytest.mark.glue_fault("GetJobs", "OperationTimeout", times=1)
def test_a_marked_test_gets_the_fake_without_naming_the_fixture() -> None:
    client = boto3.client("glue")
    with glue_error(client, TIMEOUT):
        client.get_jobs()
    assert client.get_jobs()["Jobs"] == []


@pytest.mark.glue_fault("GetJob", "EntityNotFound", times=1)
@pytest.mark.glue_fault("GetJob", TIMEOUT, times=1)
@pytest.mark.glue_fault("GetJob", "InvalidInput", times=1)
def test_stacked_markers_apply_top_to_bottom(fake_with_nightly_and_weekly: Any, glue: Any) -> None:
    assert [f.error for f in fake_with_nightly_and_weekly.faults] == [
        "EntityNotFoundException",
        TIMEOUT,
        "InvalidInputException",
    ]
    assert get_job_outcomes(glue, 4) == [
        "EntityNotFoundException",
        TIMEOUT,
        "InvalidInputException",
        "ok",
    ]


@pytest.mark.glue_fault("GetJob", TIMEOUT, job_name="weekly")
class TestMarkersOnAClass:
    @pytest.mark.glue_fault("GetJob", "EntityNotFound", job_name="nightly")
    def test_class_markers_come_before_the_functions(
        self, fake_with_nightly_and_weekly: Any, glue: Any
    ) -> None:
        assert [f.job_name for f in fake_with_nightly_and_weekly.faults] == ["weekly", "nightly"]
        assert get_job_outcomes(glue, 1, "weekly") == [TIMEOUT]
        assert get_job_outcomes(glue, 1, "nightly") == ["EntityNotFoundException"]


# -- an injected failure changes nothing -----------------------------------------------------------


def test_a_failed_create_creates_no_job(glue_jobs: Any, glue: Any) -> None:
    glue_jobs.fail("CreateJob", "InternalServiceException")
    with glue_error(glue, "InternalServiceException", status=500):
        glue.create_job(**job_params("nightly"))
    glue_jobs.assert_no_job("nightly")
    assert glue_jobs.jobs == {}


def test_a_failed_update_or_delete_changes_no_job(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    before = fake_with_nightly_and_weekly.jobs
    fake_with_nightly_and_weekly.fail("UpdateJob", "ConcurrentModification")
    fake_with_nightly_and_weekly.fail("DeleteJob", TIMEOUT)
    with glue_error(glue, "ConcurrentModificationException"):
        glue.update_job(
            JobName="nightly",
            JobUpdate={"Role": "OtherRole", "Command": command(), "Description": "changed"},
        )
    with glue_error(glue, TIMEOUT):
        glue.delete_job(JobName="weekly")
    assert fake_with_nightly_and_weekly.jobs == before


def test_an_injected_already_exists_is_not_a_real_one(glue_jobs: Any, glue: Any) -> None:
    glue_jobs.fail("CreateJob", "AlreadyExists", times=1)
    with glue_error(glue, "AlreadyExistsException"):
        glue.create_job(**job_params("nightly"))
    glue.create_job(**job_params("nightly"))
    glue_jobs.assert_job_names("nightly")


# -- the call log ---------------------------------------------------------------------------------


def test_calls_record_injected_and_real_answers(
    fake_with_nightly_and_weekly: Any, glue: Any
) -> None:
    fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, times=1, job_name="nightly")
    outcome(glue, lambda: glue.get_job(JobName="nightly"))
    glue.get_job(JobName="nightly")
    outcome(glue, lambda: glue.get_job(JobName="missing"))

    injected, ok, missing = fake_with_nightly_and_weekly.calls
    assert (injected.operation, injected.params) == ("GetJob", {"JobName": "nightly"})
    assert (injected.status, injected.error, injected.injected) == (400, TIMEOUT, True)
    assert injected.response is None
    assert (injected.region, injected.account_id) == (
        fake_with_nightly_and_weekly.region,
        fake_with_nightly_and_weekly.account_id,
    )

    assert (ok.status, ok.error, ok.injected) == (200, None, False)
    assert ok.response is not None
    assert ok.response["Job"]["Name"] == "nightly"
    assert ok.response["Job"]["Role"] == ROLE
    assert isinstance(ok.response["Job"]["CreatedOn"], float)  # the wire body: epoch seconds

    assert (missing.status, missing.error, missing.injected) == (
        400,
        "EntityNotFoundException",
        False,
    )
    assert missing.response is None


def test_calls_record_every_attempt_of_a_retried_call(glue_jobs: Any, glue: Any) -> None:
    glue_jobs.fail("CreateJob", "InternalServiceException", times=2)
    glue.create_job(**job_params("nightly"))
    assert [(c.status, c.error, c.injected) for c in glue_jobs.calls] == [
        (500, "InternalServiceException", True),
        (500, "InternalServiceException", True),
        (200, None, False),
    ]
    assert [c.params["Name"] for c in glue_jobs.calls] == ["nightly"] * 3
    assert glue_jobs.calls[2].response == {"Name": "nightly"}
    glue_jobs.assert_called("CreateJob", times=3, Name="nightly", Command={"Name": "glueetl"})
    glue_jobs.assert_not_called("DeleteJob")


def test_times_holds_under_concurrent_calls(fake_with_nightly_and_weekly: Any) -> None:
    # 8 threads share one fault: exactly `times` calls fail, none twice, none lost.
    fault = fake_with_nightly_and_weekly.fail("GetJob", TIMEOUT, times=10)
    clients = [boto3.client("glue") for _ in range(8)]
    results: list[str] = []
    lock = threading.Lock()

    def work(client: Any) -> None:
        mine = get_job_outcomes(client, 25)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count(TIMEOUT) == 10 == fault.fired
    assert len(results) == len(fake_with_nightly_and_weekly.calls) == 200
    assert sum(c.injected for c in fake_with_nightly_and_weekly.calls) == 10
