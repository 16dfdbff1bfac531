"""The store's indexes answer exactly as a scan of every job and run would, whatever the history.

ListJobs with a Tags filter walks only the jobs carrying the filter's rarest tag, and the run
operations find a run by its id and count a job's unfinished runs without walking its history
(so that no call's cost grows with the store; the benchmark measures that). These tests check
that the indexes never change an answer: after tags are added, replaced and removed, jobs
deleted and created again, runs retried, stopped and loaded from a snapshot.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from helpers import glue_error, job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

ACCOUNT, REGION = "123456789012", "us-east-1"
NAMES = [f"job-{i:02d}" for i in range(24)]
TAGS = [("team", "data"), ("team", "web"), ("env", "prod"), ("env", "dev"), ("rare", "yes")]


def arn(name: str) -> str:
    return f"arn:aws:glue:{REGION}:{ACCOUNT}:job/{name}"


def list_all(glue: Any, tags: dict[str, str], page: int) -> list[str]:
    """Every name ListJobs gives for ``tags``, following NextToken with ``page`` per page."""
    names: list[str] = []
    params: dict[str, Any] = {"Tags": tags, "MaxResults": page}
    while True:
        answer = glue.list_jobs(**params)
        names += answer["JobNames"]
        if "NextToken" not in answer:
            return names
        params["NextToken"] = answer["NextToken"]


def scanned(glue_jobs: GlueJobsFake, tags: dict[str, str]) -> list[str]:
    """What the filter must give: every job whose tags include all of ``tags``, by name."""
    return sorted(
        name
        for name in glue_jobs.jobs
        if tags.items() <= glue_jobs.tags(name).items()  # the documented match, per tag
    )


@pytest.mark.parametrize("seed", range(3))
def test_list_jobs_tag_filter_matches_a_scan_through_any_history(
    glue_jobs: GlueJobsFake, glue: Any, seed: int
) -> None:
    rng = random.Random(seed)
    for _ in range(160):
        name = rng.choice(NAMES)
        tags = dict(rng.sample(TAGS, rng.randint(0, 2)))
        exists = name in glue_jobs.jobs
        action = rng.choice(["create", "tag", "untag", "update", "delete"])
        if not exists:
            glue.create_job(**job_params(name, **({"Tags": tags} if tags else {})))
        elif action == "tag" and tags:
            glue.tag_resource(ResourceArn=arn(name), TagsToAdd=tags)
        elif action == "untag":
            glue.untag_resource(ResourceArn=arn(name), TagsToRemove=[key for key, _ in TAGS])
        elif action == "update":
            update = {"Role": "R", "Command": job_params()["Command"]}
            glue.update_job(JobName=name, JobUpdate=update)
        elif action == "delete":
            glue.delete_job(JobName=name)
    for tags in ({"team": "data"}, {"rare": "yes"}, {"team": "web", "env": "prod"}, {"x": "y"}):
        expected = scanned(glue_jobs, tags)
        for page in (1, 3, 100):
            assert list_all(glue, tags, page) == expected, (tags, page)


def test_a_job_created_again_carries_only_its_new_tags(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params("a", Tags={"team": "data"}))
    glue.create_job(**job_params("b", Tags={"team": "data"}))
    glue.delete_job(JobName="a")
    assert glue.list_jobs(Tags={"team": "data"})["JobNames"] == ["b"]
    glue.create_job(**job_params("a", Tags={"team": "web"}))
    assert glue.list_jobs(Tags={"team": "data"})["JobNames"] == ["b"]
    assert glue.list_jobs(Tags={"team": "web"})["JobNames"] == ["a"]
    glue.delete_job(JobName="b")
    assert glue.list_jobs(Tags={"team": "data"})["JobNames"] == []


def all_runs(glue: Any, page: int) -> list[str]:
    """Every run id GetJobRuns gives for the job, following NextToken with ``page`` per page."""
    ids: list[str] = []
    params: dict[str, Any] = {"JobName": "nightly", "MaxResults": page}
    while True:
        answer = glue.get_job_runs(**params)
        ids += [run["Id"] for run in answer["JobRuns"]]
        if "NextToken" not in answer:
            return ids
        params["NextToken"] = answer["NextToken"]


def test_runs_are_found_by_id_and_paged_newest_first(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 100}))
    started = [glue.start_job_run(JobName="nightly")["JobRunId"] for _ in range(23)]
    for page in (1, 5, 23, 100):
        assert all_runs(glue, page) == started[::-1]
    for run_id in started:
        assert glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["Id"] == run_id
    with glue_error(glue, "EntityNotFoundException", f"Job run {started[0]}x not found."):
        glue.get_job_run(JobName="nightly", RunId=started[0] + "x")


def test_a_page_token_survives_runs_started_between_pages(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 100}))
    started = [glue.start_job_run(JobName="nightly")["JobRunId"] for _ in range(6)]
    first = glue.get_job_runs(JobName="nightly", MaxResults=4)
    glue.start_job_run(JobName="nightly")
    rest = glue.get_job_runs(JobName="nightly", MaxResults=4, NextToken=first["NextToken"])
    assert [run["Id"] for run in first["JobRuns"] + rest["JobRuns"]] == started[::-1]
    assert "NextToken" not in rest


def test_retries_count_against_the_limit_and_are_found(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params(MaxRetries=1))
    first = glue.start_job_run(JobName="nightly")["JobRunId"]
    glue_jobs.finish_run(first, "FAILED")
    retry = f"{first}_attempt_1"
    assert glue.get_job_run(JobName="nightly", RunId=retry)["JobRun"]["PreviousRunId"] == first
    with glue_error(glue, "ConcurrentRunsExceededException"):
        glue.start_job_run(JobName="nightly")
    glue_jobs.finish_run(retry)
    glue.start_job_run(JobName="nightly")


def test_a_deleted_job_takes_its_runs_along(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params())
    old = glue.start_job_run(JobName="nightly")["JobRunId"]
    glue.delete_job(JobName="nightly")
    glue.create_job(**job_params())
    with glue_error(glue, "EntityNotFoundException", f"Job run {old} not found."):
        glue.get_job_run(JobName="nightly", RunId=old)
    stopped = glue.batch_stop_job_run(JobName="nightly", JobRunIds=[old])
    assert [error["JobRunId"] for error in stopped["Errors"]] == [old]
    glue.start_job_run(JobName="nightly")  # the old run no longer counts against the limit


def test_loaded_runs_are_found_counted_and_stopped(glue_jobs: GlueJobsFake, glue: Any) -> None:
    glue.create_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 2}))
    done = glue.start_job_run(JobName="nightly")["JobRunId"]
    glue_jobs.finish_run(done)
    going = glue.start_job_run(JobName="nightly")["JobRunId"]
    saved = glue_jobs.snapshot(timestamps=True)
    glue_jobs.reset()
    glue.create_job(**job_params("other"))
    glue.start_job_run(JobName="other")
    glue_jobs.load(saved)
    assert all_runs(glue, 1) == [going, done]
    assert glue.get_job_run(JobName="nightly", RunId=done)["JobRun"]["JobRunState"] == "SUCCEEDED"
    second = glue.start_job_run(JobName="nightly")["JobRunId"]
    with glue_error(glue, "ConcurrentRunsExceededException"):
        glue.start_job_run(JobName="nightly")  # the loaded run still going counts
    stopped = glue.batch_stop_job_run(JobName="nightly", JobRunIds=[going])
    assert stopped["SuccessfulSubmissions"] == [{"JobName": "nightly", "JobRunId": going}]
    assert all_runs(glue, 2) == [second, going, done]


def test_runs_started_after_a_load_are_indexed_once_each(glue: Any) -> None:
    # The loaded runs' ids are the ones a new fake draws first, so each start here draws again.
    with mock_glue_jobs() as first:
        first.add_job(**job_params(ExecutionProperty={"MaxConcurrentRuns": 10}))
        loaded = [glue.start_job_run(JobName="nightly")["JobRunId"] for _ in range(3)]
        saved = first.snapshot(timestamps=True)
    with mock_glue_jobs() as second:
        second.load(saved)
        # Up to the limit: the 3 loaded runs and 7 started ones, none ended (nothing read yet).
        started = [glue.start_job_run(JobName="nightly")["JobRunId"] for _ in range(7)]
        with glue_error(glue, "ConcurrentRunsExceededException"):
            glue.start_job_run(JobName="nightly")
        assert not set(started) & set(loaded)
        assert all_runs(glue, 3) == started[::-1] + loaded[::-1]
        for run_id in started + loaded:
            assert glue.get_job_run(JobName="nightly", RunId=run_id)["JobRun"]["Id"] == run_id
