"""GetJob, GetJobs, ListJobs, BatchGetJobs and DeleteJob through a real boto3 client.

Paging, tokens and the ListJobs tag filter are where Glue documents least (research §5 and open
questions 2-5); the fake's choices are listed in docs/fidelity.md and pinned here.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from helpers import ROLE, command, glue_error, job_params


def payload(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def seed(glue_jobs: Any, *names: str, **params: Any) -> None:
    for name in names:
        glue_jobs.add_job(**job_params(name, **params))


# -- GetJob --------------------------------------------------------------------------------------


def test_get_job_returns_the_stored_job(glue_jobs: Any, glue: Any) -> None:
    glue.create_job(**job_params(Tags={"team": "data"}))
    response = glue.get_job(JobName="nightly")
    assert payload(response) == {"Job": glue_jobs.job("nightly")}
    assert "Tags" not in response["Job"]  # research §1.6: tags never appear in Job


def test_get_job_of_a_missing_job(glue_jobs: Any, glue: Any) -> None:
    # research §6 (REC): EntityNotFoundException, 400, "Job not found." without the name
    with glue_error(glue, "EntityNotFoundException", "Job not found.") as caught:
        glue.get_job(JobName="ghost")
    assert caught.value.response["Error"]["Message"] == "Job not found."


def test_timestamps_carry_milliseconds(glue_jobs: Any, glue: Any) -> None:
    # research §1.7 (REC): epoch seconds with a millisecond fraction on the wire
    glue_jobs.freeze_time(datetime(2026, 3, 1, 12, 0, 0, 678901, tzinfo=timezone.utc))
    glue.create_job(**job_params())
    job = glue.get_job(JobName="nightly")["Job"]
    assert job["CreatedOn"] == datetime(2026, 3, 1, 12, 0, 0, 678000, tzinfo=timezone.utc)
    assert job["LastModifiedOn"] == job["CreatedOn"]


def test_wire_format_of_answers(glue_jobs: Any, glue: Any) -> None:
    seen: list[dict[str, Any]] = []
    glue.meta.events.register(
        "before-parse.glue.*", lambda response_dict, **_: seen.append(response_dict)
    )
    glue_jobs.freeze_time(datetime(2026, 3, 1, 12, 0, 0, 250000, tzinfo=timezone.utc))
    glue.create_job(**job_params())
    glue.get_job(JobName="nightly")
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job(JobName="ghost")

    created, got, missing = seen
    for response in seen:
        # research §1.1 (DOC): JSON 1.1 bodies
        assert response["headers"]["Content-Type"] == "application/x-amz-json-1.1"
        assert response["headers"]["x-amzn-RequestId"]
    assert (created["status_code"], json.loads(created["body"])) == (200, {"Name": "nightly"})
    # research §1.7 (REC): timestamps are epoch seconds with a millisecond fraction
    assert json.loads(got["body"])["Job"]["CreatedOn"] == 1772366400.25
    # research §1.2: botocore reads the code from __type; the message key is "message" (fidelity.md)
    assert (missing["status_code"], json.loads(missing["body"])) == (
        400,
        {"__type": "EntityNotFoundException", "message": "Job not found."},
    )


# -- DeleteJob -----------------------------------------------------------------------------------


def test_delete_job_removes_it(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b")
    # research §4 (REC): {"JobName": name}
    assert payload(glue.delete_job(JobName="a")) == {"JobName": "a"}
    assert list(glue_jobs.jobs) == ["b"]
    with glue_error(glue, "EntityNotFoundException", "Job not found."):
        glue.get_job(JobName="a")


def test_delete_job_of_a_missing_job_succeeds(glue_jobs: Any, glue: Any) -> None:
    # seed: "If the job definition is not found, no exception is thrown."
    response = glue.delete_job(JobName="ghost")
    assert payload(response) == {"JobName": "ghost"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_delete_job_twice(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a")
    assert payload(glue.delete_job(JobName="a")) == {"JobName": "a"}
    assert payload(glue.delete_job(JobName="a")) == {"JobName": "a"}
    assert glue_jobs.jobs == {}


def test_delete_job_drops_its_tags(glue_jobs: Any, glue: Any) -> None:
    # research §4 / open question 13 (INF): a re-created job starts untagged (moto gets it wrong)
    glue.create_job(**job_params(Tags={"team": "data"}))
    glue.delete_job(JobName="nightly")
    glue.create_job(**job_params())
    assert glue_jobs.tags("nightly") == {}
    assert glue.list_jobs(Tags={"team": "data"})["JobNames"] == []


# -- BatchGetJobs --------------------------------------------------------------------------------


def test_batch_get_jobs_found_and_not_found(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b", "c")
    response = glue.batch_get_jobs(JobNames=["c", "ghost", "a", "zombie"])
    # seed: Jobs (full Job objects) + JobsNotFound (names). Order: as requested (fidelity.md).
    assert payload(response) == {
        "Jobs": [glue_jobs.job("c"), glue_jobs.job("a")],
        "JobsNotFound": ["ghost", "zombie"],
    }


def test_batch_get_jobs_returns_each_name_once(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b")
    response = glue.batch_get_jobs(JobNames=["b", "a", "b", "ghost", "ghost", "a"])
    assert [job["Name"] for job in response["Jobs"]] == ["b", "a"]
    assert response["JobsNotFound"] == ["ghost"]


def test_batch_get_jobs_with_no_names(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a")
    assert payload(glue.batch_get_jobs(JobNames=[])) == {"Jobs": [], "JobsNotFound": []}


def test_batch_get_jobs_everything_missing(glue_jobs: Any, glue: Any) -> None:
    response = glue.batch_get_jobs(JobNames=["x", "y"])
    assert payload(response) == {"Jobs": [], "JobsNotFound": ["x", "y"]}


# -- GetJobs / ListJobs: pages -------------------------------------------------------------------


def test_empty_account(glue_jobs: Any, glue: Any) -> None:
    # research §5.2 (REC): {"Jobs": []} and no NextToken key
    assert payload(glue.get_jobs()) == {"Jobs": []}
    assert payload(glue.list_jobs()) == {"JobNames": []}


def test_jobs_come_back_in_name_order(glue_jobs: Any, glue: Any) -> None:
    # research §5.5 (weak REC, INF): name order, not creation order
    for name in ["m", "B", "a", "z", "a-1"]:
        glue.create_job(**job_params(name))
    expected = ["B", "a", "a-1", "m", "z"]
    assert glue.list_jobs()["JobNames"] == expected
    assert [job["Name"] for job in glue.get_jobs()["Jobs"]] == expected
    assert list(glue_jobs.jobs) == expected


def test_get_jobs_returns_full_jobs(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b")
    assert glue.get_jobs()["Jobs"] == [glue_jobs.job("a"), glue_jobs.job("b")]


def test_default_page_size_is_100(glue_jobs: Any, glue: Any) -> None:
    # Glue does not document it (research §5.1); 100 as moto and floci do (fidelity.md).
    names = [f"job-{i:03d}" for i in range(101)]
    seed(glue_jobs, *names)
    for operation, key in (("get_jobs", "Jobs"), ("list_jobs", "JobNames")):
        first = getattr(glue, operation)()
        assert len(first[key]) == 100
        second = getattr(glue, operation)(NextToken=first["NextToken"])
        assert len(second[key]) == 1
        assert "NextToken" not in second


@pytest.mark.parametrize(("operation", "key"), [("get_jobs", "Jobs"), ("list_jobs", "JobNames")])
def test_paging_by_hand(glue_jobs: Any, glue: Any, operation: str, key: str) -> None:
    seed(glue_jobs, "a", "b", "c", "d", "e")
    seen: list[list[str]] = []
    kwargs: dict[str, Any] = {"MaxResults": 2}
    while True:
        page = getattr(glue, operation)(**kwargs)
        items = page[key]
        seen.append([item["Name"] for item in items] if key == "Jobs" else items)
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == [["a", "b"], ["c", "d"], ["e"]]


@pytest.mark.parametrize(("operation", "key"), [("get_jobs", "Jobs"), ("list_jobs", "JobNames")])
def test_exact_multiple_of_the_page_size_has_no_empty_last_page(
    glue_jobs: Any, glue: Any, operation: str, key: str
) -> None:
    seed(glue_jobs, "a", "b", "c", "d")
    first = getattr(glue, operation)(MaxResults=2)
    second = getattr(glue, operation)(MaxResults=2, NextToken=first["NextToken"])
    assert len(second[key]) == 2
    assert "NextToken" not in second


def test_boto3_paginators(glue_jobs: Any, glue: Any) -> None:
    names = [f"job-{i:02d}" for i in range(7)]
    seed(glue_jobs, *reversed(names))

    pages = list(glue.get_paginator("get_jobs").paginate(PaginationConfig={"PageSize": 3}))
    assert [[job["Name"] for job in page["Jobs"]] for page in pages] == [
        names[0:3],
        names[3:6],
        names[6:],
    ]
    listed = glue.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 2})
    assert listed.build_full_result()["JobNames"] == names
    first_five = glue.get_paginator("list_jobs").paginate(
        PaginationConfig={"PageSize": 2, "MaxItems": 5}
    )
    assert first_five.build_full_result()["JobNames"] == names[:5]


def test_max_results_bounds(glue_jobs: Any, glue: Any, raw_glue: Any) -> None:
    seed(glue_jobs, "a", "b")
    for operation in ("get_jobs", "list_jobs"):
        # seed: MaxResults "not less than 1 or more than 1000"
        assert "NextToken" in getattr(glue, operation)(MaxResults=1)
        assert "NextToken" not in getattr(glue, operation)(MaxResults=1000)
        # research §1.4 (LOCAL): botocore sends 1001 to the server, which must refuse it
        with glue_error(glue, "InvalidInputException", "less than or equal to 1000"):
            getattr(glue, operation)(MaxResults=1001)
        # botocore refuses 0 itself; without client-side checks Glue must refuse it
        with pytest.raises(ParamValidationError):
            getattr(glue, operation)(MaxResults=0)
        with glue_error(raw_glue, "InvalidInputException", "greater than or equal to 1"):
            getattr(raw_glue, operation)(MaxResults=0)


# -- tokens --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("operation", "key"), [("get_jobs", "Jobs"), ("list_jobs", "JobNames")])
def test_tokens_survive_creates_and_deletes_between_pages(
    glue_jobs: Any, glue: Any, operation: str, key: str
) -> None:
    seed(glue_jobs, "a", "b", "c", "d", "e")

    def names(page: dict[str, Any]) -> list[str]:
        items = page[key]
        return [item["Name"] for item in items] if key == "Jobs" else list(items)

    first = getattr(glue, operation)(MaxResults=2)
    assert names(first) == ["a", "b"]
    glue.delete_job(JobName="b")  # the job the token points after
    glue.delete_job(JobName="d")  # not yet returned: never shows up
    glue.create_job(**job_params("aa"))  # before the cursor: not on later pages
    glue.create_job(**job_params("bz"))  # after the cursor: shows up
    second = getattr(glue, operation)(MaxResults=2, NextToken=first["NextToken"])
    assert names(second) == ["bz", "c"]
    third = getattr(glue, operation)(MaxResults=2, NextToken=second["NextToken"])
    assert names(third) == ["e"]
    assert "NextToken" not in third


def test_token_is_not_tied_to_the_page_size(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b", "c", "d")
    first = glue.list_jobs(MaxResults=1)
    assert glue.list_jobs(MaxResults=3, NextToken=first["NextToken"])["JobNames"] == ["b", "c", "d"]


def tampered(token: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[raw.index(b'"b"') + 1] = ord("c")  # point the cursor elsewhere, keep the checksum
    return base64.urlsafe_b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("operation", ["get_jobs", "list_jobs"])
def test_malformed_tokens_are_invalid_input(glue_jobs: Any, glue: Any, operation: str) -> None:
    seed(glue_jobs, "a", "b", "c")
    good = getattr(glue, operation)(MaxResults=2)["NextToken"]
    # research §5.4 (INF): InvalidInputException 400 is the only fitting modelled error
    for token in ["garbage", "eyJub3QiOiJvdXJzIn0=", good[:-4], good + "x", tampered(good)]:
        with glue_error(glue, "InvalidInputException", "Invalid NextToken"):
            getattr(glue, operation)(NextToken=token)


@pytest.mark.parametrize("operation", ["get_jobs", "list_jobs"])
def test_empty_token_is_refused(glue_jobs: Any, glue: Any, operation: str) -> None:
    # Glue's answer is unknown; an empty token is not one we issued, so it is refused rather than
    # read as "first page" (fidelity.md).
    seed(glue_jobs, "a")
    with glue_error(glue, "InvalidInputException", "Invalid NextToken"):
        getattr(glue, operation)(NextToken="")


def test_get_jobs_token_is_refused_by_list_jobs_and_back(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b", "c")
    get_token = glue.get_jobs(MaxResults=1)["NextToken"]
    list_token = glue.list_jobs(MaxResults=1)["NextToken"]
    with glue_error(glue, "InvalidInputException", "Invalid NextToken for ListJobs"):
        glue.list_jobs(NextToken=get_token)
    with glue_error(glue, "InvalidInputException", "Invalid NextToken for GetJobs"):
        glue.get_jobs(NextToken=list_token)


def test_token_from_another_region_or_account_is_refused(glue_jobs: Any, glue: Any) -> None:
    here = glue.list_jobs(MaxResults=1)  # empty here, so make jobs first
    assert "NextToken" not in here
    seed(glue_jobs, "a", "b")
    token = glue.list_jobs(MaxResults=1)["NextToken"]

    elsewhere = boto3.client("glue", region_name="eu-west-1")
    glue_jobs.add_job(region="eu-west-1", **job_params("a"))
    glue_jobs.add_job(region="eu-west-1", **job_params("b"))
    with glue_error(elsewhere, "InvalidInputException", "another listing"):
        elsewhere.list_jobs(NextToken=token)

    other_account = boto3.client(
        "glue", aws_access_key_id="111122223333", aws_secret_access_key="x"
    )
    with glue_error(other_account, "InvalidInputException", "another listing"):
        other_account.list_jobs(NextToken=token)


def test_token_from_another_tag_filter_is_refused(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b", "c", Tags={"team": "data", "env": "prod"})
    token = glue.list_jobs(Tags={"team": "data"}, MaxResults=1)["NextToken"]
    for tags in ({"team": "other"}, {"team": "data", "env": "prod"}, {}):
        with glue_error(glue, "InvalidInputException", "another listing"):
            glue.list_jobs(Tags=tags, NextToken=token)
    with glue_error(glue, "InvalidInputException", "another listing"):
        glue.list_jobs(NextToken=token)
    # the same filter, whatever the order of its keys, continues
    same = glue.list_jobs(Tags={"team": "data"}, MaxResults=1, NextToken=token)
    assert same["JobNames"] == ["b"]


# -- ListJobs tag filter -------------------------------------------------------------------------


def test_list_jobs_tag_filter_needs_every_tag_with_its_value(glue_jobs: Any, glue: Any) -> None:
    # seed: "only resources with the tag are retrieved"; AND over key=value is our reading of
    # several tags (research §5.6, open question 4; fidelity.md)
    glue_jobs.add_job(**job_params("both", Tags={"team": "data", "env": "prod", "x": "1"}))
    glue_jobs.add_job(**job_params("team-only", Tags={"team": "data"}))
    glue_jobs.add_job(**job_params("env-only", Tags={"env": "prod"}))
    glue_jobs.add_job(**job_params("wrong-env", Tags={"team": "data", "env": "dev"}))
    glue_jobs.add_job(**job_params("untagged"))

    assert glue.list_jobs(Tags={"team": "data", "env": "prod"})["JobNames"] == ["both"]
    assert glue.list_jobs(Tags={"team": "data"})["JobNames"] == ["both", "team-only", "wrong-env"]
    assert glue.list_jobs(Tags={"env": "prod"})["JobNames"] == ["both", "env-only"]
    assert glue.list_jobs(Tags={"team": "Data"})["JobNames"] == []  # DG-T: case-sensitive
    assert glue.list_jobs(Tags={"nope": ""})["JobNames"] == []


def test_list_jobs_with_an_empty_tag_filter_lists_everything(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a", "b")
    glue_jobs.add_job(**job_params("c", Tags={"t": "1"}))
    assert glue.list_jobs(Tags={})["JobNames"] == ["a", "b", "c"]


def test_tag_filter_is_applied_before_paging(glue_jobs: Any, glue: Any) -> None:
    # research §5.6: moto filters after paging (short or empty pages); the fake never does.
    for i in range(20):
        tags = {"team": "data"} if i in (3, 17) else {"team": "other"}
        glue_jobs.add_job(**job_params(f"job-{i:02d}", Tags=tags))

    first = glue.list_jobs(Tags={"team": "data"}, MaxResults=1)
    assert first["JobNames"] == ["job-03"]
    second = glue.list_jobs(Tags={"team": "data"}, MaxResults=1, NextToken=first["NextToken"])
    assert second["JobNames"] == ["job-17"]
    assert "NextToken" not in second

    both = glue.list_jobs(Tags={"team": "data"}, MaxResults=2)
    assert both["JobNames"] == ["job-03", "job-17"]
    assert "NextToken" not in both  # untagged jobs after the last match do not make a page

    paginated = glue.get_paginator("list_jobs").paginate(
        Tags={"team": "other"}, PaginationConfig={"PageSize": 5}
    )
    sizes = [len(page["JobNames"]) for page in paginated]
    assert sizes == [5, 5, 5, 3]


# -- what the fake hands out is a copy -----------------------------------------------------------


def test_state_accessors_return_copies(glue_jobs: Any, glue: Any) -> None:
    added = glue_jobs.add_job(**job_params(Tags={"team": "data"}, DefaultArguments={"--a": "1"}))
    before = glue.get_job(JobName="nightly")["Job"]

    added["Role"] = "changed"
    added["DefaultArguments"]["--a"] = "changed"
    glue_jobs.job("nightly")["Command"]["Name"] = "changed"
    glue_jobs.jobs["nightly"]["ExecutionProperty"]["MaxConcurrentRuns"] = 99
    glue_jobs.jobs_in()["nightly"]["MaxRetries"] = 99
    del glue_jobs.jobs["nightly"]
    glue_jobs.tags("nightly")["team"] = "changed"
    glue.get_job(JobName="nightly")["Job"]["Timeout"] = 1

    assert glue.get_job(JobName="nightly")["Job"] == before
    assert glue_jobs.job("nightly") == before
    assert glue_jobs.tags("nightly") == {"team": "data"}


def test_job_and_tags_of_a_missing_job(glue_jobs: Any) -> None:
    assert glue_jobs.job("ghost") is None
    with pytest.raises(KeyError, match="ghost"):
        glue_jobs.tags("ghost")


def test_create_params_are_not_kept_by_reference(glue_jobs: Any) -> None:
    params = job_params(DefaultArguments={"--a": "1"}, Tags={"t": "1"})
    glue_jobs.add_job(**params)
    params["DefaultArguments"]["--a"] = "changed"
    params["Tags"]["t"] = "changed"
    params["Command"]["Name"] = "changed"
    job = glue_jobs.job("nightly")
    assert job["DefaultArguments"] == {"--a": "1"}
    assert job["Command"]["Name"] == "glueetl"
    assert glue_jobs.tags("nightly") == {"t": "1"}


def test_reset_forgets_jobs(glue_jobs: Any, glue: Any) -> None:
    seed(glue_jobs, "a")
    glue_jobs.reset()
    assert glue_jobs.jobs == {}
    assert glue.list_jobs()["JobNames"] == []
    glue.create_job(Name="a", Role=ROLE, Command=command())
    assert list(glue_jobs.jobs) == ["a"]
