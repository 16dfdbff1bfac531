"""Invariants of the seven operations, checked by hypothesis against a tiny reference model.

A rule-based state machine drives a real botocore client through random sequences of CreateJob,
UpdateJob, GetJob, GetJobs, DeleteJob, ListJobs and BatchGetJobs on a small pool of names (so
collisions happen), and keeps its own model: name -> (what was sent, tags). After every step the
fake's state must equal the model. The rules pin:

- pagination (GetJobs, ListJobs with random MaxResults and tag filters) with creates and deletes
  between pages: no name is ever returned twice, every job that matched the listing for its whole
  duration is returned exactly once, and nothing is returned that never matched during it;
- BatchGetJobs: Jobs and JobsNotFound are disjoint and together are exactly the names asked for;
- nothing handed out aliases the store: boto3 responses, ``jobs``, ``jobs_in()``, ``job()``,
  ``tags()``, ``add_job()``'s return, ``Call.params`` and ``Call.response`` are vandalized in
  place, and the store (read back through the fake and through GetJob) must not notice; and what
  a caller passed in (``add_job`` keywords, a client's params) is not kept by reference either.

Tag filters use one tag, and jobs carry at most that one key, so a filter's meaning does not depend
on how Glue treats extra tags (it does not document it).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

NAMES = st.sampled_from(["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"])
TAGS = st.sampled_from([{}, {"team": "x"}, {"team": "y"}])
TAG_FILTERS = st.sampled_from([{"team": "x"}, {"team": "y"}])
DESCRIPTIONS = st.text(st.characters(min_codepoint=0x20, exclude_categories=("Cs",)), max_size=12)

_client: Any = None


def _glue_client(fake: GlueJobsFake) -> Any:
    # Clients are what costs; the patch answers every Glue endpoint, so one serves every example.
    global _client
    if _client is None:
        _client = fake.client()
    return _client


def vandalize(value: Any) -> None:
    """Change every container reachable from ``value`` in place."""
    if isinstance(value, dict):
        for key, item in list(value.items()):
            if isinstance(item, dict | list):
                vandalize(item)
            else:
                value[key] = "vandalized"
        value["Vandal"] = "was here"
    elif isinstance(value, list):
        for item in value:
            vandalize(item)
        value.append("vandal")


class GlueJobsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.mock = mock_glue_jobs()
        self.fake = self.mock.__enter__()
        self.client = _glue_client(self.fake)
        #: name -> the job as first read back after each write (a deep copy): the store must
        #: keep answering exactly this until the next write.
        self.expected: dict[str, dict[str, Any]] = {}
        self.sent: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, dict[str, str]] = {}

    def teardown(self) -> None:
        self.mock.__exit__(None, None, None)

    # -- writes ---------------------------------------------------------------------------------

    def _create(self, name: str, tags: dict[str, str], description: str) -> None:
        params: dict[str, Any] = {
            "Name": name,
            "Role": "role",
            "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/k.py"},
            "Description": description,
            "DefaultArguments": {"--k": description},
        }
        if tags:
            params["Tags"] = dict(tags)  # a copy: the caller's dict is vandalized below
        if name in self.expected:
            with pytest.raises(ClientError) as caught:
                self.client.create_job(**params)
            assert caught.value.response["Error"]["Code"] == "AlreadyExistsException"
            return
        assert self.client.create_job(**params)["Name"] == name
        # Recorded as sent: the fake fills defaults into its job, never into the request.
        assert self.fake.calls[-1].params == params
        vandalize(params)  # what the caller passed is not kept by reference
        self._written(name, {"Description": description, "DefaultArguments": {"--k": description}})
        self.tags[name] = dict(tags)

    def _delete(self, name: str) -> None:
        assert self.client.delete_job(JobName=name)["JobName"] == name
        self.expected.pop(name, None)
        self.sent.pop(name, None)
        self.tags.pop(name, None)

    def _written(self, name: str, sent: dict[str, Any]) -> None:
        job = self.fake.job(name)
        assert job is not None
        for key, value in sent.items():
            assert job[key] == value
        self.expected[name] = copy.deepcopy(job)
        self.sent[name] = sent

    @rule(name=NAMES, tags=TAGS, description=DESCRIPTIONS)
    def create(self, name: str, tags: dict[str, str], description: str) -> None:
        self._create(name, tags, description)

    @rule(name=NAMES, description=DESCRIPTIONS)
    def update(self, name: str, description: str) -> None:
        update = {
            "Role": "role2",
            "Command": {"Name": "pythonshell", "ScriptLocation": "s3://b/p.py"},
            "Description": description,
        }
        if name not in self.expected:
            with pytest.raises(ClientError) as caught:
                self.client.update_job(JobName=name, JobUpdate=update)
            assert caught.value.response["Error"]["Code"] == "EntityNotFoundException"
            return
        assert self.client.update_job(JobName=name, JobUpdate=update)["JobName"] == name
        assert self.fake.calls[-1].params == {"JobName": name, "JobUpdate": update}
        vandalize(update)
        # UpdateJob replaces the definition: DefaultArguments is gone; tags stay.
        self._written(name, {"Description": description, "Role": "role2"})
        assert "DefaultArguments" not in self.expected[name]

    @rule(name=NAMES)
    def delete(self, name: str) -> None:
        self._delete(name)

    @rule(name=NAMES, tags=TAGS, description=DESCRIPTIONS)
    def seed_with_add_job(self, name: str, tags: dict[str, str], description: str) -> None:
        if name in self.expected:
            return
        params: dict[str, Any] = {
            "Name": name,
            "Role": "role",
            "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
            "Description": description,
            "Tags": dict(tags),
        }
        returned = self.fake.add_job(**params)
        vandalize(params)
        vandalize(returned)
        self._written(name, {"Description": description})
        self.tags[name] = dict(tags)

    # -- reads ----------------------------------------------------------------------------------

    @rule(name=NAMES)
    def get(self, name: str) -> None:
        if name not in self.expected:
            with pytest.raises(ClientError) as caught:
                self.client.get_job(JobName=name)
            assert caught.value.response["Error"]["Code"] == "EntityNotFoundException"
            return
        job = self.client.get_job(JobName=name)["Job"]
        assert job == self.expected[name]
        vandalize(job)

    @rule(names=st.lists(NAMES, min_size=1, max_size=6))
    def batch_get(self, names: list[str]) -> None:
        response = self.client.batch_get_jobs(JobNames=names)
        found = [job["Name"] for job in response["Jobs"]]
        missing = response["JobsNotFound"]
        assert set(found) | set(missing) == set(names)
        assert not set(found) & set(missing)
        assert set(found) == set(names) & set(self.expected)
        for job in response["Jobs"]:
            assert job == self.expected[job["Name"]]
        vandalize(response)

    @rule(
        data=st.data(),
        operation=st.sampled_from(["GetJobs", "ListJobs"]),
        max_results=st.none() | st.integers(1, 4),
        tags=st.none() | TAG_FILTERS,
    )
    def paginate(
        self,
        data: st.DataObject,
        operation: str,
        max_results: int | None,
        tags: dict[str, str] | None,
    ) -> None:
        if operation == "GetJobs":
            tags = None  # GetJobs has no filter

        def matching() -> set[str]:
            return {n for n in self.expected if tags is None or self.tags[n] == tags}

        throughout = matching()
        ever = set(throughout)
        returned: list[str] = []
        params: dict[str, Any] = {}
        if max_results is not None:
            params["MaxResults"] = max_results
        if tags is not None:
            params["Tags"] = tags
        while True:
            if operation == "GetJobs":
                page = self.client.get_jobs(**params)
                names = [job["Name"] for job in page["Jobs"]]
                for job in page["Jobs"]:  # whole jobs, as they are now: never torn
                    assert job == self.expected[job["Name"]]
            else:
                page = self.client.list_jobs(**params)
                names = page["JobNames"]
            assert len(names) <= (max_results or 1000)
            assert set(names) <= matching()
            returned += names
            if "NextToken" not in page:
                break
            params["NextToken"] = page["NextToken"]
            for _ in range(data.draw(st.integers(0, 2), label="writes between pages")):
                name = data.draw(NAMES, label="name")
                if data.draw(st.booleans(), label="create?"):
                    self._create(name, data.draw(TAGS, label="tags"), "between pages")
                else:
                    self._delete(name)
                now = matching()
                throughout &= now
                ever |= now
        assert len(returned) == len(set(returned)), f"returned twice: {returned}"
        assert throughout <= set(returned), f"missed {throughout - set(returned)}"
        assert set(returned) <= ever

    @precondition(lambda self: bool(self.expected))
    @rule()
    def vandalize_everything_handed_out(self) -> None:
        name = sorted(self.expected)[0]
        handed_out: list[Any] = [
            self.client.get_job(JobName=name),
            self.client.get_jobs(),
            self.client.batch_get_jobs(JobNames=[name]),
            self.client.list_jobs(),
            self.fake.jobs,
            self.fake.jobs_in(),
            self.fake.job(name),
            self.fake.tags(name),
        ]
        calls = self.fake.calls
        handed_out += [call.params for call in calls]
        handed_out += [call.response for call in calls if call.response is not None]
        for value in handed_out:
            vandalize(value)

    # -- the model and the fake agree, after every step ------------------------------------------

    @invariant()
    def store_matches_model(self) -> None:
        assert sorted(self.fake.jobs) == sorted(self.expected)
        for name, expected in self.expected.items():
            assert self.fake.job(name) == expected
            assert self.fake.tags(name) == self.tags[name]

    @invariant()
    def getjob_matches_model(self) -> None:
        # Through the wire too: the fake may answer GetJob from a cached encoding.
        for name, expected in self.expected.items():
            assert self.client.get_job(JobName=name)["Job"] == expected


def test_glue_jobs_state_machine() -> None:
    run_state_machine_as_test(
        GlueJobsMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_a_request_is_recorded_as_sent_not_as_later_changed(glue_jobs: GlueJobsFake) -> None:
    client = glue_jobs.client()
    params: dict[str, Any] = {
        "Name": "n",
        "Role": "r",
        "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
    }
    client.create_job(**params)
    params["Command"]["Name"] = "changed"
    call = glue_jobs.calls[-1]
    assert call.params["Command"] == {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
    assert glue_jobs.job("n")["Command"]["Name"] == "glueetl"  # type: ignore[index]
