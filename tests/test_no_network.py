"""No Glue request ever opens a socket: every connect fails, and all seven operations still work."""

from __future__ import annotations

import socket
from typing import Any

import boto3
import botocore.config
import pytest
from botocore.exceptions import EndpointConnectionError
from conftest import command, glue_error, job_params


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to connect a socket, each refused; the list of attempts."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("pytest-gluejobs test: the network is blocked")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_the_seven_operations_open_no_socket(glue_jobs: Any, connects: list[object]) -> None:
    glue = boto3.client("glue")
    glue.create_job(**job_params("a", Tags={"team": "data"}))
    glue.create_job(**job_params("b"))
    glue.update_job(JobName="a", JobUpdate={"Role": "R", "Command": command()})
    assert glue.get_job(JobName="a")["Job"]["Role"] == "R"
    assert len(glue.get_jobs(MaxResults=1)["Jobs"]) == 1
    assert (
        glue.get_paginator("get_jobs")
        .paginate(PaginationConfig={"PageSize": 1})
        .build_full_result()["Jobs"]
    )
    assert glue.list_jobs(Tags={"team": "data"})["JobNames"] == ["a"]
    assert glue.batch_get_jobs(JobNames=["a", "x"])["JobsNotFound"] == ["x"]
    glue.delete_job(JobName="b")
    glue.delete_job(JobName="b")
    # errors too: they are answered in-process as well
    with glue_error(glue, "EntityNotFoundException"):
        glue.get_job(JobName="b")
    with glue_error(glue, "AlreadyExistsException"):
        glue.create_job(**job_params("a"))
    with glue_error(glue, "InvalidInputException"):
        glue.list_jobs(NextToken="garbage")

    assert connects == []
    assert [call.operation for call in glue_jobs.calls][:8] == [
        "CreateJob",
        "CreateJob",
        "UpdateJob",
        "GetJob",
        "GetJobs",
        "GetJobs",
        "GetJobs",
        "ListJobs",
    ]


def test_the_block_is_real(glue_jobs: Any, connects: list[object]) -> None:
    # Without this, the test above could pass because nothing ever tried to connect at all.
    sts = boto3.client(
        "sts",
        endpoint_url="http://127.0.0.1:9",
        config=botocore.config.Config(retries={"max_attempts": 0}),
    )
    with pytest.raises(EndpointConnectionError):
        sts.get_caller_identity()
    assert connects, "the blocked connect was not reached"
