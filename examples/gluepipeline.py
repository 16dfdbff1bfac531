"""gluepipeline: deploy a nightly extract → transform → load pipeline of Glue jobs and triggers.

``deploy_pipeline`` creates four jobs and the triggers that chain them: a SCHEDULED trigger starts
``<name>-extract`` every night at 02:00 UTC, CONDITIONAL triggers start ``<name>-transform`` when
extract succeeds and ``<name>-load`` when transform succeeds, and a CONDITIONAL trigger watching
extract for FAILED starts ``<name>-cleanup``, which removes the half-written staging files. No
orchestrator runs anything: Glue's triggers do. ``follow`` is what an on-call engineer's script
does with one pipeline run: it polls the run and the runs the triggers started after it, down the
chain, and reports how each ended.

Three Glue facts shape the code: a CONDITIONAL trigger's condition names a job and one final state,
with ``LogicalOperator`` ``EQUALS`` (Glue refuses a condition without it); a trigger is created
inactive unless ``StartOnCreation`` is set; and a run a trigger started names it in
``TriggerName`` and names the runs that satisfied the predicate in ``PredecessorRuns``, which is how
``follow`` finds the next run of the chain.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from botocore.client import BaseClient

#: Glue's schedules are cron expressions in UTC: 02:00 every day.
NIGHTLY = "cron(0 2 * * ? *)"
FINAL_STATES = ("SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR", "EXPIRED")
#: The chain: after a run of the first job ends in the state, a run of the second is started.
CHAIN = {
    ("extract", "SUCCEEDED"): "transform",
    ("transform", "SUCCEEDED"): "load",
    ("extract", "FAILED"): "cleanup",
}


def deploy_pipeline(
    glue: BaseClient,
    name: str,
    *,
    role: str,
    scripts: str,
    staging: str,
    schedule: str = NIGHTLY,
) -> list[str]:
    """Create the pipeline's jobs and triggers, all triggers active; the trigger names."""
    for step in ("extract", "transform", "load", "cleanup"):
        glue.create_job(
            Name=f"{name}-{step}",
            Role=role,
            Command={"Name": "glueetl", "ScriptLocation": f"{scripts}/{name}_{step}.py"},
            GlueVersion="5.0",
            WorkerType="G.1X",
            NumberOfWorkers=2,
            DefaultArguments={"--staging": staging},
            Timeout=120,
            Tags={"pipeline": name},
        )
    triggers = [f"{name}-nightly"]
    glue.create_trigger(
        Name=f"{name}-nightly",
        Type="SCHEDULED",
        Schedule=schedule,
        Actions=[{"JobName": f"{name}-extract", "Arguments": {"--mode": "incremental"}}],
        StartOnCreation=True,
        Tags={"pipeline": name},
    )
    for (watched, state), started in CHAIN.items():
        trigger = f"{name}-{started}-after-{watched}"
        action: dict[str, Any] = {"JobName": f"{name}-{started}"}
        if started == "cleanup":
            action["Arguments"] = {"--failed-job": f"{name}-{watched}"}
        glue.create_trigger(
            Name=trigger,
            Type="CONDITIONAL",
            Predicate={
                "Conditions": [
                    {"LogicalOperator": "EQUALS", "JobName": f"{name}-{watched}", "State": state}
                ]
            },
            Actions=[action],
            StartOnCreation=True,
            Tags={"pipeline": name},
        )
        triggers.append(trigger)
    return triggers


def follow(
    glue: BaseClient,
    name: str,
    extract_run_id: str,
    *,
    poll_seconds: float = 60,
    max_polls: int = 600,
    sleep: Callable[[float], object] | None = None,
) -> dict[str, dict[str, Any]]:
    """Wait for a pipeline run to end, down the chain; each step's final run by step name.

    ``sleep`` defaults to ``time.sleep`` looked up at each call, not bound when this module is
    imported, so whatever replaces ``time.sleep`` later (a test's virtual time) is the one used.
    """
    ended: dict[str, dict[str, Any]] = {}
    step, run_id = "extract", extract_run_id
    for _ in range(max_polls):
        run: dict[str, Any] = glue.get_job_run(JobName=f"{name}-{step}", RunId=run_id)["JobRun"]
        if run["JobRunState"] not in FINAL_STATES:
            (sleep or time.sleep)(poll_seconds)
            continue
        ended[step] = run
        following = CHAIN.get((step, run["JobRunState"]))
        if following is None:
            return ended
        successor = _started_after(glue, f"{name}-{following}", run)
        if successor is None:  # the trigger started nothing (deactivated, or the job was busy)
            return ended
        step, run_id = following, successor
    raise TimeoutError(f"pipeline {name} run {extract_run_id} did not end in {max_polls} polls")


def _started_after(glue: BaseClient, job: str, predecessor: dict[str, Any]) -> str | None:
    """The id of the run of ``job`` a trigger started because ``predecessor`` ended."""
    wanted = {"JobName": predecessor["JobName"], "RunId": predecessor["Id"]}
    for page in glue.get_paginator("get_job_runs").paginate(JobName=job):
        for run in page["JobRuns"]:
            if wanted in run.get("PredecessorRuns", []):
                return str(run["Id"])
    return None
