"""Nothing piles up: a test's fake, store and call log go when the test ends, and assert_job_names
costs no more than the names it is given (measured in memory, never in time).
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest

from pytest_gluejobs import mock_glue_jobs

SUITE = """
import gc
import tracemalloc
import weakref

import pytest

tracemalloc.start()
FAKES = []
START = []
ARGUMENTS = {f"--argument-{n}": "a value that takes some room " * 2 for n in range(20)}

@pytest.mark.parametrize("number", range(200))
def test_fifty_jobs(glue_jobs, number):
    if number == 1:  # after the first test: botocore's Glue model and such are loaded once
        gc.collect()
        START.append(tracemalloc.get_traced_memory()[0])
    FAKES.append(weakref.ref(glue_jobs))
    for job in range(50):
        glue_jobs.add_job(
            Name=f"job-{number}-{job}",
            Role="GlueRole",
            Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
            DefaultArguments=ARGUMENTS,
        )
    glue_jobs.client().get_jobs()
    if number % 7 == 0:
        assert False, "a failed test's report shows its calls; its fake must go all the same"

def test_every_fake_was_released():
    gc.collect()
    alive = [ref for ref in FAKES if ref() is not None]
    grown = tracemalloc.get_traced_memory()[0] - START[0]
    tracemalloc.stop()
    assert not alive, f"{len(alive)} of {len(FAKES)} fakes are still alive"
    assert abs(grown) < 10 * 2**20, f"memory grew by {grown / 2**20:.1f} MB"
"""


def test_200_tests_of_50_jobs_end_where_they_started(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_many=SUITE)
    # In a process of its own: an in-process run's recorder keeps every failure's traceback.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=172, failed=29)


# -- assert_job_names ----------------------------------------------------------------------------


def _big_store(fake: Any, count: int) -> list[str]:
    arguments = {f"--argument-{n}": "x" * 100 for n in range(20)}
    names = [f"job-{number:05}" for number in range(count)]
    for name in names:
        fake.add_job(
            Name=name,
            Role="GlueRole",
            Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
            DefaultArguments=arguments,
        )
    return names


def _peak_bytes(call: Any) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_assert_job_names_copies_no_job() -> None:
    with mock_glue_jobs() as fake:
        names = _big_store(fake, 2000)  # about 5 MB of job definitions
        peak = _peak_bytes(lambda: fake.assert_job_names(*names))
        # The names given and a set of them: well under a copy of the jobs.
        assert peak < 1 * 2**20, f"assert_job_names used {peak / 2**20:.1f} MB"


def test_assert_job_names_failure_message_is_bounded() -> None:
    with mock_glue_jobs() as fake:
        names = _big_store(fake, 2000)
        wanted = [f"other-{number}" for number in range(100)]
        with pytest.raises(AssertionError) as caught:
            fake.assert_job_names(*wanted, *names[:-1])
        message = str(caught.value)
        assert len(message.splitlines()) <= 50
        assert "  ... and 80 more missing" in message
        assert "unexpected: 'job-01999'" in message
        assert "expected 2099 name(s), found 2000: 100 missing, 1 unexpected" in message
