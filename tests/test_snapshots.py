"""snapshot(), load() and assert_snapshot(): the data, its inverse, and the snapshot file lifecycle.

The file lifecycle runs in a user's suite made with pytester: missing file, --glue-snapshot-update,
rerun, a change, the unused-file report, and pytest-xdist. The shape of the data and the file format
are DESIGN.md §5; Glue's defaults in the expected jobs come from the research notes (§2).
"""

from __future__ import annotations

import json
import shlex
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import ROLE, SCRIPT, job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
T1 = datetime(2026, 3, 2, 8, 30, 0, 250000, tzinfo=timezone.utc)

#: A glueetl job with nothing but its required members, as GetJob shows it (research §2 defaults).
BAREST = {
    "AllocatedCapacity": 10,
    "Command": {"Name": "glueetl", "PythonVersion": "2", "ScriptLocation": SCRIPT},
    "ExecutionProperty": {"MaxConcurrentRuns": 1},
    "GlueVersion": "6.0",
    "JobMode": "SCRIPT",
    "JobRunQueuingEnabled": False,
    "MaxCapacity": 10.0,
    "MaxRetries": 0,
    "Role": ROLE,
    "Timeout": 480,
}


# -- snapshot() ----------------------------------------------------------------------------------


def test_snapshot_is_every_nonempty_partition_by_job_name_with_tags(
    glue_jobs: Any, glue: Any
) -> None:
    glue_jobs.freeze_time(T0)
    glue.create_job(**job_params("nightly"), Tags={"team": "data"})
    glue_jobs.add_job(region="eu-west-1", **job_params("weekly"))
    glue_jobs.jobs_in(region="ap-south-1")  # looked at, never written: not in the snapshot

    data = glue_jobs.snapshot()

    assert data == {
        "123456789012/eu-west-1": {
            "weekly": {
                **BAREST,
                "Name": "weekly",
                "CreatedOn": "<timestamp>",
                "LastModifiedOn": "<timestamp>",
                "Tags": {},
            }
        },
        "123456789012/us-east-1": {
            "nightly": {
                **BAREST,
                "Name": "nightly",
                "CreatedOn": "<timestamp>",
                "LastModifiedOn": "<timestamp>",
                "Tags": {"team": "data"},
            }
        },
    }
    assert list(data) == sorted(data)
    assert list(data["123456789012/us-east-1"]["nightly"]) == sorted(
        BAREST.keys() | {"Name", "CreatedOn", "LastModifiedOn", "Tags"}
    )


def test_snapshot_gives_iso_timestamps_when_asked(glue_jobs: Any, glue: Any) -> None:
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params("nightly"))
    clock.move_to(T1)
    glue.update_job(
        JobName="nightly",
        JobUpdate={"Role": ROLE, "Command": {"Name": "glueetl", "ScriptLocation": SCRIPT}},
    )

    job = glue_jobs.snapshot(timestamps=True)["123456789012/us-east-1"]["nightly"]

    assert job["CreatedOn"] == "2026-03-01T12:00:00+00:00"
    assert job["LastModifiedOn"] == "2026-03-02T08:30:00.250000+00:00"


def test_snapshot_is_plain_json_data_and_a_copy(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"), Tags={"team": "data"})

    for timestamps in (False, True):
        data = glue_jobs.snapshot(timestamps=timestamps)
        assert json.loads(json.dumps(data)) == data
    data["123456789012/us-east-1"]["nightly"]["Command"]["ScriptLocation"] = "s3://changed"
    data["123456789012/us-east-1"]["nightly"]["Tags"]["team"] = "changed"

    glue_jobs.assert_job("nightly", Command={"ScriptLocation": SCRIPT}, Tags={"team": "data"})


def test_an_empty_fake_snapshots_as_an_empty_dict(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("nightly"))
    glue.delete_job(JobName="nightly")

    assert glue_jobs.snapshot() == {}


# -- load() --------------------------------------------------------------------------------------


def test_load_is_the_inverse_of_snapshot_with_timestamps(glue_jobs: Any, glue: Any) -> None:
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params("nightly"), Tags={"team": "data"})
    glue.create_job(**job_params("workers", WorkerType="G.2X", NumberOfWorkers=4))
    glue.create_job(**job_params("shell", "pythonshell", MaxCapacity=1.0))
    clock.move_to(T1)
    glue.update_job(
        JobName="nightly",
        JobUpdate={"Role": "Other", "Command": {"Name": "glueetl", "ScriptLocation": SCRIPT}},
    )
    glue_jobs.add_job(region="eu-west-1", account_id="210987654321", **job_params("far"))
    state = glue_jobs.snapshot(timestamps=True)

    with mock_glue_jobs() as fresh:
        fresh.load(state)

        assert fresh.snapshot(timestamps=True) == state
        assert fresh.job("nightly")["LastModifiedOn"] == T1  # type: ignore[index]
        assert fresh.calls == []  # seeding is not a call


def test_load_answers_reads_like_created_jobs(glue_jobs: Any, glue: Any) -> None:
    glue_jobs.load(
        {
            "123456789012/us-east-1": {
                "nightly": {"Role": ROLE, "Command": {"Name": "glueetl", "ScriptLocation": SCRIPT}}
            }
        }
    )

    assert glue.list_jobs()["JobNames"] == ["nightly"]
    glue_jobs.assert_job("nightly", Timeout=480, MaxCapacity=10.0)  # CreateJob's defaults (6.0)


def test_load_turns_placeholders_into_the_current_time(glue_jobs: Any) -> None:
    glue_jobs.freeze_time(T1)
    job = {**BAREST, "Name": "nightly", "CreatedOn": "<timestamp>", "LastModifiedOn": "<timestamp>"}

    glue_jobs.load({"123456789012/us-east-1": {"nightly": job}})

    glue_jobs.assert_job("nightly", CreatedOn=T1, LastModifiedOn=T1)


def test_load_accepts_z_for_utc(glue_jobs: Any) -> None:
    job = {
        **BAREST,
        "CreatedOn": "2026-03-01T12:00:00Z",
        "LastModifiedOn": "2026-03-02T08:30:00.250+00:00",
    }

    glue_jobs.load({"123456789012/us-east-1": {"nightly": job}})

    glue_jobs.assert_job("nightly", CreatedOn=T0, LastModifiedOn=T1)


def test_load_adds_to_the_state_and_refuses_to_overwrite(glue_jobs: Any) -> None:
    glue_jobs.add_job(**job_params("nightly"))
    glue_jobs.load({"123456789012/us-east-1": {"weekly": job_params("weekly")}})

    with pytest.raises(
        ValueError, match=r"job\(s\) 'nightly' already exist; .* call reset\(\) first"
    ):
        glue_jobs.load({"123456789012/us-east-1": {"nightly": job_params("nightly")}})
    glue_jobs.assert_job_names("nightly", "weekly")


BAD_DATA = [
    pytest.param(["not", "a", "dict"], "expected a dict of partitions, got list", id="not-a-dict"),
    pytest.param({"us-east-1": {}}, "a partition key must be '<account_id>/<region>'", id="key"),
    pytest.param({"1/r": ["x"]}, "at '1/r': expected a dict of jobs by name, got list", id="jobs"),
    pytest.param(
        {"1/r": {"x": "job"}}, "at '1/r > x': expected the job's fields as a dict", id="job"
    ),
    pytest.param(
        {"1/r": {"x": {**job_params("y")}}},
        "the job's Name 'y' differs from its key 'x'",
        id="name",
    ),
    pytest.param(
        {"1/r": {"x": {"Role": ROLE, "Command": {"Name": "glueetl"}}}},
        "Glue would refuse this job (InvalidInputException: Script location cannot be null",
        id="refused",
    ),
    pytest.param(
        {
            "1/r": {
                "x": {
                    **job_params("x"),
                    "WorkerType": "G.1X",
                    "NumberOfWorkers": 10,
                    "MaxCapacity": 5.0,
                }
            }
        },
        "MaxCapacity is 5.0 but Glue shows 10.0 for this definition",
        id="derived",
    ),
    pytest.param(
        {"1/r": {"x": {**job_params("x"), "CreatedOn": "2026-03-01T12:00:00"}}},
        "CreatedOn is '2026-03-01T12:00:00'; expected an ISO-8601 time with a UTC offset",
        id="naive-time",
    ),
    pytest.param(
        {"1/r": {"x": {**job_params("x"), "LastModifiedOn": "yesterday"}}},
        "LastModifiedOn is 'yesterday'; expected an ISO-8601 time",
        id="not-a-time",
    ),
]


@pytest.mark.parametrize(("data", "problem"), BAD_DATA)
def test_load_explains_what_is_wrong_and_loads_nothing(data: Any, problem: str) -> None:
    with mock_glue_jobs() as fake:
        good = {"123456789012/us-east-1": {"first": job_params("first")}}
        with pytest.raises(ValueError) as caught:
            fake.load({**good, **data} if isinstance(data, dict) else data)

        assert problem in str(caught.value)
        assert str(caught.value).startswith("load(): snapshot data")
        assert fake.snapshot() == {}  # the good partition was not loaded either


# -- assert_snapshot() outside the fixture ------------------------------------------------------


def test_assert_snapshot_needs_the_fixture() -> None:
    for fake in (GlueJobsFake(), mock_glue_jobs()):
        with (
            fake as active,
            pytest.raises(RuntimeError, match="needs the glue_jobs pytest fixture"),
        ):
            active.assert_snapshot()


# -- the file lifecycle, in a user's suite (pytester) -------------------------------------------

LIFECYCLE = """
import os

import boto3
import pytest

def create(name, script=None):
    boto3.client("glue").create_job(
        Name=name, Role="GlueRole",
        Command={"Name": "glueetl", "ScriptLocation": script or os.environ["SCRIPT"]})

def test_plain(glue_jobs):
    create("nightly")
    glue_jobs.assert_snapshot()

@pytest.mark.parametrize("script", ["s3://b/a.py", "s3://b/with space.py"])
def test_param(glue_jobs, script):
    create("nightly", script)
    glue_jobs.assert_snapshot()

def test_named(glue_jobs):
    create("first")
    glue_jobs.assert_snapshot(name="one job")
    create("second")
    glue_jobs.assert_snapshot(name="two jobs")

class TestGrouped:
    def test_method(self, glue_jobs):
        create("nightly")
        glue_jobs.assert_snapshot()
"""

FILES = [
    "test_plain.json",
    "test_param[s3%3A%2F%2Fb%2Fa.py].json",
    "test_param[s3%3A%2F%2Fb%2Fwith%20space.py].json",
    "test_named--one%20job.json",
    "test_named--two%20jobs.json",
    "TestGrouped.test_method.json",
]


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("SCRIPT", "s3://b/old.py")
    pytester.makepyfile(test_life=LIFECYCLE)
    return pytester


#: Left out of the runs in a user's suite: the cache's files, and hypothesis's plugin (it imports
#: all of hypothesis, rewriting its asserts, at the end of each in-process run: seconds each).
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*QUIET, *args)


def snapshot_dir(pytester: pytest.Pytester) -> Path:
    return pytester.path / "__snapshots__" / "test_life"


def test_a_missing_snapshot_fails_with_the_command_that_creates_it(suite: pytest.Pytester) -> None:
    result = run(suite)

    result.assert_outcomes(failed=5)  # test_named stops at its first snapshot
    result.stdout.fnmatch_lines(
        [
            "*No glue_jobs snapshot file __snapshots__/test_life/test_plain.json yet. Create it*",
            "*    pytest test_life.py::test_plain --glue-snapshot-update",
            "*then review the file and commit it with the test.",
        ]
    )
    assert not snapshot_dir(suite).exists()

    # the command in the message, run as given, creates exactly that test's file
    output = result.stdout.str()
    line = next(
        line
        for line in output.splitlines()
        if "pytest 'test_life.py::test_param[s3://b/with" in line
    )
    command = shlex.split(line.split("    ", 1)[1])
    assert command[0] == "pytest"
    run(suite, *command[1:]).assert_outcomes(passed=1)
    assert [path.name for path in snapshot_dir(suite).iterdir()] == [FILES[2]]


def test_update_writes_every_snapshot_then_reruns_pass(suite: pytest.Pytester) -> None:
    update = run(suite, "--glue-snapshot-update")

    update.assert_outcomes(passed=5)
    assert sorted(path.name for path in snapshot_dir(suite).iterdir()) == sorted(FILES)
    update.stdout.fnmatch_lines(
        ["*- glue_jobs snapshots -*", "wrote 6 snapshot file(s):"]
        + [f"  created __snapshots__/test_life/{name}" for name in sorted(FILES)]
    )
    assert "unused" not in update.stdout.str()

    text = (snapshot_dir(suite) / "test_named--two jobs.json".replace(" ", "%20")).read_text()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    assert set(json.loads(text)["123456789012/us-east-1"]) == {"first", "second"}
    assert '"CreatedOn": "<timestamp>"' in text
    assert not list(snapshot_dir(suite).glob(".*"))  # no temporary file left behind

    rerun = run(suite)
    rerun.assert_outcomes(passed=5)
    assert "glue_jobs snapshots" not in rerun.stdout.str()

    again = run(suite, "--glue-snapshot-update")  # nothing changed: nothing written
    again.assert_outcomes(passed=5)
    again.stdout.fnmatch_lines(["no snapshot file written: all 6 asserted were up to date"])


def test_a_change_fails_with_a_diff_naming_the_changed_field(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)
    monkeypatch.setenv("SCRIPT", "s3://b/new.py")

    result = run(suite, "-k", "test_plain")

    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines(
        [
            "*The fake's state differs from the glue_jobs snapshot __snapshots__/test_life/*",
            "*  job 'nightly' in 123456789012/us-east-1: Command.ScriptLocation: "
            "'s3://b/old.py' -> 's3://b/new.py'",
            "*--- __snapshots__/test_life/test_plain.json (stored)",
            "*+++ glue_jobs.snapshot() (actual)",
            '*-        "ScriptLocation": "s3://b/old.py"',
            '*+        "ScriptLocation": "s3://b/new.py"',
            "*If the new state is right, update the file (and review the change) with",
            "*    pytest test_life.py::test_plain --glue-snapshot-update",
        ]
    )

    update = run(suite, "-k", "test_plain", "--glue-snapshot-update")
    update.stdout.fnmatch_lines(["  updated __snapshots__/test_life/test_plain.json"])
    run(suite, "-k", "test_plain").assert_outcomes(passed=1, deselected=4)


def test_a_new_or_removed_job_is_named_in_the_failure(suite: pytest.Pytester) -> None:
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)
    source = suite.path / "test_life.py"
    source.write_text(source.read_text().replace('create("second")', 'create("third")'))
    plain = snapshot_dir(suite) / "test_plain.json"
    plain.write_text(plain.read_text().replace('"nightly"', '"renamed"'))

    result = run(suite)

    result.assert_outcomes(failed=2, passed=3)
    result.stdout.fnmatch_lines_random(
        [
            "*job 'second' in 123456789012/us-east-1: gone (only in the stored snapshot)",
            "*job 'third' in 123456789012/us-east-1: new (not in the stored snapshot)",
            "*job 'nightly' in 123456789012/us-east-1: new (not in the stored snapshot)",
            "*job 'renamed' in 123456789012/us-east-1: gone (only in the stored snapshot)",
        ]
    )


def test_only_the_data_of_a_hand_formatted_file_counts(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)
    plain = snapshot_dir(suite) / "test_plain.json"
    plain.write_text(json.dumps(json.loads(plain.read_text())))  # one line, same data

    run(suite, "-k", "test_plain").assert_outcomes(passed=1, deselected=4)

    monkeypatch.setenv("SCRIPT", "s3://b/new.py")
    changed = run(suite, "-k", "test_plain")
    changed.assert_outcomes(failed=1, deselected=4)
    removed = [line for line in changed.stdout.lines if line.startswith("E       - ")]
    assert removed == ['E       -        "ScriptLocation": "s3://b/old.py"']


def test_a_file_that_is_not_json_fails_with_the_way_out(suite: pytest.Pytester) -> None:
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)
    (snapshot_dir(suite) / "test_plain.json").write_text("<<<<<<< HEAD\n")

    result = run(suite, "-k", "test_plain")

    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines(
        [
            "*The glue_jobs snapshot file __snapshots__/test_life/test_plain.json is not valid*",
            "*    pytest test_life.py::test_plain --glue-snapshot-update",
        ]
    )


def test_unused_snapshot_files_are_reported_when_updating(suite: pytest.Pytester) -> None:
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)
    source = suite.path / "test_life.py"
    source.write_text(
        source.read_text()
        .replace("def test_plain(", "def test_renamed(")
        .replace('glue_jobs.assert_snapshot(name="one job")', "")
    )
    (snapshot_dir(suite) / "test_gone[x].json").write_text("{}\n")

    result = run(suite, "--glue-snapshot-update")

    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "wrote 1 snapshot file(s):",
            "  created __snapshots__/test_life/test_renamed.json",
            "3 snapshot file(s) that no test asserted any more (delete them if nothing needs*",
            "  __snapshots__/test_life/test_gone[x].json",
            "  __snapshots__/test_life/test_named--one%20job.json",
            "  __snapshots__/test_life/test_plain.json",
        ]
    )
    assert (snapshot_dir(suite) / "test_plain.json").exists()  # reported, never deleted


@pytest.mark.parametrize(
    "selection",
    [
        pytest.param(["test_life.py::test_named"], id="node-id"),
        pytest.param(["-k", "test_named"], id="keyword"),
    ],
)
def test_a_partial_run_reports_only_files_of_tests_that_ran(
    suite: pytest.Pytester, selection: list[str]
) -> None:
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)
    source = suite.path / "test_life.py"
    source.write_text(source.read_text().replace('glue_jobs.assert_snapshot(name="one job")', ""))
    (snapshot_dir(suite) / "test_gone.json").write_text("{}\n")

    result = run(suite, "--glue-snapshot-update", *selection)

    result.assert_outcomes(passed=1, deselected=0 if selection[0] != "-k" else 4)
    output = result.stdout.str()
    assert "  __snapshots__/test_life/test_named--one%20job.json" in output
    assert "test_plain.json" not in output  # its test did not run
    if selection[0] == "-k":  # the whole file was collected: no test owns test_gone.json
        assert "  __snapshots__/test_life/test_gone.json" in output
    else:  # only test_named was collected: test_gone might exist
        assert "test_gone.json" not in output


def test_a_failed_test_does_not_make_its_files_unused(suite: pytest.Pytester) -> None:
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)
    source = suite.path / "test_life.py"
    source.write_text(source.read_text().replace('    create("second")', "    assert False\n"))

    result = run(suite, "--glue-snapshot-update")

    result.assert_outcomes(passed=4, failed=1)
    assert "two%20jobs.json" not in result.stdout.str()


def test_the_same_snapshot_twice_in_a_test_is_an_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_twice(glue_jobs):
            glue_jobs.assert_snapshot(name="state")
            glue_jobs.assert_snapshot(name="state")
        """
    )

    result = run(pytester, "--glue-snapshot-update")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*This test already asserted the snapshot __snapshots__/*/test_twice--state.json;*"]
    )


def test_one_file_asserted_by_two_tests_is_an_error(pytester: pytest.Pytester) -> None:
    # Python test names cannot make one file name; other items (a plugin's) and name= could.
    session = pytester.parseconfigure().pluginmanager.get_plugin("glue_jobs_snapshots")
    path = pytester.path / "__snapshots__" / "test_x" / "test_a--b.json"
    session.claim(path, "test_x.py::test_a")
    session.claim(path, "test_x.py::test_a")  # the same test again (a rerun) is fine

    with pytest.raises(
        ValueError, match=r"belongs to both test_x\.py::test_a and test_x\.py::test_a--b"
    ):
        session.claim(path, "test_x.py::test_a--b")


def test_an_empty_name_is_refused(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_it(glue_jobs):\n    glue_jobs.assert_snapshot(name='')\n")

    result = run(pytester)

    result.stdout.fnmatch_lines(["*assert_snapshot(name=...) must be a non-empty string; got ''*"])


def test_a_file_name_too_long_for_file_systems_is_refused(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("text", ["x"], ids=["x" * 300])
        def test_it(glue_jobs, text):
            glue_jobs.assert_snapshot()
        """
    )

    result = run(pytester, "--glue-snapshot-update")

    result.assert_outcomes(failed=1)
    # test_it[ + 300 x + ].json
    result.stdout.fnmatch_lines(["*would be 314 bytes long, more than file systems allow (255)*"])
    assert not (pytester.path / "__snapshots__").exists()


def test_timestamps_in_a_snapshot_file(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.mark.glue_jobs(frozen_time="2026-03-01 12:00:00")
        def test_it(glue_jobs):
            boto3.client("glue").create_job(
                Name="nightly", Role="GlueRole",
                Command={"Name": "glueetl", "ScriptLocation": "s3://b/n.py"})
            glue_jobs.assert_snapshot(timestamps=True)
        """
    )

    run(pytester, "--glue-snapshot-update").assert_outcomes(passed=1)
    run(pytester).assert_outcomes(passed=1)

    stored = json.loads(next((pytester.path / "__snapshots__").rglob("*.json")).read_text())
    job = stored["123456789012/us-east-1"]["nightly"]
    assert job["CreatedOn"] == job["LastModifiedOn"] == "2026-03-01T12:00:00+00:00"


def test_snapshots_live_beside_their_test_file(pytester: pytest.Pytester) -> None:
    pytester.mkpydir("pkg")
    (pytester.path / "pkg" / "test_deep.py").write_text(
        "def test_it(glue_jobs):\n    glue_jobs.assert_snapshot()\n"
    )
    missing = run(pytester)
    missing.stdout.fnmatch_lines(["*    pytest pkg/test_deep.py::test_it --glue-snapshot-update"])

    result = run(pytester, "--glue-snapshot-update")

    result.assert_outcomes(passed=1)
    assert (
        pytester.path / "pkg" / "__snapshots__" / "test_deep" / "test_it.json"
    ).read_text() == "{}\n"
    result.stdout.fnmatch_lines(["  created pkg/__snapshots__/test_deep/test_it.json"])


def test_paths_in_messages_are_relative_to_where_pytest_runs(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini("[pytest]\n")  # the rootdir stays above the directory pytest runs in
    pytester.mkpydir("pkg")
    (pytester.path / "pkg" / "test_deep.py").write_text(
        "def test_it(glue_jobs):\n    glue_jobs.assert_snapshot()\n"
    )
    monkeypatch.chdir(pytester.path / "pkg")

    missing = run(pytester)

    missing.stdout.fnmatch_lines(
        [
            "*No glue_jobs snapshot file __snapshots__/test_deep/test_it.json yet*",
            "*    pytest test_deep.py::test_it --glue-snapshot-update",
        ]
    )
    run(pytester, "test_deep.py::test_it", "--glue-snapshot-update").assert_outcomes(passed=1)
    assert (pytester.path / "pkg" / "__snapshots__" / "test_deep" / "test_it.json").exists()


def test_syrupy_leaves_glue_snapshot_files_alone(suite: pytest.Pytester) -> None:
    # syrupy (installed here) would otherwise count every file under __snapshots__/ as its own
    # unused snapshot, fail the run over it and delete it with --snapshot-update.
    run(suite, "--glue-snapshot-update").assert_outcomes(passed=5)

    result = run(suite, "--snapshot-update")

    assert result.ret == 0
    assert sorted(path.name for path in snapshot_dir(suite).iterdir()) == sorted(FILES)
    assert "unused" not in result.stdout.str()


# -- pytest-xdist ------------------------------------------------------------------------------


def test_the_lifecycle_under_xdist(suite: pytest.Pytester) -> None:
    def xdist(*args: str) -> pytest.RunResult:
        return suite.runpytest_subprocess(*QUIET, "-n", "2", *args)

    missing = xdist()
    missing.assert_outcomes(failed=5)
    missing.stdout.fnmatch_lines(["*pytest test_life.py::test_plain --glue-snapshot-update"])

    update = xdist("--glue-snapshot-update")
    update.assert_outcomes(passed=5)
    # the controller summarises what both workers wrote
    update.stdout.fnmatch_lines(
        ["wrote 6 snapshot file(s):"]
        + [f"  created __snapshots__/test_life/{name}" for name in sorted(FILES)]
    )
    assert sorted(path.name for path in snapshot_dir(suite).iterdir()) == sorted(FILES)

    xdist().assert_outcomes(passed=5)

    (snapshot_dir(suite) / "test_gone.json").write_text("{}\n")
    source = suite.path / "test_life.py"
    source.write_text(source.read_text().replace('glue_jobs.assert_snapshot(name="one job")', ""))
    unused = xdist("--glue-snapshot-update")
    unused.assert_outcomes(passed=5)
    unused.stdout.fnmatch_lines(
        [
            "no snapshot file written: all 5 asserted were up to date",
            "2 snapshot file(s) that no test asserted any more*",
            "  __snapshots__/test_life/test_gone.json",
            "  __snapshots__/test_life/test_named--one%20job.json",
        ]
    )


LONE_SURROGATE = """
import boto3


def test_role(glue_jobs):
    # A member without a pattern takes a lone surrogate (JSON's "\\\\udc00"), as Glue's strings do.
    boto3.client("glue").create_job(
        Name="odd", Role="\\udc00", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"}
    )
    glue_jobs.assert_snapshot()
"""


def test_a_lone_surrogate_is_written_escaped_and_read_back(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_odd=LONE_SURROGATE)
    update = run(pytester, "--glue-snapshot-update")
    update.assert_outcomes(passed=1)  # before: UnicodeEncodeError, and "all up to date"
    update.stdout.fnmatch_lines(["wrote 1 snapshot file(s):"])
    text = (pytester.path / "__snapshots__" / "test_odd" / "test_role.json").read_text("utf-8")
    assert '"Role": "\\udc00"' in text
    assert json.loads(text)["123456789012/us-east-1"]["odd"]["Role"] == "\udc00"
    run(pytester).assert_outcomes(passed=1)


def test_the_update_summary_names_the_files_a_failing_test_did_not_write(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_half="""
        def test_writes(glue_jobs):
            glue_jobs.assert_snapshot()

        def test_fails_while_writing(glue_jobs, monkeypatch):
            import pytest_gluejobs._snapshots as snapshots

            def no_room(path, text):
                raise OSError(28, "No space left on device")

            monkeypatch.setattr(snapshots, "write_atomically", no_room)
            glue_jobs.assert_snapshot()
        """
    )
    first = run(pytester, "--glue-snapshot-update")
    first.assert_outcomes(passed=1, failed=1)
    first.stdout.fnmatch_lines(
        [
            "wrote 1 snapshot file(s):",
            "  created __snapshots__/test_half/test_writes.json",
            "1 snapshot file(s) not written: their tests failed *",
            "  __snapshots__/test_half/test_fails_while_writing.json",
        ]
    )
    assert "up to date" not in first.stdout.str()
    again = run(pytester, "--glue-snapshot-update")
    again.stdout.fnmatch_lines(
        [
            "1 snapshot file(s) asserted were up to date",
            "1 snapshot file(s) not written: their tests failed *",
        ]
    )
    assert "wrote" not in again.stdout.str()
