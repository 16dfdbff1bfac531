"""Triggers in snapshot() and load(): the data, its round trip, refusals, and firing after load().

A trigger in a snapshot is shaped as GetTrigger's Trigger
(https://docs.aws.amazon.com/glue/latest/webapi/API_Trigger.html) plus its tags, under the
snapshot's "Triggers" key; load() checks it as CreateTrigger checks a request
(https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTrigger.html).
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from helpers import job_params

from pytest_gluejobs import GlueJobsFake, mock_glue_jobs

HERE = "123456789012/us-east-1"
FAR = "210987654321/eu-west-1"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
ENDED = ("SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR")


def finish(glue: Any, job: str, run_id: str) -> str:
    """Poll GetJobRun until the run ends, as a poller would; its final state."""
    for _ in range(10):
        state: str = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]["JobRunState"]
        if state in ENDED:
            return state
    raise AssertionError(f"{job} run {run_id} never ended")


def condition(job: str, state: str = "SUCCEEDED") -> dict[str, str]:
    return {"LogicalOperator": "EQUALS", "JobName": job, "State": state}


def pipeline(glue: Any) -> None:
    """Three jobs and a trigger of every type and state the fake shows, with tags."""
    for job in ("extract", "transform", "load"):
        glue.create_job(**job_params(job))
    glue.create_trigger(
        Name="after-extract",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Description="transform what was extracted",
        Predicate={"Conditions": [condition("extract")]},
        Actions=[{"JobName": "transform", "Arguments": {"--mode": "full"}, "Timeout": 30}],
        Tags={"team": "data"},
    )
    glue.create_trigger(
        Name="both-done",
        Type="CONDITIONAL",
        StartOnCreation=True,
        Predicate={"Logical": "AND", "Conditions": [condition("extract"), condition("transform")]},
        Actions=[{"JobName": "load"}],
    )
    glue.create_trigger(
        Name="nightly",
        Type="SCHEDULED",
        Schedule="cron(0 2 * * ? *)",
        StartOnCreation=True,
        Actions=[{"JobName": "extract"}],
    )
    glue.create_trigger(
        Name="paused",
        Type="SCHEDULED",
        Schedule="cron(30 * * * ? *)",
        StartOnCreation=True,
        Actions=[{"JobName": "extract"}],
    )
    glue.stop_trigger(Name="paused")
    glue.create_trigger(
        Name="by-hand", Type="ON_DEMAND", Actions=[{"JobName": "load"}, {"JobName": "extract"}]
    )


# -- snapshot() -----------------------------------------------------------------------------------


def test_snapshot_shows_each_trigger_as_get_trigger_does_with_its_tags(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    pipeline(glue)

    data = glue_jobs.snapshot()

    assert list(data) == [HERE, "Triggers"]
    assert list(data["Triggers"]) == [HERE]
    triggers = data["Triggers"][HERE]
    assert list(triggers) == ["after-extract", "both-done", "by-hand", "nightly", "paused"]
    for name, trigger in triggers.items():
        tags = trigger.pop("Tags")
        assert trigger == json.loads(json.dumps(glue.get_trigger(Name=name)["Trigger"]))
        assert tags == glue.get_tags(ResourceArn=arn(name))["Tags"]
    assert triggers["after-extract"] == {
        "Name": "after-extract",
        "Type": "CONDITIONAL",
        "State": "ACTIVATED",
        "Description": "transform what was extracted",
        "Predicate": {"Conditions": [condition("extract")]},
        "Actions": [{"JobName": "transform", "Arguments": {"--mode": "full"}, "Timeout": 30}],
    }
    assert [triggers[n]["State"] for n in ("nightly", "paused", "by-hand")] == [
        "ACTIVATED",
        "DEACTIVATED",
        "CREATED",
    ]


def arn(trigger: str) -> str:
    # Trigger ARNs: https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
    return f"arn:aws:glue:us-east-1:123456789012:trigger/{trigger}"


def test_a_fake_without_triggers_snapshots_as_it_always_did(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue.create_job(**job_params("extract"))
    glue.create_trigger(Name="gone", Type="ON_DEMAND", Actions=[{"JobName": "extract"}])
    glue.delete_trigger(Name="gone")

    assert list(glue_jobs.snapshot()) == [HERE]


def test_snapshot_first_fires_the_schedules_due_as_runs_and_triggers_do(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    clock = glue_jobs.freeze_time(T0)
    glue.create_job(**job_params("extract"))
    glue.create_trigger(
        Name="hourly",
        Type="SCHEDULED",
        Schedule="cron(0 * * * ? *)",
        StartOnCreation=True,
        Actions=[{"JobName": "extract"}],
    )
    clock.tick(timedelta(hours=1))  # no Glue request after this

    (run,) = glue_jobs.snapshot(timestamps=True)[HERE]["extract"]["Runs"]

    assert (run["TriggerName"], run["StartedOn"]) == ("hourly", "2026-03-01T13:00:00+00:00")


# -- load(): the round trip -----------------------------------------------------------------------


def made_by_a_fake() -> dict[str, Any]:
    """The pipeline in two partitions, after runs that fired triggers, with timestamps."""
    with mock_glue_jobs() as fake:
        fake.freeze_time(T0)
        glue = boto3.client("glue")
        pipeline(glue)
        pipeline(boto3.client("glue", region_name="eu-west-1"))
        glue.tag_resource(ResourceArn=arn("by-hand"), TagsToAdd={"owner": "ops"})
        finish(glue, "extract", glue.start_job_run(JobName="extract")["JobRunId"])
        (transform,) = fake.runs("transform")
        finish(glue, "transform", transform["Id"])
        assert [run["TriggerName"] for run in fake.runs("load")] == ["both-done"]
        return fake.snapshot(timestamps=True)


def test_load_gives_triggers_their_tags_and_states_back() -> None:
    state = made_by_a_fake()
    assert set(state["Triggers"]) == {HERE, "123456789012/eu-west-1"}

    with mock_glue_jobs() as fresh:
        fresh.freeze_time(T0)
        fresh.load(copy.deepcopy(state))

        assert fresh.snapshot(timestamps=True) == state
        glue = boto3.client("glue")
        assert glue.get_trigger(Name="paused")["Trigger"]["State"] == "DEACTIVATED"
        assert glue.get_tags(ResourceArn=arn("by-hand"))["Tags"] == {"owner": "ops"}
        assert glue.list_triggers(Tags={"team": "data"})["TriggerNames"] == ["after-extract"]
        assert glue.list_triggers(DependentJobName="load")["TriggerNames"] == [
            "both-done",
            "by-hand",
        ]
        assert fresh.calls[0].operation == "GetTrigger"  # seeding itself is not a call


def test_load_reads_a_trigger_without_state_or_tags_as_create_trigger_leaves_it(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue_jobs.load(
        {
            HERE: {"extract": job_params("extract")},
            "Triggers": {
                HERE: {"by-hand": {"Type": "ON_DEMAND", "Actions": [{"JobName": "extract"}]}}
            },
        }
    )

    assert glue.get_trigger(Name="by-hand")["Trigger"] == {
        "Name": "by-hand",
        "Type": "ON_DEMAND",
        "State": "CREATED",
        "Actions": [{"JobName": "extract"}],
    }
    assert glue_jobs.snapshot()["Triggers"][HERE]["by-hand"]["Tags"] == {}


def test_an_action_may_start_a_job_the_fake_already_holds(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    glue_jobs.add_job(**job_params("extract"))
    glue_jobs.load(
        {"Triggers": {HERE: {"t": {"Type": "ON_DEMAND", "Actions": [{"JobName": "extract"}]}}}}
    )

    glue.start_trigger(Name="t")

    assert [run["TriggerName"] for run in glue_jobs.runs("extract")] == ["t"]


def test_a_condition_may_watch_a_job_no_one_loaded_as_create_trigger_allows(
    glue_jobs: GlueJobsFake, glue: Any
) -> None:
    # CreateTrigger checks only that actions name jobs; load() checks no more.
    glue.create_job(**job_params("load"))
    glue.create_trigger(
        Name="made",
        Type="CONDITIONAL",
        Predicate={"Conditions": [condition("extract")]},
        Actions=[{"JobName": "load"}],
    )
    state = glue_jobs.snapshot()
    glue_jobs.reset()

    glue_jobs.load(state)

    assert glue_jobs.snapshot() == state


# -- load(): refusals -----------------------------------------------------------------------------


def _set(field: str, value: Any) -> Any:
    return lambda trigger: trigger.__setitem__(field, value)


def _drop(field: str) -> Any:
    return lambda trigger: trigger.pop(field)


def _action_job(job: str) -> Any:
    return lambda trigger: trigger["Actions"][0].__setitem__("JobName", job)


REFUSED = [
    pytest.param(
        "nightly",
        _action_job("extrakt"),
        "field Actions[0].JobName is 'extrakt', a job neither loaded with the trigger nor in the "
        "fake, so Glue would refuse this trigger (EntityNotFoundException)",
        id="missing-job",
    ),
    pytest.param(
        "nightly",
        _set("State", "ACTIVATING"),
        "field State is 'ACTIVATING'; a trigger of the fake is CREATED, ACTIVATED, DEACTIVATED",
        id="passing-state",
    ),
    pytest.param("nightly", _set("State", 1), "field State is 1", id="state-not-a-string"),
    pytest.param(
        "by-hand",
        _set("State", "ACTIVATED"),
        "an ON_DEMAND trigger is never activated: it fires on each StartTrigger",
        id="activated-on-demand",
    ),
    pytest.param(
        "nightly", _set("Colour", "red"), "field Colour is not a Trigger field", id="unknown"
    ),
    pytest.param(
        "nightly", _set("StartOnCreation", True), "field StartOnCreation is not", id="request-only"
    ),
    pytest.param("nightly", _set("Id", "t-1"), "field Id is set", id="id"),
    pytest.param(
        "nightly",
        _set("Type", "SOMETIMES"),
        "Glue would refuse this trigger (InvalidInputException: 1 validation error detected: "
        "Value 'SOMETIMES' at 'type' failed to satisfy constraint",
        id="type",
    ),
    pytest.param(
        "nightly", _drop("Schedule"), "A SCHEDULED trigger needs a Schedule", id="no-schedule"
    ),
    pytest.param(
        "by-hand",
        _set("Schedule", "cron(0 2 * * ? *)"),
        "An ON_DEMAND trigger takes no Schedule",
        id="on-demand-schedule",
    ),
    pytest.param(
        "nightly",
        _set("Schedule", "rate(1 hour)"),
        "Glue schedules take cron expressions, not rate expressions",
        id="rate",
    ),
    pytest.param(
        "both-done",
        _drop("Predicate"),
        "A CONDITIONAL trigger needs a Predicate",
        id="no-predicate",
    ),
    pytest.param(
        "both-done",
        lambda t: t["Predicate"].pop("Logical"),
        "Predicate.Logical is required when a predicate has more than one condition",
        id="no-logical",
    ),
    pytest.param(
        "after-extract",
        _action_job("extract"),
        # Glue's text, quoted in https://github.com/hashicorp/terraform-provider-aws/issues/39571
        "Job cannot be a Predicate and Action for Conditional Trigger.",
        id="watches-what-it-starts",
    ),
    pytest.param(
        "nightly",
        _drop("Actions"),
        "Value null at 'actions' failed to satisfy constraint: Member must not be null",
        id="no-actions",
    ),
    pytest.param(
        "nightly",
        _set("WorkflowName", "flow"),
        "WorkflowName names a workflow, which the fake has not",
        id="workflow",
    ),
    pytest.param(
        "nightly",
        _set("Tags", {"aws:team": "x"}),
        "Tag key 'aws:team' uses the reserved prefix 'aws:'",
        id="aws-tag",
    ),
    pytest.param(
        "nightly",
        _set("Description", None),
        "Description is None but Glue shows <absent> for this definition",
        id="null-member",
    ),
    pytest.param("nightly", _set("Name", "daily"), "the trigger's Name 'daily' differs", id="name"),
]


@pytest.mark.parametrize(("trigger", "change", "problem"), REFUSED)
def test_a_trigger_glue_would_refuse_is_refused_naming_it_and_nothing_loads(
    trigger: str, change: Any, problem: str
) -> None:
    state = made_by_a_fake()
    change(state["Triggers"][HERE][trigger])
    with mock_glue_jobs() as fake:
        with pytest.raises(ValueError) as caught:
            fake.load(state)

        message = str(caught.value)
        assert message.startswith(f"load(): snapshot data at 'Triggers > {HERE} > {trigger}': ")
        assert problem in message
        assert fake.snapshot() == {}  # not the jobs, not the other partition's triggers


@pytest.mark.parametrize(
    ("triggers", "where", "problem"),
    [
        (["t"], "'Triggers'", "expected a dict of partitions, each of triggers by name"),
        ({"us-east-1": {}}, "'Triggers > us-east-1'", "a partition key must be"),
        ({HERE: ["t"]}, f"'Triggers > {HERE}'", "expected a dict of triggers by name"),
        (
            {HERE: {"t": "ON_DEMAND"}},
            f"'Triggers > {HERE} > t'",
            "expected the trigger's fields as a dict, got str",
        ),
    ],
)
def test_triggers_that_are_not_snapshot_shaped_are_refused(
    triggers: Any, where: str, problem: str
) -> None:
    with mock_glue_jobs() as fake:
        with pytest.raises(ValueError) as caught:
            fake.load({HERE: {"extract": job_params("extract")}, "Triggers": triggers})

        assert f"at {where}: {problem}" in str(caught.value)
        assert fake.snapshot() == {}


def test_load_refuses_to_replace_a_trigger_and_loads_nothing(glue_jobs: GlueJobsFake) -> None:
    glue_jobs.add_job(**job_params("extract"))
    by_hand = {"Type": "ON_DEMAND", "Actions": [{"JobName": "extract"}]}
    glue_jobs.load({"Triggers": {HERE: {"by-hand": by_hand}}})
    before = glue_jobs.snapshot()

    with pytest.raises(ValueError) as caught:
        glue_jobs.load(
            {HERE: {"load": job_params("load")}, "Triggers": {HERE: {"by-hand": by_hand}}}
        )

    assert (
        f"at 'Triggers > {HERE}': trigger(s) 'by-hand' already exist; load() adds triggers to "
        "the fake's state, so call reset() first"
    ) in str(caught.value)
    assert glue_jobs.snapshot() == before  # the job 'load' was not added either


# -- firing after load() --------------------------------------------------------------------------


def test_a_loaded_conditional_trigger_fires_on_a_run_after_load() -> None:
    state = made_by_a_fake()
    with mock_glue_jobs() as fake:
        fake.load(state)
        glue = boto3.client("glue")

        extract = glue.start_job_run(JobName="extract")["JobRunId"]
        assert finish(glue, "extract", extract) == "SUCCEEDED"

        transform = fake.runs("transform")[0]
        assert transform["TriggerName"] == "after-extract"
        assert transform["PredecessorRuns"] == [{"JobName": "extract", "RunId": extract}]
        assert transform["Arguments"] == {"--mode": "full"}


def after_extract(fake: GlueJobsFake) -> dict[str, Any]:
    """A snapshot taken after a run of extract succeeded and before its transform ended."""
    glue = boto3.client("glue")
    pipeline(glue)
    finish(glue, "extract", glue.start_job_run(JobName="extract")["JobRunId"])
    return fake.snapshot(timestamps=True)


def fired_after(fake: GlueJobsFake, glue: Any) -> list[list[str | None]]:
    """Finish the waiting transform run, then run transform twice more; what started load."""
    fired = []
    for number in range(3):
        run_id = fake.runs("transform")[0]["Id"] if number == 0 else None
        run_id = run_id or glue.start_job_run(JobName="transform")["JobRunId"]
        finish(glue, "transform", run_id)
        fired.append([run.get("TriggerName") for run in fake.runs("load")])
    return fired


def test_after_load_the_same_events_fire_the_same_triggers() -> None:
    # both-done (extract AND transform) fires once for the pair of runs, and never again for
    # the same extract run; the loaded trigger must count the loaded extract run the same way.
    with mock_glue_jobs() as original:
        state = after_extract(original)
        expected = fired_after(original, boto3.client("glue"))
    assert expected == [["both-done"], ["both-done"], ["both-done"]]

    with mock_glue_jobs() as fake:
        fake.load(state)
        assert fired_after(fake, boto3.client("glue")) == expected


def test_a_run_used_by_a_firing_before_the_snapshot_is_not_used_again_after_load() -> None:
    state = made_by_a_fake()  # both-done fired for the extract and transform runs
    with mock_glue_jobs() as fake:
        fake.load(state)
        glue = boto3.client("glue")

        finish(glue, "transform", glue.start_job_run(JobName="transform")["JobRunId"])

        assert len(fake.runs("load")) == 1  # the loaded extract run was used already


def test_a_run_that_ended_before_load_does_not_count_for_a_loaded_trigger() -> None:
    with mock_glue_jobs() as fake:
        glue = boto3.client("glue")
        for job in ("extract", "transform", "load"):
            glue.create_job(**job_params(job))
        finish(glue, "extract", glue.start_job_run(JobName="extract")["JobRunId"])
        fake.load(
            {
                "Triggers": {
                    HERE: {
                        "both-done": {
                            "Type": "CONDITIONAL",
                            "State": "ACTIVATED",
                            "Predicate": {
                                "Logical": "AND",
                                "Conditions": [condition("extract"), condition("transform")],
                            },
                            "Actions": [{"JobName": "load"}],
                        }
                    }
                }
            }
        )

        finish(glue, "transform", glue.start_job_run(JobName="transform")["JobRunId"])

        assert fake.runs("load") == []  # as if created then: the extract run ended before


def test_a_loaded_deactivated_or_created_conditional_trigger_does_not_fire() -> None:
    state = made_by_a_fake()
    for name, trigger_state in (("after-extract", "DEACTIVATED"), ("both-done", "CREATED")):
        state["Triggers"][HERE][name]["State"] = trigger_state
    with mock_glue_jobs() as fake:
        fake.load(state)
        glue = boto3.client("glue")

        for job in ("extract", "transform"):
            finish(glue, job, glue.start_job_run(JobName=job)["JobRunId"])

        assert len(fake.runs("transform")) == 2  # the loaded run and the one started here
        assert len(fake.runs("load")) == 1  # the loaded run only


def test_a_loaded_scheduled_trigger_fires_from_the_load_on_without_a_backlog() -> None:
    # Glue fires a schedule from its activation on; times missed before it existed never fire.
    state = made_by_a_fake()  # nightly: cron(0 2 * * ? *) and paused: cron(30 * * * ? *)
    with mock_glue_jobs() as fake:
        clock = fake.freeze_time(datetime(2026, 3, 11, 1, 0, tzinfo=timezone.utc))
        fake.load(state)
        assert len(fake.runs("extract")) == 1  # ten missed nights are not fired

        clock.tick(timedelta(hours=1))  # 02:00; the deactivated trigger's 01:30 passed too

        fired = [run for run in fake.runs("extract") if "TriggerName" in run]
        assert [(run["TriggerName"], run["StartedOn"]) for run in fired] == [
            ("nightly", datetime(2026, 3, 11, 2, 0, tzinfo=timezone.utc))
        ]


def test_a_trigger_change_is_named_in_a_snapshot_mismatch(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        """
        import os

        import boto3

        def test_it(glue_jobs):
            glue = boto3.client("glue")
            glue.create_job(Name="load", Role="R", Command={"Name": "glueetl", "ScriptLocation": "s3://b/l.py"})
            glue.create_trigger(
                Name="nightly", Type="SCHEDULED", Schedule=os.environ["SCHEDULE"],
                Actions=[{"JobName": "load"}],
            )
            glue_jobs.assert_snapshot()
        """
    )
    quiet = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    monkeypatch.setenv("SCHEDULE", "cron(0 2 * * ? *)")
    pytester.runpytest(*quiet, "--glue-snapshot-update").assert_outcomes(passed=1)
    monkeypatch.setenv("SCHEDULE", "cron(0 3 * * ? *)")

    result = pytester.runpytest(*quiet)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*  trigger 'nightly' in {HERE}: Schedule: 'cron(0 2 * * ? *)' -> 'cron(0 3 * * ? *)'",
        ]
    )
