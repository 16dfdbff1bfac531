"""UpdateJob through a real boto3 client: full replacement, what is kept, errors, validation.

Seed: "The previous job definition is completely overwritten by this information" (JobUpdate);
research §3 for what is kept (name, CreatedOn, tags) and the errors.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from helpers import ROLE, SCRIPT, command, glue_error, job_params

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def rich_job(glue: Any) -> None:
    glue.create_job(
        **job_params(
            Description="loads the warehouse",
            DefaultArguments={"--TempDir": "s3://bucket/tmp/"},
            Connections={"Connections": ["warehouse"]},
            ExecutionProperty={"MaxConcurrentRuns": 3},
            MaxRetries=2,
            Timeout=60,
            GlueVersion="4.0",
            WorkerType="G.2X",
            NumberOfWorkers=4,
            NotificationProperty={"NotifyDelayAfter": 5},
            Tags={"team": "data"},
        )
    )


def test_update_replaces_the_whole_definition(glue_jobs: Any, glue: Any) -> None:
    clock = glue_jobs.freeze_time(T0)
    rich_job(glue)
    clock.tick(timedelta(minutes=5))

    response = glue.update_job(
        JobName="nightly", JobUpdate={"Role": "OtherRole", "Command": command("glueetl")}
    )

    # research §3.5 (REC): the response is {"JobName": name}
    assert {k: v for k, v in response.items() if k != "ResponseMetadata"} == {"JobName": "nightly"}
    # Omitted fields are removed or back to their defaults (seed JobUpdate; research §3.1, §3.2),
    # except GlueVersion, which is kept (model: JobUpdate.GlueVersion "retains the value from the
    # existing job definition"; research U.3); Timeout follows the kept version's rule.
    assert glue.get_job(JobName="nightly")["Job"] == {
        "Name": "nightly",
        "Role": "OtherRole",
        "Command": {"Name": "glueetl", "ScriptLocation": SCRIPT, "PythonVersion": "2"},
        "ExecutionProperty": {"MaxConcurrentRuns": 1},
        "MaxRetries": 0,
        "MaxCapacity": 10.0,
        "AllocatedCapacity": 10,
        "Timeout": 2880,
        "GlueVersion": "4.0",
        "JobMode": "SCRIPT",
        "JobRunQueuingEnabled": False,
        "CreatedOn": T0,  # research §1.7: CreatedOn stays
        "LastModifiedOn": T0 + timedelta(minutes=5),  # research §1.7: LastModifiedOn moves
    }
    # research §3.3: UpdateJob cannot change tags, so they are kept
    assert glue_jobs.tags("nightly") == {"team": "data"}


def test_update_sets_every_given_field(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params(kind="pythonshell"))
    update = {
        "Role": "OtherRole",
        "Command": command("glueetl", PythonVersion="3"),
        "Description": "now Spark",
        "DefaultArguments": {"--enable-metrics": "true"},
        "MaxRetries": 1,
        "Timeout": 120,
        "GlueVersion": "3.0",
        "WorkerType": "G.1X",
        "NumberOfWorkers": 7,
        "ExecutionClass": "FLEX",
    }
    glue.update_job(JobName="nightly", JobUpdate=update)
    job = glue_jobs.job("nightly")
    for field, value in update.items():
        assert job[field] == value, field
    # research §2.6: capacity derived from workers (G.1X = 1 DPU)
    assert (job["MaxCapacity"], job["AllocatedCapacity"]) == (7.0, 7)


def test_successive_updates_move_last_modified_on(glue_jobs: Any, glue: Any) -> None:
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params())
    for minutes in (1, 2, 3):
        clock.tick(timedelta(minutes=1))
        glue.update_job(JobName="nightly", JobUpdate={"Role": ROLE, "Command": command()})
        job = glue_jobs.job("nightly")
        assert job["LastModifiedOn"] == T0 + timedelta(minutes=minutes)
        assert job["CreatedOn"] == T0


def test_update_re_derives_the_timeout_from_the_new_version(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params(GlueVersion="4.0"))
    assert glue_jobs.job("nightly")["Timeout"] == 2880
    # research §2.4: the default Timeout is 480 for Glue >= 5.0
    glue.update_job(
        JobName="nightly", JobUpdate={"Role": ROLE, "Command": command(), "GlueVersion": "5.0"}
    )
    assert glue_jobs.job("nightly")["Timeout"] == 480


@pytest.mark.glue_jobs(default_glue_version="5.1")
def test_update_without_version_keeps_the_jobs_version(glue_jobs: Any, glue: Any) -> None:
    # model (1.43 and 1.44), JobUpdate.GlueVersion: "If not provided in the update request, the
    # Glue version retains the value from the existing job definition." (research U.3). The
    # default Timeout is the kept version's: 2,880 for 4.0 (not the 5.1 default's 480).
    glue.create_job(**job_params(GlueVersion="4.0"))
    glue.update_job(JobName="nightly", JobUpdate={"Role": ROLE, "Command": command()})
    job = glue_jobs.job("nightly")
    assert (job["GlueVersion"], job["Timeout"]) == ("4.0", 2880)
    # A job created on the default keeps it too, even when a test runs with another default.
    glue.create_job(**job_params("on-default"))
    glue.update_job(JobName="on-default", JobUpdate={"Role": ROLE, "Command": command()})
    assert glue_jobs.job("on-default")["GlueVersion"] == "5.1"


def test_update_without_sizing_drops_workers_back_to_default_capacity(
    glue_jobs: Any, glue: Any
) -> None:
    # Glue materializes WorkerType G.1X / NumberOfWorkers 10 on a sizing-less update of a 5.x
    # job (research §2.3, LIVE, single report); the fake does not (docs/fidelity.md).
    glue.create_job(**job_params(WorkerType="G.2X", NumberOfWorkers=4, GlueVersion="5.1"))
    glue.update_job(
        JobName="nightly", JobUpdate={"Role": ROLE, "Command": command(), "GlueVersion": "5.1"}
    )
    job = glue_jobs.job("nightly")
    assert "WorkerType" not in job
    assert "NumberOfWorkers" not in job
    assert (job["MaxCapacity"], job["AllocatedCapacity"]) == (10.0, 10)


def test_streaming_timeout_goes_away_when_not_sent_again(glue_jobs: Any, glue: Any) -> None:
    # research §3.2 (LIVE, TF): a streaming update without Timeout reads back no Timeout
    glue.create_job(**job_params(kind="gluestreaming", Timeout=30))
    glue.update_job(
        JobName="nightly", JobUpdate={"Role": ROLE, "Command": command("gluestreaming")}
    )
    assert "Timeout" not in glue_jobs.job("nightly")


def test_missing_job_is_entity_not_found(glue_jobs: Any, glue: Any) -> None:
    # seed: UpdateJob errors include EntityNotFoundException; research §3.6 (400, text INF)
    with glue_error(glue, "EntityNotFoundException", "Job not found."):
        glue.update_job(JobName="ghost", JobUpdate={"Role": ROLE, "Command": command()})
    assert glue_jobs.jobs == {}


@pytest.mark.parametrize("missing", ["Role", "Command"])
def test_job_update_without_role_or_command_is_refused(
    glue_jobs: Any, glue: Any, missing: str
) -> None:
    glue.create_job(**job_params(Description="kept"))
    before = glue_jobs.job("nightly")
    update = {"Role": ROLE, "Command": command()}
    del update[missing]
    # seed: JobUpdate marks Role and Command "(required)" (the model does not, so botocore sends it)
    with glue_error(glue, "InvalidInputException", f"JobUpdate.{missing}", "required"):
        glue.update_job(JobName="nightly", JobUpdate=update)
    assert glue_jobs.job("nightly") == before


def test_missing_role_is_refused_even_for_a_missing_job(glue_jobs: Any, glue: Any) -> None:
    with glue_error(glue, "InvalidInputException", "JobUpdate.Role"):
        glue.update_job(JobName="ghost", JobUpdate={"Command": command()})


@pytest.mark.parametrize(
    ("update", "fragment"),
    [
        ({"AllocatedCapacity": 10, "MaxCapacity": 10.0}, "Please set only Allocated Capacity"),
        (
            {"MaxCapacity": 10.0, "WorkerType": "G.1X", "NumberOfWorkers": 2},
            "Please do not set Max Capacity if using Worker Type and Number of Workers.",
        ),
        ({"WorkerType": "G.1X"}, "NumberOfWorkers"),
        ({"WorkerType": "G.2X", "NumberOfWorkers": 150}, "149"),
        ({"MaxCapacity": 1.5}, "2 to 100"),
        ({"Timeout": 10080}, "10080"),
        ({"GlueVersion": "9.9"}, "GlueVersion '9.9'"),
        ({"Description": "d" * 2049}, "length less than or equal to 2048"),
        ({"WorkerType": "NOPE", "NumberOfWorkers": 2}, "enum value set"),
        ({"Command": {"Name": "glueetl"}}, "Script location cannot be null or empty"),
    ],
)
def test_update_is_validated_like_create(
    glue_jobs: Any, glue: Any, update: dict[str, Any], fragment: str
) -> None:
    glue_jobs.freeze_time(T0)
    glue.create_job(**job_params(Tags={"team": "data"}))
    before = glue_jobs.job("nightly")

    with glue_error(glue, "InvalidInputException", fragment):
        glue.update_job(JobName="nightly", JobUpdate={"Role": ROLE, "Command": command(), **update})

    assert glue_jobs.job("nightly") == before
    assert glue_jobs.tags("nightly") == {"team": "data"}


def test_ray_update_with_a_timeout_is_refused(glue_jobs: Any, glue: Any) -> None:
    ray = {
        "Role": ROLE,
        "Command": command("glueray", Runtime="Ray2.4"),
        "GlueVersion": "4.0",
        "WorkerType": "Z.2X",
        "NumberOfWorkers": 3,
    }
    glue.create_job(Name="ray", **ray)
    # research §7 (LIVE on UpdateJob: TF #35013, C7N PR #9051)
    with glue_error(glue, "InvalidInputException", "Timeout not supported for Ray jobs"):
        glue.update_job(JobName="ray", JobUpdate={**ray, "Timeout": 480})
    # research §3.2 (LIVE): omitting Timeout keeps Ray's 480
    glue.update_job(JobName="ray", JobUpdate=ray)
    assert glue_jobs.job("ray")["Timeout"] == 480


def test_update_does_not_touch_other_jobs(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params("a", Description="a"))
    glue.create_job(**job_params("b", Description="b"))
    other = glue_jobs.job("b")
    glue.update_job(JobName="a", JobUpdate={"Role": ROLE, "Command": command()})
    assert glue_jobs.job("b") == other
    assert list(glue_jobs.jobs) == ["a", "b"]
