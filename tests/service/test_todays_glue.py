"""Today's Glue by default: 6.0, `auto`, end of life, the kept version on UpdateJob,
ScriptLocation and Command.Name, and one error at a time (docs/fidelity.md has the sources).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from helpers import ROLE, SCRIPT, command, glue_error, job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

AUTO = {"GlueVersion": "auto", "MaxRetries": 1}


def get(glue: Any, name: str = "nightly") -> dict[str, Any]:
    job: dict[str, Any] = glue.get_job(JobName=name)["Job"]
    return job


# -- Glue 6.0 and versions the table does not know --


def test_glue_6_is_accepted_with_the_5_x_timeout_rule(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # U.1: 6.0 GA 2026-08-21; Timeout doc "480 for 5.0 and later" (unchanged in 1.44).
    glue.create_job(**job_params(GlueVersion="6.0"))
    job = get(glue)
    assert (job["GlueVersion"], job["Timeout"]) == ("6.0", 480)
    assert "AutoUpgradeMetadata" not in job  # model: "null when the job is not configured to auto"


def test_todays_glue_is_the_default(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # botocore 1.44's CreateJob.GlueVersion doc: "Jobs that are created without specifying a Glue
    # version default to Glue 6.0"; Timeout doc: "480 minutes for Glue version 5.0 and later".
    glue.create_job(**job_params())
    job = get(glue)
    assert (job["GlueVersion"], job["Timeout"], job["MaxCapacity"]) == ("6.0", 480, 10.0)


@pytest.mark.glue_jobs(default_glue_version="0.9")
def test_the_api_references_era_in_one_line(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-job.html of 2019: "default to
    # Glue 0.9", Timeout "The default is 2,880 minutes (48 hours)".
    glue.create_job(**job_params())
    job = get(glue)
    assert (job["GlueVersion"], job["Timeout"]) == ("0.9", 2880)


def test_the_ini_line_chooses_the_era(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nglue_jobs_default_glue_version = 0.9\n")
    pytester.makepyfile(
        """
        import boto3

        def test_era(glue_jobs):
            command = {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
            boto3.client("glue").create_job(Name="j", Role="r", Command=command)
            glue_jobs.assert_job("j", GlueVersion="0.9", Timeout=2880)
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


@pytest.mark.parametrize("version", ["6.1", "9.9", "0.8", "1.5"])
def test_a_version_the_fake_does_not_know_is_refused_with_how_to_add_it(
    glue_jobs: GlueJobsFake, glue: Any, version: str
) -> None:
    with glue_error(
        glue,
        "InvalidInputException",
        f"GlueVersion '{version}' is not a Glue version this fake knows",
        "5.1, 6.0 and 'auto'",
        f"glue_jobs_extra_glue_versions = {version}",
        f"extra_glue_versions=['{version}']",
    ):
        glue.create_job(**job_params(GlueVersion=version))
    assert glue_jobs.jobs == {}


@pytest.mark.glue_jobs(extra_glue_versions=["6.1"])
def test_a_version_added_by_the_test_follows_the_newest_rules(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(**job_params(GlueVersion="6.1", ExecutionClass="FLEX"))
    job = get(glue)
    assert (job["GlueVersion"], job["Timeout"], job["ExecutionClass"]) == ("6.1", 480, "FLEX")


def test_extra_versions_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nglue_jobs_extra_glue_versions = 6.1 7.0\n")
    pytester.makepyfile(
        """
        import boto3

        def test_new_versions(glue_jobs):
            command = {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
            for version in ("6.1", "7.0"):
                boto3.client("glue").create_job(
                    Name=version, Role="r", Command=command, GlueVersion=version
                )
            assert sorted(glue_jobs.jobs) == ["6.1", "7.0"]
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


@pytest.mark.parametrize("extra", [["six"], ["auto"], ["6"]])
def test_a_malformed_extra_version_is_a_clear_error(extra: list[str]) -> None:
    with pytest.raises(ValueError, match=r"extra Glue version|already known"):
        mock_glue_jobs(extra_glue_versions=extra).__enter__()


# -- auto --


def test_auto_on_a_spark_job_with_retries(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # U.2: `auto` for Spark jobs with MaxRetries >= 1; GetJob returns AutoUpgradeMetadata while
    # the job is set to auto. What it holds right after CreateJob is not documented: the fake
    # shows the version the job runs on now (today's newest, 6.0) and Status OBSERVING.
    glue.create_job(**job_params(**AUTO))
    job = get(glue)
    assert job["GlueVersion"] == "auto"
    assert job["Timeout"] == 480  # the rule of the version it runs on
    metadata = {"SourceVersion": "6.0", "Status": "OBSERVING"}
    assert glue_jobs.job("nightly")["AutoUpgradeMetadata"] == metadata
    if "AutoUpgradeMetadata" in glue.meta.service_model.shape_for("Job").members:
        assert job["AutoUpgradeMetadata"] == metadata  # botocore >= 1.44 parses it
    glue.create_job(**job_params("streaming", kind="gluestreaming", **AUTO))
    assert get(glue, "streaming")["GlueVersion"] == "auto"


@pytest.mark.parametrize("retries", [None, 0])
def test_auto_needs_max_retries_of_one_or_more(
    glue_jobs: GlueJobsFake, glue: Any, retries: int | None
) -> None:
    params = job_params(GlueVersion="auto")
    if retries is not None:
        params["MaxRetries"] = retries
    with glue_error(glue, "InvalidInputException", "GlueVersion 'auto' needs MaxRetries of 1"):
        glue.create_job(**params)
    assert glue_jobs.jobs == {}


@pytest.mark.parametrize("kind", ["pythonshell", "glueray"])
def test_auto_is_only_for_spark_jobs(glue_jobs: GlueJobsFake, glue: Any, kind: str) -> None:
    with glue_error(glue, "InvalidInputException", "only for Spark jobs", f"'{kind}'"):
        glue.create_job(**job_params(kind=kind, **AUTO))
    assert glue_jobs.jobs == {}


@pytest.mark.parametrize("spelling", ["AUTO", "Auto"])
def test_auto_is_lowercase_only(raw_glue: Any, spelling: str) -> None:
    # U.2: case-sensitive; other spellings fail the model's pattern (with `|auto` in 1.44).
    with glue_error(raw_glue, "InvalidInputException", "regular expression pattern"):
        raw_glue.create_job(**job_params(GlueVersion=spelling, MaxRetries=1))


def test_updating_an_auto_job_without_a_version_keeps_auto(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # U.3: JobUpdate.GlueVersion "retains the value from the existing job definition".
    glue.create_job(**job_params(**AUTO))
    glue.update_job(
        JobName="nightly", JobUpdate={"Role": ROLE, "Command": command(), "MaxRetries": 2}
    )
    job = glue_jobs.job("nightly")
    assert (job["GlueVersion"], job["MaxRetries"]) == ("auto", 2)
    assert job["AutoUpgradeMetadata"]["SourceVersion"] == "6.0"
    # An update that keeps auto must keep MaxRetries >= 1 too: UpdateJob replaces the definition.
    with glue_error(glue, "InvalidInputException", "MaxRetries of 1"):
        glue.update_job(JobName="nightly", JobUpdate={"Role": ROLE, "Command": command()})


def test_turning_auto_on_for_an_existing_job_observes_its_version(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(**job_params(GlueVersion="4.0"))
    glue.update_job(JobName="nightly", JobUpdate={"Role": ROLE, "Command": command(), **AUTO})
    job = glue_jobs.job("nightly")
    assert job["AutoUpgradeMetadata"] == {"SourceVersion": "4.0", "Status": "OBSERVING"}
    assert job["Timeout"] == 2880  # 4.0's rule
    glue.update_job(
        JobName="nightly", JobUpdate={"Role": ROLE, "Command": command(), "GlueVersion": "5.1"}
    )
    assert "AutoUpgradeMetadata" not in glue_jobs.job("nightly")


def test_an_auto_job_loads_back_from_its_snapshot(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(**job_params(**AUTO))
    data = glue_jobs.snapshot()
    glue_jobs.reset()
    glue_jobs.load(data)
    assert glue_jobs.snapshot() == data


# -- end of life --


@pytest.mark.parametrize("version", ["0.9", "1.0", "2.0"])
def test_with_todays_default_end_of_life_versions_are_refused(
    glue_jobs: GlueJobsFake, glue: Any, version: str
) -> None:
    # https://docs.aws.amazon.com/glue/latest/dg/glue-version-support-policy.html: 0.9, 1.0 and
    # 2.0 reached end of life on 2026-04-01; "you can no longer create new AWS Glue jobs" on them.
    with glue_error(glue, "InvalidInputException", f"{version} reached end of life on 2026-04-01"):
        glue.create_job(**job_params(GlueVersion=version))
    glue.create_job(**job_params(GlueVersion="3.0"))
    assert list(glue_jobs.jobs) == ["nightly"]


def test_before_the_end_of_life_date_the_version_was_still_allowed(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue_jobs.freeze_time(datetime(2026, 3, 31, 23, 0, tzinfo=timezone.utc))
    glue.create_job(**job_params(GlueVersion="2.0"))
    assert get(glue)["GlueVersion"] == "2.0"


@pytest.mark.glue_jobs(default_glue_version="0.9")
def test_with_a_0_9_default_every_version_is_accepted(glue_jobs: GlueJobsFake, glue: Any) -> None:
    # Glue's API reference, GlueVersion: "Jobs that are created without specifying a Glue
    # version default to Glue 0.9" (https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html),
    # as in 2019; a fake on that default accepts what Glue did then.
    glue.create_job(**job_params(GlueVersion="2.0"))
    glue.create_job(**job_params("defaulted"))
    assert (get(glue)["GlueVersion"], get(glue, "defaulted")["GlueVersion"]) == ("2.0", "0.9")


# -- Command.Name and ScriptLocation --


@pytest.mark.parametrize("script", [None, ""])
@pytest.mark.parametrize("kind", ["glueetl", "gluestreaming", "pythonshell"])
def test_a_script_location_is_required(
    glue_jobs: GlueJobsFake, raw_glue: Any, kind: str, script: str | None
) -> None:
    # U.5 (LIVE for glueetl, 2021 and 2026): "Script location cannot be null or empty for glueetl
    # command", InvalidInputException 400. Other commands: the same template (ours, INF).
    job_command: dict[str, Any] = {"Name": kind}
    if script is not None:
        job_command["ScriptLocation"] = script
    with glue_error(
        raw_glue,
        "InvalidInputException",
        f"Script location cannot be null or empty for {kind} command",
    ):
        raw_glue.create_job(Name="nightly", Role=ROLE, Command=job_command)
    assert glue_jobs.jobs == {}


@pytest.mark.parametrize("name", [None, ""])
def test_a_missing_command_name_gets_glues_message(
    glue_jobs: GlueJobsFake, raw_glue: Any, name: str | None
) -> None:
    # U.6 (LIVE, confirmed by AWS in 2018): "Command name should not be null or empty".
    job_command: dict[str, Any] = {"ScriptLocation": SCRIPT}
    if name is not None:
        job_command["Name"] = name
    with glue_error(raw_glue, "InvalidInputException") as caught:
        raw_glue.create_job(Name="nightly", Role=ROLE, Command=job_command)
    assert caught.value.response["Error"]["Message"] == "Command name should not be null or empty"


@pytest.mark.parametrize("name", ["test_command", "temp", "GLUEETL"])
def test_an_unknown_command_name_is_a_python_shell_job(
    glue_jobs: GlueJobsFake, glue: Any, name: str
) -> None:
    # U.4 (LIVE 2019-2021: TF #8526, terraform #23258, aws-cdk #13424): accepted and treated as
    # Python shell. The name is kept as sent (ours: what GetJob shows is not recorded).
    glue.create_job(**job_params(Command=command(name)))
    job = get(glue)
    assert job["Command"]["Name"] == name
    assert (job["MaxCapacity"], job["Timeout"]) == (0.0625, 480)  # 6.0's Timeout rule
    with glue_error(
        glue, "InvalidInputException", f"Worker Type is not supported for Job Command {name}"
    ):
        glue.create_job(
            **job_params("workers", Command=command(name), WorkerType="G.1X", NumberOfWorkers=2)
        )


# -- one error at a time --


def test_a_definition_breaking_several_rules_gets_one_sentence(
    glue_jobs: GlueJobsFake, raw_glue: Any
) -> None:
    # Every real Glue message on record is one sentence (e.g. terraform-provider-aws #44420,
    # aws-samples/cql-replicator #181): the first rule broken answers.
    with glue_error(raw_glue, "InvalidInputException") as caught:
        raw_glue.create_job(
            Name="nightly",
            Role=ROLE,
            Command={"Name": "glueetl"},
            MaxCapacity=10.0,
            AllocatedCapacity=10,
            Timeout=10080,
        )
    message = caught.value.response["Error"]["Message"]
    assert message == "Script location cannot be null or empty for glueetl command"
    assert glue_jobs.jobs == {}


def test_a_worker_jobs_getjob_sent_back_gets_the_workers_sentence(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # go-to-k/cdk-real-drift src/revert/writers.ts ("proven live"): re-submitting a worker job's
    # read (MaxCapacity, AllocatedCapacity, WorkerType, NumberOfWorkers) is answered with
    # "Please do not set Max Capacity if using Worker Type and Number of Workers".
    glue.create_job(**job_params(WorkerType="G.1X", NumberOfWorkers=10))
    job = get(glue)
    update = {k: v for k, v in job.items() if k not in ("Name", "CreatedOn", "LastModifiedOn")}
    with glue_error(glue, "InvalidInputException") as caught:
        glue.update_job(JobName="nightly", JobUpdate=update)
    assert caught.value.response["Error"]["Message"] == (
        "Please do not set Max Capacity if using Worker Type and Number of Workers."
    )


def test_shape_violations_come_before_the_semantic_rules(
    glue_jobs: GlueJobsFake, raw_glue: Any
) -> None:
    # The model's checks answer first (as Coral validates before the service runs); the rules see
    # only requests of the right shape.
    with glue_error(raw_glue, "InvalidInputException", "at 'timeout' failed to satisfy") as caught:
        raw_glue.create_job(Name="nightly", Role=ROLE, Command={"Name": "glueetl"}, Timeout=0)
    assert "Script location" not in caught.value.response["Error"]["Message"]
