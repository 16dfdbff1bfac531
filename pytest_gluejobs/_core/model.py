"""botocore's Glue service model, loaded once: shapes for validation, declared errors per operation.

Only botocore's data loader is used here, never its transport, so the service core can depend on it.
"""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.model import OperationModel, ServiceModel

#: The seven job-definition operations.
JOB_OPERATIONS: tuple[str, ...] = (
    "CreateJob",
    "UpdateJob",
    "GetJob",
    "GetJobs",
    "DeleteJob",
    "ListJobs",
    "BatchGetJobs",
)
#: Job runs, tags on job ARNs, and job bookmarks
#: (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-runs.html,
#: https://docs.aws.amazon.com/glue/latest/webapi/API_TagResource.html).
RUN_AND_TAG_OPERATIONS: tuple[str, ...] = (
    "StartJobRun",
    "GetJobRun",
    "GetJobRuns",
    "BatchStopJobRun",
    "TagResource",
    "UntagResource",
    "GetTags",
    "GetJobBookmark",
    "ResetJobBookmark",
)
#: Triggers (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-trigger.html).
TRIGGER_OPERATIONS: tuple[str, ...] = (
    "CreateTrigger",
    "UpdateTrigger",
    "GetTrigger",
    "GetTriggers",
    "BatchGetTriggers",
    "ListTriggers",
    "DeleteTrigger",
    "StartTrigger",
    "StopTrigger",
)
#: Every operation the fake implements.
OPERATIONS: tuple[str, ...] = JOB_OPERATIONS + RUN_AND_TAG_OPERATIONS + TRIGGER_OPERATIONS


@cache
def service_model() -> ServiceModel:
    """The Glue service model of the installed botocore."""
    return botocore.session.get_session().get_service_model("glue")


@cache
def operation_model(operation: str) -> OperationModel:
    return service_model().operation_model(operation)


@cache
def declared_errors(operation: str) -> tuple[str, ...]:
    """The error codes the model declares for ``operation``, in model order."""
    return tuple(shape.name for shape in operation_model(operation).error_shapes)


@cache
def glue_operation_names() -> frozenset[str]:
    """Every operation Glue has, so an unknown target can be told from an unsupported one."""
    return frozenset(service_model().operation_names)
