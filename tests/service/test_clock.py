"""The fake's clock: glue_jobs.freeze_time(), the marker's frozen_time, and freezegun from outside.

Glue stamps a job's CreatedOn when it is created and LastModifiedOn at every update (seed: Job), so
those two fields show which time the fake read. Both ways of freezing must be undone at teardown,
even when the test fails: checked in a user's suite made with pytester.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import freezegun
import pytest
from helpers import ROLE, command, job_params

from pytest_gluejobs import mock_glue_jobs

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
UPDATE = {"Role": ROLE, "Command": command()}


def stamps(glue: Any, name: str = "nightly") -> tuple[datetime, datetime]:
    """CreatedOn and LastModifiedOn as a boto3 client reads them from GetJob."""
    job = glue.get_job(JobName=name)["Job"]
    return job["CreatedOn"], job["LastModifiedOn"]


def test_freeze_time_sets_both_stamps_of_a_new_job(glue_jobs: Any, glue: Any) -> None:
    glue_jobs.freeze_time(T0)

    glue.create_job(**job_params("nightly"))

    assert stamps(glue) == (T0, T0)
    glue_jobs.assert_job("nightly", CreatedOn=T0, LastModifiedOn=T0)


def test_tick_and_move_to_move_last_modified_only(glue_jobs: Any, glue: Any) -> None:
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params("nightly"))

    clock.tick(timedelta(minutes=5))
    glue.update_job(JobName="nightly", JobUpdate=UPDATE)
    assert stamps(glue) == (T0, T0 + timedelta(minutes=5))

    clock.move_to("2026-04-01 00:00:00")
    glue.update_job(JobName="nightly", JobUpdate=UPDATE)
    assert stamps(glue) == (T0, datetime(2026, 4, 1, tzinfo=timezone.utc))


def test_freeze_time_accepts_a_string(glue_jobs: Any, glue: Any) -> None:
    glue_jobs.freeze_time("2026-03-01 12:00:00")

    glue.create_job(**job_params("nightly"))

    assert stamps(glue) == (T0, T0)


@pytest.mark.glue_jobs(frozen_time="2026-03-01 12:00:00")
def test_the_marker_freezes_the_clock_for_the_whole_test(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"))

    assert stamps(glue) == (T0, T0)
    assert datetime.now(timezone.utc) == T0


@pytest.mark.glue_jobs(frozen_time="2026-03-01 12:00:00")
def test_freeze_time_in_a_marked_test_moves_the_clock_on(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"))
    glue_jobs.freeze_time(T0 + timedelta(days=1))

    glue.update_job(JobName="nightly", JobUpdate=UPDATE)

    assert stamps(glue) == (T0, T0 + timedelta(days=1))


@pytest.mark.glue_jobs(jobs=[job_params("seeded")], frozen_time="2026-03-01 12:00:00")
def test_jobs_seeded_by_the_marker_are_stamped_with_the_frozen_time(glue_jobs: Any) -> None:
    glue_jobs.assert_job("seeded", CreatedOn=T0, LastModifiedOn=T0)


def test_freezegun_from_outside_the_fake_controls_it(glue_jobs: Any, glue: Any) -> None:
    with freezegun.freeze_time(T0) as clock:
        glue.create_job(**job_params("nightly"))
        clock.tick(timedelta(seconds=30))
        glue.update_job(JobName="nightly", JobUpdate=UPDATE)

    assert stamps(glue) == (T0, T0 + timedelta(seconds=30))


def test_the_clock_is_read_at_call_time_not_frozen_by_the_fake(glue_jobs: Any, glue: Any) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    glue.create_job(**job_params("nightly"))
    created, _ = stamps(glue)

    assert created >= before  # the real clock, not some fixed time the fake chose


def test_mock_glue_jobs_undoes_its_frozen_time_on_exit_even_on_error() -> None:
    with pytest.raises(RuntimeError, match="boom"), mock_glue_jobs() as fake:
        fake.freeze_time("2001-01-01")
        assert datetime.now().year == 2001
        raise RuntimeError("boom")

    assert datetime.now().year > 2001


TEARDOWN_SUITE = """
import datetime
import time

import pytest

def test_fixture_freeze_then_fail(glue_jobs):
    glue_jobs.freeze_time("2001-01-01")
    assert datetime.datetime.now().year == 2001
    assert False, "the test fails while the clock is frozen"

@pytest.mark.glue_jobs(frozen_time="2002-02-02")
def test_marker_freeze_then_fail(glue_jobs):
    assert datetime.datetime.now().year == 2002
    assert False, "the test fails while the clock is frozen"

@pytest.mark.glue_jobs(frozen_time="2003-03-03")
def test_marker_freeze_then_error_in_the_fake(glue_jobs):
    glue_jobs.freeze_time("2004-04-04")
    glue_jobs.add_job(Name="x")  # refused: a ValueError, not an assertion

def test_the_clock_is_real_again():
    assert datetime.datetime.now().year > 2004
    assert datetime.date.today().year > 2004
    assert time.time() > 1_700_000_000
"""


def test_frozen_time_is_undone_at_teardown_even_when_the_test_fails(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_teardown=TEARDOWN_SUITE)

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest")

    result.assert_outcomes(failed=3, passed=1)
    result.stdout.fnmatch_lines(["*add_job: Glue would refuse this CreateJob*"])
