"""Isolation and teardown: no state crosses from one test (or one fake) to another, and the patch
on botocore's transport never outlives the fakes that need it.

Guarantees (docs/reliability.md):
- every test starts from an empty fake — no jobs, calls or faults — whichever way it got it
  (the fixture, a user fixture around ``mock_glue_jobs``, the decorator on a function or a
  ``TestCase``, a ``mock_glue_jobs`` block inside a test that also has the fixture);
- nested fakes: the innermost answers; each keeps its own jobs and calls; the outer one answers
  again when the inner one stops;
- activating a fake that is already active is refused with an error that says what to do, and
  leaves it active and working;
- the patch is removed (``is_patched()`` is False) after a failing test, an erroring fixture
  (set-up or teardown), a ``KeyboardInterrupt``/``SystemExit`` leaving a block or a decorated
  function, and at the end of the session — even one interrupted, or one where a test started a
  fake and never stopped it.
"""

from __future__ import annotations

import json
import unittest
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs
from pytest_gluejobs._transport.activation import is_patched

JOB = {"Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}}


def _names(client: Any) -> list[str]:
    return [job["Name"] for job in client.get_jobs()["Jobs"]]


# -- no state crosses between tests --------------------------------------------------------------

LEAK_PROBE = """
import os
import unittest

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_gluejobs import mock_glue_jobs
from pytest_gluejobs._transport.activation import is_patched

def environ():
    return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}


ENVIRON = environ()


def use_and_dirty(fake):
    # Nothing from an earlier test may be visible...
    assert fake.jobs == {} and fake.calls == [] and fake.faults == []
    client = boto3.client("glue")
    assert client.get_jobs()["Jobs"] == []
    # ...and this test leaves jobs, tags, calls and a fault behind for the next one to find.
    command = {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
    client.create_job(Name="leak", Role="r", Command=command, Tags={"k": "v"})
    fake.fail("GetJob", "EntityNotFound")
    with pytest.raises(ClientError):
        client.get_job(JobName="leak")
    fake.fail("CreateJob", times=5)


@pytest.fixture
def my_glue():
    with mock_glue_jobs() as fake:
        yield fake


ROUNDS = range(3)


@pytest.mark.parametrize("round", ROUNDS)
def test_fixture(glue_jobs, round):
    use_and_dirty(glue_jobs)


@pytest.mark.parametrize("round", ROUNDS)
def test_user_fixture_around_mock_glue_jobs(my_glue, round):
    use_and_dirty(my_glue)


@pytest.mark.parametrize("round", ROUNDS)
def test_block(round):
    with mock_glue_jobs() as fake:
        use_and_dirty(fake)


@pytest.mark.parametrize("round", ROUNDS)
def test_block_inside_the_fixture(glue_jobs, round):
    use_and_dirty(glue_jobs)
    with mock_glue_jobs() as inner:
        use_and_dirty(inner)


@pytest.mark.parametrize("round", ROUNDS)
@mock_glue_jobs()
def test_decorated_function_with_the_fixture(glue_jobs, round):
    # The decorator's fake is inside the fixture's: it answers; the fixture's sees nothing.
    client = boto3.client("glue")
    assert client.get_jobs()["Jobs"] == []
    client.create_job(Name="leak", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
    assert glue_jobs.jobs == {} and glue_jobs.calls == []
    glue_jobs.add_job(Name="leak-too", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})


@mock_glue_jobs()
class TestCaseDecorated(unittest.TestCase):
    def test_one(self):
        use_and_dirty(self.glue_jobs)

    def test_two(self):
        use_and_dirty(self.glue_jobs)


@pytest.fixture(scope="class")
def block_around_tests():
    with mock_glue_jobs() as fake:
        fake.add_job(Name="block-job", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"})
        yield fake


class TestFixtureInsideABlock:
    # The block is active across the class's tests; each test's fixture nests inside it.
    @pytest.mark.parametrize("round", ROUNDS)
    def test_fixture(self, block_around_tests, glue_jobs, round):
        use_and_dirty(glue_jobs)
        assert list(block_around_tests.jobs) == ["block-job"]
        assert block_around_tests.calls == []


@pytest.mark.parametrize("round", ROUNDS)
def test_between_fakes_nothing_is_patched_and_the_environment_is_back(round):
    assert not is_patched()
    assert environ() == ENVIRON
"""


def test_no_state_crosses_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_probe=LEAK_PROBE)
    # In this process: a leak through module state (the patch, the fake stack) would show too.
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::UserWarning")
    result.assert_outcomes(passed=23)


def test_the_probe_would_see_a_leak(pytester: pytest.Pytester) -> None:
    # The probe can fail: a fake shared by two tests is caught.
    pytester.makepyfile(
        test_probe=LEAK_PROBE
        + """

SHARED = mock_glue_jobs()


@pytest.fixture(scope="module")
def module_glue():
    with SHARED as fake:
        yield fake


@pytest.mark.parametrize("round", range(2))
def test_shared(module_glue, round):
    use_and_dirty(module_glue)
"""
    )
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-W", "ignore::UserWarning", "-k", "shared"
    )
    result.assert_outcomes(passed=1, failed=1)


# -- nesting -------------------------------------------------------------------------------------


def test_nested_fakes_innermost_answers_and_outer_resumes_after() -> None:
    with mock_glue_jobs() as outer:
        client = outer.client()
        client.create_job(Name="outer-job", **JOB)
        with mock_glue_jobs() as inner:
            assert _names(client) == []  # the inner, empty fake answers the same client
            client.create_job(Name="inner-job", **JOB)
            with mock_glue_jobs() as innermost:
                assert _names(client) == []
            assert _names(client) == ["inner-job"]
        assert _names(client) == ["outer-job"]
        assert is_patched()
    assert not is_patched()
    assert [c.operation for c in outer.calls] == ["CreateJob", "GetJobs"]
    assert [c.operation for c in inner.calls] == ["GetJobs", "CreateJob", "GetJobs"]
    assert [c.operation for c in innermost.calls] == ["GetJobs"]
    assert list(inner.jobs) == ["inner-job"]
    assert list(outer.jobs) == ["outer-job"]


def test_one_mock_glue_jobs_object_nests_with_itself() -> None:
    mock = mock_glue_jobs()
    with mock as outer:
        outer.add_job(Name="outer-job", **JOB)
        with mock as inner:
            assert inner is not outer
            assert _names(inner.client()) == []
        assert _names(outer.client()) == ["outer-job"]
    assert not is_patched()


def test_a_block_inside_the_fixture_answers_until_it_ends(glue_jobs: GlueJobsFake) -> None:
    client = glue_jobs.client()
    client.create_job(Name="fixture-job", **JOB)
    with mock_glue_jobs() as block:
        assert _names(client) == []
        client.create_job(Name="block-job", **JOB)
    assert _names(client) == ["fixture-job"]
    assert list(block.jobs) == ["block-job"]
    assert is_patched()  # the fixture's fake is still active


def test_a_decorated_function_inside_the_fixture(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(Name="fixture-job", **JOB)

    @mock_glue_jobs()
    def deploy() -> list[str]:
        client = glue_jobs.client()
        client.create_job(Name="deployed", **JOB)
        return _names(client)

    assert deploy() == ["deployed"]
    assert list(glue_jobs.jobs) == ["fixture-job"]


def test_fakes_stopped_out_of_order_keep_the_active_one_answering() -> None:
    first = GlueJobsFake().start()
    second = GlueJobsFake().start()
    first.add_job(Name="first-job", **JOB)
    second.add_job(Name="second-job", **JOB)
    first.stop()
    assert is_patched()
    assert _names(second.client()) == ["second-job"]
    second.stop()
    assert not is_patched()


# -- activating twice ----------------------------------------------------------------------------


def test_activating_the_fixture_again_is_refused_clearly(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(Name="kept", **JOB)
    with pytest.raises(RuntimeError, match="already active") as refused:  # noqa: SIM117
        with glue_jobs:
            pass
    assert "glue_jobs fixture" in str(refused.value)  # says what to do instead
    # Still active, still answering, state intact.
    assert is_patched()
    assert _names(glue_jobs.client()) == ["kept"]


def test_starting_a_started_fake_is_refused_and_changes_nothing() -> None:
    fake = GlueJobsFake().start()
    try:
        with pytest.raises(RuntimeError, match="already active"):
            fake.start()
        assert _names(fake.client()) == []
    finally:
        fake.stop()
    assert not is_patched()


def test_a_stopped_fake_can_start_again_with_its_state() -> None:
    fake = GlueJobsFake()
    with fake:
        fake.add_job(Name="kept", **JOB)
    assert not is_patched()
    with fake:
        assert _names(fake.client()) == ["kept"]
    assert not is_patched()


# -- the patch is removed, whatever happens ------------------------------------------------------


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt, SystemExit, GeneratorExit])
def test_a_block_left_by_any_exception_removes_the_patch(error: type[BaseException]) -> None:
    with pytest.raises(error), mock_glue_jobs():
        assert is_patched()
        raise error()
    assert not is_patched()


@pytest.mark.parametrize("error", [AssertionError, KeyboardInterrupt])
def test_a_decorated_function_left_by_an_exception_removes_the_patch(
    error: type[BaseException],
) -> None:
    @mock_glue_jobs()
    def interrupted() -> None:
        assert is_patched()
        raise error()

    with pytest.raises(error):
        interrupted()
    assert not is_patched()


def test_a_client_error_inside_a_block_removes_the_patch() -> None:
    with pytest.raises(ClientError), mock_glue_jobs() as fake:
        fake.client().get_job(JobName="missing")
    assert not is_patched()


def test_a_test_case_whose_set_up_fails_removes_the_patch() -> None:
    @mock_glue_jobs()
    class Broken(unittest.TestCase):
        def setUp(self) -> None:
            raise RuntimeError("set-up failed")

        def test_nothing(self) -> None:
            raise AssertionError("not reached")

    result = unittest.TestResult()
    Broken("test_nothing").run(result)
    assert len(result.errors) == 1
    assert not is_patched()


TEARDOWN_PROBE = """
import os

import boto3
import pytest

from pytest_gluejobs._transport.activation import is_patched

def environ():
    return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}


ENVIRON = environ()


def test_fails(glue_jobs):
    command = {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
    boto3.client("glue").create_job(Name="j", Role="r", Command=command)
    assert False, "this test fails"


@pytest.fixture
def broken_setup(glue_jobs):
    raise RuntimeError("fixture set-up fails after the fake started")


def test_broken_setup(broken_setup):
    pass


@pytest.fixture
def broken_teardown(glue_jobs):
    yield glue_jobs
    raise RuntimeError("fixture teardown fails while the fake is still active")


def test_broken_teardown(broken_teardown):
    pass


@pytest.mark.glue_jobs(jobs=[{"Name": "j", "Role": "r", "Command": {"Name": "no-such-command"}}])
def test_seed_job_refused(glue_jobs):
    pass


@pytest.mark.glue_jobs(frozen_time="not a time")
def test_bad_frozen_time(glue_jobs):
    pass


@pytest.mark.glue_fault("GetJob", "NoSuchError")
def test_bad_fault_marker():
    pass


def test_interrupted_in_a_block(glue_jobs):
    from pytest_gluejobs import mock_glue_jobs
    try:
        with mock_glue_jobs():
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert is_patched()  # the fixture's fake is still active


def test_after_all_that_nothing_is_patched_and_the_environment_is_back():
    assert not is_patched()
    assert environ() == ENVIRON
"""


def test_failing_tests_and_erroring_fixtures_remove_the_patch(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_probe=TEARDOWN_PROBE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    # test_broken_teardown passes, then errors in teardown (counted as both).
    result.assert_outcomes(passed=3, failed=1, errors=5)
    assert not is_patched()


SESSION_END_CONFTEST = """
import json

import pytest

from pytest_gluejobs._transport.activation import is_patched


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    # After the plugin's own pytest_unconfigure: what is left when the session is over.
    with open(OUT_PATH, "w") as out:
        json.dump({"patched_at_end": is_patched()}, out)
"""


def _run_to_the_end(pytester: pytest.Pytester, test_code: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "probe.json"
    pytester.makeconftest(SESSION_END_CONFTEST.replace("OUT_PATH", repr(str(out))))
    pytester.makepyfile(test_probe=test_code)
    pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def test_a_fake_never_stopped_is_removed_at_session_end(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    code = """
from pytest_gluejobs import GlueJobsFake
from pytest_gluejobs._transport.activation import is_patched

def test_starts_and_forgets():
    GlueJobsFake().start()
    assert is_patched()
"""
    assert _run_to_the_end(pytester, code, tmp_path) == {"patched_at_end": False}


def test_an_interrupted_session_removes_the_patch(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    code = """
from pytest_gluejobs import GlueJobsFake

def test_interrupted(glue_jobs):
    GlueJobsFake().start()  # one more, never stopped
    raise KeyboardInterrupt

def test_never_reached():
    pass
"""
    assert _run_to_the_end(pytester, code, tmp_path) == {"patched_at_end": False}


def test_the_session_end_probe_would_see_a_patch(pytester: pytest.Pytester, tmp_path: Path) -> None:
    # The probe can fail: if something patches after the plugin's clean-up, it reports it.
    conftest = SESSION_END_CONFTEST.replace(
        "@pytest.hookimpl(trylast=True)\ndef pytest_unconfigure(config):",
        "@pytest.hookimpl(trylast=True)\ndef pytest_unconfigure(config):\n"
        "    from pytest_gluejobs import GlueJobsFake\n    GlueJobsFake().start()",
    )
    out = tmp_path / "probe.json"
    pytester.makeconftest(conftest.replace("OUT_PATH", repr(str(out))))
    pytester.makepyfile(test_probe="def test_nothing():\n    pass\n")
    pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert json.loads(out.read_text()) == {"patched_at_end": True}
