"""What a run shows that Glue derives from its job: its log group, DPU-seconds, launch failures."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any


def bills_dpu_seconds(data: Mapping[str, Any], job: Mapping[str, Any]) -> bool:
    """Whether the run reports DPUSeconds: FLEX and auto-scaling runs do."""
    if data.get("ExecutionClass") == "FLEX":
        return True
    arguments = {**job.get("DefaultArguments", {}), **data.get("Arguments", {})}
    return str(arguments.get("--enable-auto-scaling", "")).lower() == "true"


def executor_failure(data: Mapping[str, Any]) -> str:
    """The ErrorMessage of a run that Glue's executor refuses at launch."""
    # aws-samples/cql-replicator #160 (REC): a G.025X run of a glueetl job fails at launch.
    request = hashlib.sha256(str(data["Id"]).encode()).hexdigest()
    request_id = f"{request[:8]}-{request[8:12]}-{request[12:16]}-{request[16:20]}-{request[20:32]}"
    return (
        f"JobName:{data['JobName']} and JobRunId:{data['Id']} failed to execute with exception "
        f"Given GlueVersion [{data.get('GlueVersion')}] is not valid. (Service: "
        f"AWSGlueJobExecutor; Status Code: 400; Error Code: InvalidInputException; Request ID: "
        f"{request_id}; Proxy: null)"
    )


def log_group(job: Mapping[str, Any], params: Mapping[str, Any], kind: str) -> str:
    """The run's LogGroupName."""
    # Recorded log groups (docs/fidelity.md).
    security = params.get("SecurityConfiguration", job.get("SecurityConfiguration"))
    if security:
        role = str(job.get("Role", "")).rsplit("/", 1)[-1]
        return f"/aws-glue/jobs/{security}-role/{role}"
    return "/aws-glue/python-jobs" if kind == "pythonshell" else "/aws-glue/jobs"
