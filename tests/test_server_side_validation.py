"""What Glue itself refuses, reached through boto3 clients that skip botocore's own checks.

botocore checks only required members, Python types and minimums client-side (research §1.4,
LOCAL); maxima, patterns and enums are always the server's job, and with
``parameter_validation=False`` everything is. Limits come from the seed and the service model
(research §1.5); the Coral-style wording ("N validation errors detected: Value '…' at '<path>'
failed to satisfy constraint: …") is research §6's recommendation (INF). Raw bodies (unknown
members, malformed JSON) are sent with conftest.send_raw.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from conftest import ROLE, command, glue_error, job_params, send_raw


def refused(client: Any, call: Any, *fragments: str) -> str:
    """Run ``call``; it must fail with InvalidInputException (400) carrying ``fragments``."""
    with glue_error(client, "InvalidInputException", *fragments) as caught:
        call()
    message: str = caught.value.response["Error"]["Message"]
    return message


# -- exact wording of one violation --------------------------------------------------------------


def test_violation_message_format(glue_jobs: Any, raw_glue: Any) -> None:
    message = refused(raw_glue, lambda: raw_glue.create_job(**job_params(Name="")))
    assert message == (
        "1 validation error detected: Value '' at 'name' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_every_violation_is_reported(glue_jobs: Any, raw_glue: Any) -> None:
    message = refused(
        raw_glue,
        lambda: raw_glue.create_job(
            **job_params(Name="x" * 256, Timeout=0, Description="d" * 2049)
        ),
        "3 validation errors detected",
        "at 'name'",
        "at 'timeout'",
        "at 'description'",
    )
    assert message.count("failed to satisfy constraint") == 3


# -- required members ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params", "path"),
    [
        ("create_job", {"Role": ROLE, "Command": command()}, "name"),
        ("create_job", {"Name": "n", "Command": command()}, "role"),
        ("create_job", {"Name": "n", "Role": ROLE}, "command"),
        ("update_job", {"JobUpdate": {"Role": ROLE, "Command": command()}}, "jobName"),
        ("update_job", {"JobName": "n"}, "jobUpdate"),
        ("get_job", {}, "jobName"),
        ("delete_job", {}, "jobName"),
        ("batch_get_jobs", {}, "jobNames"),
    ],
)
def test_missing_required_member(
    glue_jobs: Any, glue: Any, raw_glue: Any, operation: str, params: dict[str, Any], path: str
) -> None:
    with pytest.raises(ParamValidationError):  # botocore catches it client-side...
        getattr(glue, operation)(**params)
    # ...and Glue answers InvalidInputException 400 (research §6: LIVE-ish via floci reviewers)
    refused(
        raw_glue,
        lambda: getattr(raw_glue, operation)(**params),
        f"Value null at '{path}' failed to satisfy constraint: Member must not be null",
    )
    assert glue_jobs.jobs == {}


def test_all_three_create_members_missing(glue_jobs: Any, raw_glue: Any) -> None:
    refused(raw_glue, lambda: raw_glue.create_job(), "3 validation errors detected")


# -- minimums botocore would catch ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "fragments"),
    [
        ({"Name": ""}, ("at 'name'", "length greater than or equal to 1")),
        ({"Timeout": 0}, ("at 'timeout'", "value greater than or equal to 1")),  # seed: >= 1
        ({"Timeout": -5}, ("at 'timeout'",)),
        (
            {"NotificationProperty": {"NotifyDelayAfter": 0}},  # seed: NotifyDelayAfter >= 1
            ("at 'notificationProperty.notifyDelayAfter'", "greater than or equal to 1"),
        ),
        ({"SecurityConfiguration": ""}, ("at 'securityConfiguration'",)),
        ({"GlueVersion": ""}, ("at 'glueVersion'",)),
        ({"Tags": {"": "v"}}, ("at 'tags'", "length greater than or equal to 1")),
    ],
)
def test_minimums_without_client_side_checks(
    glue_jobs: Any, raw_glue: Any, overrides: dict[str, Any], fragments: tuple[str, ...]
) -> None:
    refused(raw_glue, lambda: raw_glue.create_job(**job_params(**overrides)), *fragments)
    assert glue_jobs.jobs == {}


def test_empty_job_name_on_every_operation(glue_jobs: Any, raw_glue: Any) -> None:
    for call in (
        lambda: raw_glue.get_job(JobName=""),
        lambda: raw_glue.delete_job(JobName=""),
        lambda: raw_glue.update_job(JobName="", JobUpdate={"Role": ROLE, "Command": command()}),
    ):
        refused(raw_glue, call, "at 'jobName'", "length greater than or equal to 1")
    refused(raw_glue, lambda: raw_glue.batch_get_jobs(JobNames=[""]), "at 'jobNames.1.member'")


# -- maxima, patterns, enums: the server's job even for validating clients -----------------------


@pytest.mark.parametrize(
    ("overrides", "fragments"),
    [
        # seed: Name 1-255 bytes, single-line pattern
        ({"Name": "n" * 256}, ("at 'name'", "length less than or equal to 255")),
        ({"Name": "two\nlines"}, ("at 'name'", "regular expression pattern")),
        ({"Name": "tab\tok\r"}, ("at 'name'", "regular expression pattern")),
        # seed: Description <= 2048
        ({"Description": "d" * 2049}, ("at 'description'", "less than or equal to 2048")),
        ({"SecurityConfiguration": "s" * 256}, ("at 'securityConfiguration'",)),
        # model: GlueVersion pattern ^((\w+\.)+\w+|auto)$ (research §1.5)
        ({"GlueVersion": "bad version!"}, ("at 'glueVersion'", "regular expression pattern")),
        ({"GlueVersion": "4"}, ("at 'glueVersion'", "regular expression pattern")),
        # seed: PythonVersion pattern #11 (model ^([2-3]|3[.]9)$)
        ({"Command": command(PythonVersion="4")}, ("at 'command.pythonVersion'",)),
        ({"Command": command(PythonVersion="3.10")}, ("at 'command.pythonVersion'",)),
        # enums from the model
        (
            {"WorkerType": "NOPE", "NumberOfWorkers": 2},
            ("at 'workerType'", "Member must satisfy enum value set"),
        ),
        ({"ExecutionClass": "SLOW"}, ("at 'executionClass'", "enum value set")),
        ({"JobMode": "BATCH"}, ("at 'jobMode'", "enum value set")),
        ({"MaintenanceWindow": "Someday:25"}, ("at 'maintenanceWindow'", "pattern")),
        # seed: <= 50 tags, key 1-128, value <= 256
        ({"Tags": {f"k{i}": "v" for i in range(51)}}, ("at 'tags'", "less than or equal to 50")),
        ({"Tags": {"k" * 129: "v"}}, ("at 'tags'", "Map keys must satisfy constraint")),
        ({"Tags": {"k": "v" * 257}}, ("at 'tags'", "Map value must satisfy constraint")),
    ],
)
def test_server_side_limits(
    glue_jobs: Any, glue: Any, overrides: dict[str, Any], fragments: tuple[str, ...]
) -> None:
    # research §1.4 (LOCAL): a validating botocore client sends all of these to the server.
    refused(glue, lambda: glue.create_job(**job_params(**overrides)), *fragments)
    assert glue_jobs.jobs == {}


@pytest.mark.parametrize(
    "overrides",
    [
        {"Name": "n" * 255},
        {"Name": "tab\tand unicode ✓ 🚀"},
        {"Description": "d" * 2048},
        {"Description": "two\nlines\r\nare fine"},
        {"Description": ""},
        {"Tags": {f"k{i}": "v" for i in range(50)}},
        {"Tags": {"k" * 128: "v" * 256, "empty": ""}},
        {"GlueVersion": "5.0"},
        # 3.9 is a Python shell version; glueetl refuses it (terraform-provider-aws #29123)
        {"Command": command("pythonshell", PythonVersion="3.9")},
        {"MaintenanceWindow": "Sun:23", "Command": command("gluestreaming")},
    ],
)
def test_values_at_the_limits_are_accepted(
    glue_jobs: Any, glue: Any, overrides: dict[str, Any]
) -> None:
    params = job_params(**overrides)
    glue.create_job(**params)
    assert list(glue_jobs.jobs) == [params["Name"]]


@pytest.mark.parametrize("worker_type", ["R.1X", "G.12X", "G.4X"])
def test_newer_worker_types_are_accepted(glue_jobs: Any, glue: Any, worker_type: str) -> None:
    # research §1.5 (LIVE, TF 2026): the real service accepts worker types beyond older enums
    glue.create_job(**job_params(WorkerType=worker_type, NumberOfWorkers=2, GlueVersion="4.0"))
    assert glue_jobs.job("nightly")["WorkerType"] == worker_type


def test_update_job_paths_are_under_job_update(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params())
    refused(
        glue,
        lambda: glue.update_job(
            JobName="nightly",
            JobUpdate={
                "Role": ROLE,
                "Command": command(PythonVersion="7"),
                "Description": "d" * 3000,
            },
        ),
        "2 validation errors detected",
        "at 'jobUpdate.command.pythonVersion'",
        "at 'jobUpdate.description'",
    )


@pytest.mark.parametrize("operation", ["get_jobs", "list_jobs"])
def test_max_results_above_1000(glue_jobs: Any, glue: Any, operation: str) -> None:
    refused(
        glue,
        lambda: getattr(glue, operation)(MaxResults=1001),
        "at 'maxResults'",
        "less than or equal to 1000",
    )


def test_list_jobs_tag_filter_limits(glue_jobs: Any, glue: Any) -> None:
    refused(glue, lambda: glue.list_jobs(Tags={f"k{i}": "v" for i in range(51)}), "at 'tags'")
    refused(glue, lambda: glue.list_jobs(Tags={"k" * 129: "v"}), "at 'tags'")


def test_batch_get_jobs_name_too_long(glue_jobs: Any, glue: Any) -> None:
    refused(
        glue,
        lambda: glue.batch_get_jobs(JobNames=["ok", "n" * 256]),
        "at 'jobNames.2.member'",
        "less than or equal to 255",
    )


# -- JSON types ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "fragments"),
    [
        ({"Timeout": "60"}, ("at 'timeout'", "Member must be an integer")),
        ({"MaxRetries": 1.5}, ("at 'maxRetries'", "Member must be an integer")),
        ({"MaxCapacity": "ten"}, ("at 'maxCapacity'", "Member must be a number")),
        ({"Role": 5}, ("at 'role'", "Member must be a string")),
        ({"Command": "glueetl"}, ("at 'command'", "Member must be an object")),
        ({"Tags": ["a"]}, ("at 'tags'", "Member must be an object")),
        ({"JobRunQueuingEnabled": "yes"}, ("at 'jobRunQueuingEnabled'", "boolean")),
        ({"Timeout": 2**31}, ("at 'timeout'", "32-bit integer")),
    ],
)
def test_wrong_json_types(
    glue_jobs: Any, raw_glue: Any, overrides: dict[str, Any], fragments: tuple[str, ...]
) -> None:
    # botocore cannot serialize most of these, so the body is sent as is
    body = job_params(**overrides)
    refused(raw_glue, lambda: send_raw(raw_glue, "CreateJob", body), *fragments)
    assert glue_jobs.jobs == {}


def test_job_names_must_be_a_list(glue_jobs: Any, raw_glue: Any) -> None:
    body = {"JobNames": "nightly"}
    refused(raw_glue, lambda: send_raw(raw_glue, "BatchGetJobs", body), "at 'jobNames'", "array")


# -- raw bodies ----------------------------------------------------------------------------------


def test_unknown_member_is_refused(glue_jobs: Any, raw_glue: Any) -> None:
    # Glue's behaviour is unknown; we refuse rather than ignore (DESIGN §4, fidelity.md).
    body = {**job_params(), "Bogus": 1}
    refused(raw_glue, lambda: send_raw(raw_glue, "CreateJob", body), "Unknown member 'Bogus'")
    assert glue_jobs.jobs == {}


def test_misspelt_member_gets_a_suggestion(glue_jobs: Any, raw_glue: Any) -> None:
    body = {**job_params(), "Timout": 5}
    refused(raw_glue, lambda: send_raw(raw_glue, "CreateJob", body), "did you mean 'Timeout'")


@pytest.mark.parametrize("member", ["Name", "Tags", "ProfileName", "CreatedOn"])
def test_job_update_cannot_carry_job_only_members(
    glue_jobs: Any, raw_glue: Any, member: str
) -> None:
    # research §1.6 (DOC): JobUpdate has no Name or Tags; ProfileName/CreatedOn are output-only.
    raw_glue.create_job(**job_params(Tags={"team": "data"}))
    before = glue_jobs.job("nightly")
    body = {"JobName": "nightly", "JobUpdate": {"Role": ROLE, "Command": command(), member: "x"}}
    refused(
        raw_glue,
        lambda: send_raw(raw_glue, "UpdateJob", body),
        f"Unknown member '{member}' at 'jobUpdate'",
    )
    assert glue_jobs.job("nightly") == before
    assert glue_jobs.tags("nightly") == {"team": "data"}


def test_null_optional_members_count_as_absent(glue_jobs: Any, raw_glue: Any) -> None:
    body = {**job_params(), "Description": None, "Timeout": None, "Tags": None}
    send_raw(raw_glue, "CreateJob", body)
    job = glue_jobs.job("nightly")
    assert "Description" not in job
    assert job["Timeout"] == 480  # the default, as if omitted (Glue 6.0's rule, model doc)


def test_null_nested_members_count_as_absent(glue_jobs: Any, raw_glue: Any) -> None:
    # The same rule one level down: a null member inside a structure is as if omitted, so the
    # default fills it (seed: MaxConcurrentRuns default 1; research 2.3: PythonVersion "2").
    body = {
        **job_params(),
        "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/s.py", "PythonVersion": None},
        "ExecutionProperty": {"MaxConcurrentRuns": None},
        "NotificationProperty": {"NotifyDelayAfter": None},
    }
    send_raw(raw_glue, "CreateJob", body)
    job = glue_jobs.job("nightly")
    assert job["Command"] == {
        "Name": "glueetl",
        "ScriptLocation": "s3://b/s.py",
        "PythonVersion": "2",
    }
    assert job["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    assert job["NotificationProperty"] == {}


def test_the_stored_job_shares_nothing_with_the_request(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params())
    sent = glue_jobs.calls[0].params
    sent["Command"]["ScriptLocation"] = "s3://elsewhere/changed.py"
    sent["Role"] = "changed"
    job = glue_jobs.job("nightly")
    assert job["Command"]["ScriptLocation"] == job_params()["Command"]["ScriptLocation"]
    assert job["Role"] == job_params()["Role"]


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"Name": "a"'])
def test_malformed_json_is_a_serialization_exception(
    glue_jobs: Any, raw_glue: Any, body: bytes
) -> None:
    # Not modelled by Glue, so botocore raises its generic ClientError (fidelity.md).
    with pytest.raises(ClientError) as caught:
        send_raw(raw_glue, "CreateJob", body)
    assert caught.value.response["Error"]["Code"] == "SerializationException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "JSON" in caught.value.response["Error"]["Message"]
    assert glue_jobs.jobs == {}


@pytest.mark.parametrize("body", [[], "a string", 5])
def test_body_that_is_not_an_object(glue_jobs: Any, raw_glue: Any, body: Any) -> None:
    data = json.dumps(body).encode()
    refused(raw_glue, lambda: send_raw(raw_glue, "GetJobs", data), "must be a JSON object")


def test_empty_body_is_an_empty_request(glue_jobs: Any, raw_glue: Any) -> None:
    glue_jobs.add_job(**job_params())
    assert send_raw(raw_glue, "ListJobs", b"")["JobNames"] == ["nightly"]


# -- refusals are final --------------------------------------------------------------------------


def test_refusals_are_not_retried(glue_jobs: Any, glue: Any) -> None:
    with glue_error(glue, "InvalidInputException"):
        glue.create_job(**job_params(Name="n" * 256))
    # research §8: 400 InvalidInputException is not retried by botocore
    assert [(call.operation, call.status, call.error) for call in glue_jobs.calls] == [
        ("CreateJob", 400, "InvalidInputException")
    ]
