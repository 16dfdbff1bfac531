"""Hostile input: whatever a botocore client can put on the wire gets a well-formed Glue answer.

Guarantee (docs/reliability.md): every request the fake sees — valid, wrong-typed at any depth,
huge, full of control or non-BMP characters or lone surrogates, empty, not JSON, not UTF-8, naming
no operation or an unknown one — is answered with HTTP 200 and a JSON object, or HTTP 400 with a
JSON body holding exactly ``__type`` (an error Glue declares for the operation, or Glue's protocol
errors SerializationException / UnknownOperationException) and a non-empty ``message`` that
botocore's own parser reads back. A Python exception from inside the fake fails these tests.
A rejected request changes nothing; an accepted CreateJob or UpdateJob is returned by GetJob with
every field sent and Glue's documented defaults for the rest.

Requests are generated from botocore's Glue service model (the shapes the fake validates against),
valid and then mutated, and sent through a real Glue client's (patched) ``Endpoint._send`` as
hand-built ``AWSRequest``s, so the body is exactly what the test chose. A few cases go through the
whole client instead (``parameter_validation=False``, body or headers replaced in ``before-send``).

Expected defaults are today's Glue (docs/fidelity.md): GlueVersion 6.0, Timeout 480 minutes for
5.0 and later (2,880 before), MaxConcurrentRuns 1, 10 DPUs for glueetl and 0.0625 for pythonshell,
MaxRetries 0, PythonVersion "2" for Spark and "3.9" for Python shell, JobMode SCRIPT,
JobRunQueuingEnabled false.

Sizing (``@examples``): 620 examples for each operation in OPERATIONS, and 800 more that are not
per operation; GLUEJOBS_FUZZ_SCALE multiplies them.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
from typing import Any

import botocore.parsers
import every_operation
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import ListShape, MapShape, Shape, StructureShape
from helpers import method, send_raw
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pytest_gluejobs import GlueJobsFake
from pytest_gluejobs._core.errors import GlueError
from pytest_gluejobs._core.model import (
    OPERATIONS,
    TRIGGER_OPERATIONS,
    declared_errors,
    operation_model,
)
from pytest_gluejobs._core.shape_checks import EXTRA_WORKER_TYPES, java_regex
from pytest_gluejobs._core.validation import validate

settings.register_profile(
    "gluejobs-hardening",
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the fake is reset at the start of every example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
_SCALE = float(os.environ.get("GLUEJOBS_FUZZ_SCALE", "1"))


def examples(count: int) -> settings:
    return settings(settings.get_profile("gluejobs-hardening"), max_examples=int(count * _SCALE))


#: Glue's protocol-level errors, which any operation may answer.
PROTOCOL_ERRORS = frozenset({"SerializationException", "UnknownOperationException"})
#: Glue operations outside the seven: the fake raises UnsupportedOperation for them, by design.
_UNSUPPORTED_TARGETS = {
    f"AWSGlue.{name}"
    for name in operation_model("GetJob").service_model.operation_names
    if name not in OPERATIONS
}

# -- talking to the fake -------------------------------------------------------------------------


@pytest.fixture
def client(glue_jobs: GlueJobsFake) -> Any:
    """A Glue client that sends whatever it is given: no client-side checks, no retries."""
    return glue_jobs.client(
        config=Config(
            parameter_validation=False, retries={"mode": "standard", "total_max_attempts": 1}
        )
    )


def send(client: Any, body: bytes | None, target: str | None) -> AWSResponse:
    """Send ``body`` to the patched transport as a raw HTTP request (no serializer, no signer)."""
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target is not None:
        headers["X-Amz-Target"] = target
    return send_raw(client, body, headers)


def send_json(client: Any, operation: str, params: Any, *, ascii_only: bool = True) -> AWSResponse:
    # "surrogatepass": a lone surrogate becomes bytes that are not UTF-8, as a buggy client's would.
    body = json.dumps(params, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    return send(client, body, f"AWSGlue.{operation}")


def _strict_constant(name: str) -> Any:
    raise AssertionError(f"the fake answered with {name}, which is not JSON")


_PARSER = botocore.parsers.create_parser("json")


def answer(response: AWSResponse, operation: str) -> tuple[int, dict[str, Any]]:
    """Check that ``response`` is a well-formed Glue answer; return its status and JSON body."""
    __tracebackhide__ = True
    raw = response.content
    body = json.loads(raw, parse_constant=_strict_constant)
    assert isinstance(body, dict), body
    if response.status_code == 200:
        return 200, body
    assert set(body) == {"__type", "message"}, body
    code, message = body["__type"], body["message"]
    # Glue's one server fault is a 500 (botocore retries it); every other error is a 400.
    expected_status = 500 if code == "InternalServiceException" else 400
    assert response.status_code == expected_status, (response.status_code, body)
    model_name = operation if operation in OPERATIONS else "GetJob"
    allowed = set(declared_errors(model_name)) | PROTOCOL_ERRORS | {"ThrottlingException"}
    assert code in allowed, f"{operation} answered {code}, which is not among {sorted(allowed)}"
    assert isinstance(message, str) and message.strip(), body
    # What botocore makes of it: the same code and message, so ClientError carries them.
    parsed = _PARSER.parse(
        {"status_code": response.status_code, "headers": response.headers, "body": raw},
        operation_model(model_name).output_shape,
    )
    assert parsed["Error"]["Code"] == code
    assert parsed["Error"]["Message"] == message
    return response.status_code, body


def state(fake: GlueJobsFake) -> dict[str, Any]:
    """Everything the fake holds: jobs, their tags and their runs, in every partition."""
    return fake.snapshot(timestamps=True)


def may_change_state(operation: str) -> bool:
    """Whether an accepted request of ``operation`` may change ``state`` (tests/every_operation.py
    says it for every operation)."""
    return operation in OPERATIONS and every_operation.changes_state(operation)


# -- values from the service model ---------------------------------------------------------------

_BASE = st.characters(
    min_codepoint=0x20, exclude_categories=("Cs",), exclude_characters="\ufffe\uffff"
)
_ANY = st.characters(exclude_categories=("Cs",))
#: The model's string patterns, as alphabets that satisfy them (Java regex semantics).
_PATTERN_ALPHABETS: dict[str, st.SearchStrategy[str]] = {
    "([\\u0009\\u000B\\u000C\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF])*": (
        _BASE | st.sampled_from("\t\x0b\x0c")
    ),
    "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*": _BASE | st.just("\t"),
    "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*": (
        _BASE | st.sampled_from("\r\n\t")
    ),
    "([^\\r\\n])*": st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"),
    "[A-Za-z0-9_-]*": st.sampled_from("AZaz09_-Kq7"),
    # Java's "." excludes every line terminator.
    ".*": st.characters(exclude_categories=("Cs",), exclude_characters="\n\r\u0085\u2028\u2029"),
}


def _string(shape: Shape) -> st.SearchStrategy[Any]:
    enum = shape.metadata.get("enum")
    if enum:
        return st.sampled_from(enum)
    low = shape.metadata.get("min", 0)
    high = shape.metadata.get("max")
    pattern = shape.metadata.get("pattern")
    if pattern is None:
        alphabet = _ANY
    elif pattern in _PATTERN_ALPHABETS:
        alphabet = _PATTERN_ALPHABETS[pattern]
    else:
        # A short anchored pattern (MaintenanceWindow, PythonVersion, ...): Python reads it alike.
        return st.from_regex(re.compile(pattern, re.ASCII), fullmatch=True).filter(
            lambda s: len(s) >= low and (high is None or len(s) <= high)
        )
    short = st.text(alphabet, min_size=low, max_size=max(low, min(high or 24, 24)))
    if high is not None and high <= 4096:
        # Exactly as long as allowed: the largest value a valid request can carry.
        return short | st.text(alphabet, min_size=high, max_size=high)
    return short


def _number(shape: Shape, bits: int | None) -> st.SearchStrategy[Any]:
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    if bits is None:
        return st.floats(low, high, allow_nan=False, allow_infinity=False, width=32)
    bound = 2 ** (bits - 1)
    return st.integers(-bound if low is None else low, bound - 1 if high is None else high)


#: Members left out of generated structures: a huge recursive visual-job graph, not the point here.
_NEVER_GENERATED = frozenset({"CodeGenConfigurationNodes"})
_strategies: dict[tuple[str, int, frozenset[str]], st.SearchStrategy[Any]] = {}


def from_shape(shape: Shape, depth: int = 0, skip: frozenset[str] = frozenset()) -> Any:
    """A strategy for values that satisfy ``shape`` (optional members only near the top)."""
    key = (shape.name, depth, skip)
    found = _strategies.get(key)
    if found is not None:
        return found
    strategy: st.SearchStrategy[Any]
    if isinstance(shape, StructureShape):
        required = set(shape.required_members)
        members = {
            name: from_shape(member, depth + 1)
            for name, member in shape.members.items()
            if name not in skip and name not in _NEVER_GENERATED and (name in required or depth < 3)
        }
        strategy = st.fixed_dictionaries(
            {k: v for k, v in members.items() if k in required},
            optional={k: v for k, v in members.items() if k not in required},
        )
    elif isinstance(shape, ListShape):
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max")
        strategy = st.lists(
            from_shape(shape.member, depth + 1), min_size=low, max_size=min(high or 3, max(low, 3))
        )
    elif isinstance(shape, MapShape):
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max")
        strategy = st.dictionaries(
            from_shape(shape.key, depth + 1),
            from_shape(shape.value, depth + 1),
            min_size=low,
            max_size=min(high or 3, max(low, 3)),
        )
    elif shape.type_name == "string":
        strategy = _string(shape)
    elif shape.type_name == "integer":
        strategy = _number(shape, 32)
    elif shape.type_name == "long":
        strategy = _number(shape, 64)
    elif shape.type_name in ("double", "float"):
        strategy = _number(shape, None)
    elif shape.type_name == "boolean":
        strategy = st.booleans()
    elif shape.type_name == "timestamp":
        strategy = st.integers(0, 2**32)
    else:
        strategy = st.just(base64.b64encode(b"blob").decode())
    _strategies[key] = strategy
    return strategy


def input_shape(operation: str) -> StructureShape:
    shape = operation_model(operation).input_shape
    assert isinstance(shape, StructureShape)
    return shape


# -- valid job definitions (today's Glue rules, docs/fidelity.md) ---------------------------------

#: Fields whose valid values depend on each other; drawn together below.
_SEMANTIC = frozenset(
    {
        "Name",
        "Tags",
        "Command",
        "MaxCapacity",
        "AllocatedCapacity",
        "WorkerType",
        "NumberOfWorkers",
        "Timeout",
        "GlueVersion",
        "ExecutionClass",
        # Rules of their own (docs/fidelity.md): streaming only, 0 or more, 1 or more, a token
        # never read back.
        "MaintenanceWindow",
        "MaxRetries",
        "ExecutionProperty",
        "SourceControlDetails",
    }
)
#: Versions a new job may name today (0.9-2.0 reached end of life on 2026-04-01).
_VERSIONS = ("3.0", "4.0", "5.0", "5.1", "6.0")


@st.composite
def job_definitions(draw: st.DrawFn) -> dict[str, Any]:
    """A CreateJob definition (no Name, no Tags) that today's Glue accepts."""
    definition: dict[str, Any] = draw(from_shape(input_shape("CreateJob"), skip=_SEMANTIC))
    command: dict[str, Any] = draw(from_shape(input_shape("CreateJob").members["Command"]))
    command.pop("Runtime", None)  # Ray only
    kind = draw(st.sampled_from(("glueetl", "pythonshell")))
    command["Name"] = kind
    if not command.get("ScriptLocation"):
        # "Script location cannot be null or empty for glueetl command" (research U.5)
        command["ScriptLocation"] = "s3://b/j.py"
    if "PythonVersion" in command:
        command["PythonVersion"] = "3"
    definition["Command"] = command
    version = draw(st.none() | st.sampled_from(_VERSIONS))
    if version is not None:
        definition["GlueVersion"] = version
    timeout = draw(st.none() | st.integers(1, 10079))  # "less than 7 days or 10080 minutes"
    if timeout is not None:
        definition["Timeout"] = timeout
    if kind == "pythonshell":
        capacity = draw(st.sampled_from((None, 0.0625, 1.0, 1)))  # "either 0.0625 or 1 DPU"
        if capacity is not None:
            definition["MaxCapacity"] = capacity
        return definition
    choice = draw(st.sampled_from(("default", "MaxCapacity", "AllocatedCapacity", "workers")))
    if choice == "MaxCapacity":
        definition["MaxCapacity"] = float(draw(st.integers(2, 100)))  # "from 2 to 100 DPUs"
    elif choice == "AllocatedCapacity":
        definition["AllocatedCapacity"] = draw(st.integers(2, 100))
    elif choice == "workers":
        worker_type = draw(st.sampled_from(("G.1X", "G.2X")))
        definition["WorkerType"] = worker_type
        # "The maximum number of workers you can define are 299 for G.1X, and 149 for G.2X."
        # ... and at least 2 (aws-samples/cql-replicator #181: "minimum ... is 2" for G.1X).
        definition["NumberOfWorkers"] = draw(st.integers(2, 299 if worker_type == "G.1X" else 149))
    if kind == "glueetl":  # FLEX: glueetl on 3.0 and later
        execution_class = draw(st.sampled_from((None, "STANDARD", "FLEX")))
        if execution_class is not None:
            definition["ExecutionClass"] = execution_class
    return definition


_job_names = from_shape(input_shape("CreateJob").members["Name"])
_tags = from_shape(input_shape("CreateJob").members["Tags"]).map(
    lambda tags: {k: v for k, v in tags.items() if not k.lower().startswith("aws:")}
)


@st.composite
def create_requests(draw: st.DrawFn) -> dict[str, Any]:
    request = {"Name": draw(_job_names), **draw(job_definitions())}
    tags = draw(st.none() | _tags)
    if tags is not None:
        request["Tags"] = tags
    return request


def valid_requests(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    if operation == "CreateJob":
        return create_requests()
    if operation == "UpdateJob":
        return st.fixed_dictionaries({"JobName": _job_names, "JobUpdate": job_definitions()})
    if operation in ("CreateTrigger", "UpdateTrigger"):
        return from_shape(input_shape(operation)).map(_inside_the_fake)  # type: ignore[no-any-return]
    return from_shape(input_shape(operation))  # type: ignore[no-any-return]


def _inside_the_fake(request: dict[str, Any]) -> dict[str, Any]:
    """A trigger request without workflows, EVENT triggers or crawlers: the fake raises
    UnsupportedOperation for those, by design (docs/triggers.md)."""
    request.pop("WorkflowName", None)
    definition = request.get("TriggerUpdate", request)
    if definition.get("Type") == "EVENT":
        definition["Type"] = "ON_DEMAND"
    for item in [
        *definition.get("Actions", []),
        *definition.get("Predicate", {}).get("Conditions", []),
    ]:
        for member in ("CrawlerName", "CrawlState"):
            item.pop(member, None)
    return request


# -- what a request that Glue accepts must leave behind ------------------------------------------

#: Fields GetJob shows although the request did not send them (Glue's defaults; docs/fidelity.md).
_FILLED = frozenset(
    {
        "Name",
        "GlueVersion",
        "Timeout",
        "MaxRetries",
        "ExecutionProperty",
        "JobMode",
        "JobRunQueuingEnabled",
        "MaxCapacity",
        "AllocatedCapacity",
        "CreatedOn",
        "LastModifiedOn",
    }
)


def assert_stored_as_sent(
    job: dict[str, Any], name: str, definition: dict[str, Any], default_version: str = "6.0"
) -> None:
    """GetJob's Job echoes every field of ``definition`` and fills Glue's defaults for the rest.

    ``default_version`` is the GlueVersion a definition without one gets: the fake's default for
    CreateJob, the job's own for UpdateJob (model: "retains the value from the existing job").
    """
    __tracebackhide__ = True
    assert job["Name"] == name
    for key, value in definition.items():
        if key in ("Command", "ExecutionProperty"):
            # Structures Glue completes: what was sent is there, plus defaults.
            assert value.items() <= job[key].items(), (key, value, job[key])
        else:
            assert job.get(key) == value, (key, value, job.get(key))
    assert set(job) - set(definition) <= _FILLED, set(job) - set(definition)
    assert job["GlueVersion"] == definition.get("GlueVersion", default_version)
    # model: "2,880 minutes for Glue version 4.0 and earlier, or 480 minutes for 5.0 and later"
    version = job["GlueVersion"]
    assert job["Timeout"] == definition.get("Timeout", 2880 if version in ("3.0", "4.0") else 480)
    assert job["MaxRetries"] == definition.get("MaxRetries", 0)
    assert job["ExecutionProperty"]["MaxConcurrentRuns"] == definition.get(
        "ExecutionProperty", {}
    ).get("MaxConcurrentRuns", 1)
    python = "3.9" if definition["Command"]["Name"] == "pythonshell" else "2"
    assert job["Command"]["PythonVersion"] == definition["Command"].get("PythonVersion", python)
    assert job["JobMode"] == definition.get("JobMode", "SCRIPT")
    assert job["JobRunQueuingEnabled"] == definition.get("JobRunQueuingEnabled", False)
    if not {"MaxCapacity", "AllocatedCapacity", "WorkerType"} & set(definition):
        default_dpus = 0.0625 if definition["Command"]["Name"] == "pythonshell" else 10
        assert job["MaxCapacity"] == default_dpus
    assert isinstance(job["CreatedOn"], float | int)
    assert job["LastModifiedOn"] >= job["CreatedOn"]


def get_job(client: Any, name: str) -> dict[str, Any]:
    status, body = answer(send_json(client, "GetJob", {"JobName": name}), "GetJob")
    assert status == 200, body
    job: dict[str, Any] = body["Job"]
    return job


@examples(300)
@given(request=create_requests())
def test_a_valid_create_job_is_accepted_and_returned_as_sent(
    glue_jobs: GlueJobsFake, client: Any, request: dict[str, Any]
) -> None:
    glue_jobs.reset()
    status, body = answer(send_json(client, "CreateJob", request), "CreateJob")
    assert status == 200, body
    assert body == {"Name": request["Name"]}
    definition = {k: v for k, v in request.items() if k not in ("Name", "Tags")}
    assert_stored_as_sent(get_job(client, request["Name"]), request["Name"], definition)
    assert glue_jobs.tags(request["Name"]) == request.get("Tags", {})


@examples(200)
@given(name=_job_names, first=job_definitions(), update=job_definitions())
def test_a_valid_update_job_replaces_the_definition(
    glue_jobs: GlueJobsFake,
    client: Any,
    name: str,
    first: dict[str, Any],
    update: dict[str, Any],
) -> None:
    glue_jobs.reset()
    glue_jobs.add_job(Name=name, Tags={"team": "data"}, **first)
    created_on = get_job(client, name)["CreatedOn"]
    status, body = answer(
        send_json(client, "UpdateJob", {"JobName": name, "JobUpdate": update}), "UpdateJob"
    )
    assert status == 200, body
    assert body == {"JobName": name}
    job = get_job(client, name)
    assert_stored_as_sent(job, name, update, default_version=first.get("GlueVersion", "6.0"))
    assert job["CreatedOn"] == created_on
    assert glue_jobs.tags(name) == {"team": "data"}  # UpdateJob has no Tags; they stay


# -- mutated requests ----------------------------------------------------------------------------

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.text(st.characters(max_codepoint=0x1F), max_size=6)  # control characters
    | st.text(st.characters(min_codepoint=0x10000), max_size=6)  # non-BMP
)
json_values = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
#: Values chosen to break naive code: types, bounds, sizes, encodings, nesting.
_NASTY: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1,
    2**31,
    -(2**31) - 1,
    2**63,
    -(2**63) - 1,
    10**40,
    0.5,
    -0.0,
    1e308,
    -1e308,
    math.nan,
    math.inf,
    -math.inf,
    "",
    " ",
    "\x00",
    "\t\r\n",
    "\ud800",
    "\udc00\ud800",
    "a\ud83dz",
    "\U0001f600" * 300,
    "x" * 256,
    "x" * 2049,
    "x" * 100_001,
    "aws:key",
    "AWSGlue.GetJob",
    [],
    {},
    [None],
    [[]],
    {"": None},
    {"Name": {}},
    [{"a": 1}] * 30,
    "glueetl",
    "G.1X",
    "0.9",
    "FLEX",
)
hostile_values = st.sampled_from(_NASTY) | json_values


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document (dict keys and list indexes), the root first."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@st.composite
def mutated_requests(draw: st.DrawFn, operation: str) -> Any:
    """A valid request of ``operation`` with one place replaced, dropped or given a stranger."""
    request: Any = draw(valid_requests(operation))
    path = draw(st.sampled_from(_paths(request)))
    action = draw(st.sampled_from(("replace", "replace", "drop", "add")))
    if not path:
        return draw(hostile_values) if action == "replace" else request
    parent = request
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = draw(hostile_values)
    elif action == "drop":
        del parent[last]
    else:
        target = parent[last]
        if isinstance(target, dict):
            target[
                draw(st.text(max_size=10) | st.sampled_from(("Name", "name", "JobName", "")))
            ] = draw(hostile_values)
        elif isinstance(target, list):
            target.append(draw(hostile_values))
        else:
            parent[last] = [target]
    return request


@examples(250)
@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_a_mutated_request_gets_a_glue_answer_and_a_rejected_one_changes_nothing(
    glue_jobs: GlueJobsFake, client: Any, operation: str, data: st.DataObject
) -> None:
    glue_jobs.reset()
    glue_jobs.add_job(
        Name="existing",
        Role="r",
        Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
        Tags={"k": "v"},
    )
    client.start_job_run(JobName="existing")  # a run, which a rejected request leaves alone
    request = data.draw(mutated_requests(operation), label="request")
    ascii_only = data.draw(st.booleans(), label="ascii_only")
    before = state(glue_jobs)

    status, _ = answer(send_json(client, operation, request, ascii_only=ascii_only), operation)

    if status != 200 or not may_change_state(operation):
        assert state(glue_jobs) == before


@st.composite
def tweaked_requests(draw: st.DrawFn, operation: str) -> tuple[Any, tuple[Any, ...]]:
    """A valid request of ``operation`` with one scalar replaced by another of its JSON type:
    where lengths, ranges, enums and patterns decide, rather than types; and where it is."""
    request: Any = draw(valid_requests(operation))
    leaves = [
        path
        for path in _paths(request)
        if path and isinstance(_at(request, path), str | int | float)
    ]
    assume(leaves)
    # Some generated values only come close to a pattern (an ARN's ".*" in Java's sense): the
    # rest of the request must be valid for the one value replaced to decide.
    try:
        validate(operation, json.loads(json.dumps(request)))
    except GlueError:
        assume(False)
    path = draw(st.sampled_from(leaves))
    parent = _at(request, path[:-1])
    old = parent[path[-1]]
    if isinstance(old, bool):
        new: Any = not old
    elif isinstance(old, str):
        new = draw(
            st.text(max_size=40)
            | st.text(st.characters(codec="ascii"), max_size=5)
            | st.sampled_from(("", " ", "x" * 256, "x" * 2049, "3.9", "G.1X", "FLEX", "auto"))
        )
    elif isinstance(old, int):
        new = draw(st.integers(-(2**64), 2**64) | st.sampled_from((0, -1, 1, 2**31, -(2**31) - 1)))
    else:
        new = draw(st.floats())
    parent[path[-1]] = new
    return request, path


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _satisfies(shape: Shape, value: Any) -> bool:
    """Whether a scalar ``value`` satisfies ``shape``, read from the model's metadata here rather
    than from the fake's checks (the worker types and GlueVersion "auto" the fake adds to older
    models included: tests/service/test_validation.py pins them)."""
    meta = shape.metadata
    kind = shape.type_name
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string":
        if not isinstance(value, str):
            return False
        enum = list(meta.get("enum", ()))
        if shape.name == "WorkerType":
            enum += EXTRA_WORKER_TYPES
        pattern = meta.get("pattern")
        if shape.name == "GlueVersionString":
            pattern = r"^((\w+\.)+\w+|auto)$"
        regex = java_regex(pattern) if pattern is not None else None
        return (
            meta.get("min", 0) <= len(value) <= meta.get("max", math.inf)
            and (not enum or value in enum)
            and (regex is None or regex.fullmatch(value) is not None)
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if kind in ("integer", "long"):
        bound = 2 ** (31 if kind == "integer" else 63)
        in_type = isinstance(value, int) and -bound <= value < bound
    else:
        in_type = math.isfinite(value) and abs(value) <= 1.7976931348623157e308
    return in_type and meta.get("min", -math.inf) <= value <= meta.get("max", math.inf)


def _shape_and_path_at(operation: str, place: tuple[Any, ...]) -> tuple[Shape, str, bool]:
    """The shape of the value at ``place`` in a request, the path a message names for it, and
    whether it is a map's value (a map's scalar values are reported at the map)."""
    shape: Shape = input_shape(operation)
    segments: list[str] = []
    in_map = False
    for step in place:
        in_map = isinstance(shape, MapShape)
        if isinstance(shape, StructureShape):
            segments.append(step[:1].lower() + step[1:])
            shape = shape.members[step]
        elif isinstance(shape, ListShape):
            segments.append(f"{step + 1}.member")
            shape = shape.member
        else:
            assert isinstance(shape, MapShape)
            segments.append(step)
            shape = shape.value
    if in_map:
        segments.pop()
    return shape, ".".join(segments), in_map


@examples(250)
@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_a_request_is_refused_exactly_when_a_value_breaks_its_shape(
    operation: str, data: st.DataObject
) -> None:
    # One scalar of a valid request replaced: refused exactly when the new value breaks its
    # shape's constraints in the model, and then every violation named is at its place.
    request, place = data.draw(tweaked_requests(operation), label="request")
    shape, path, in_map = _shape_and_path_at(operation, place)
    expected = _satisfies(shape, _at(request, place))
    try:
        validate(operation, request)
    except GlueError as error:
        assert not expected, error.message
        header = re.match(r"(\d+) validation errors? detected: Value '", error.message)
        assert header, error.message
        # Values may hold "; ", so the violations are counted by the place each one names.
        at_place = error.message.count(f" at '{path}' failed to satisfy constraint: ")
        assert at_place >= int(header[1]), error.message
        assert in_map == ("Map value must satisfy constraint: [" in error.message), error.message
    else:
        assert expected, f"{shape.name} accepted {_at(request, place)!r}"


@examples(60)
@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_hostile_requests_under_injected_faults_get_a_glue_answer(
    glue_jobs: GlueJobsFake, client: Any, operation: str, data: st.DataObject, seed: int
) -> None:
    # Faults look at the request (job_name) before it is validated: hostile input reaches them.
    glue_jobs.reset()
    glue_jobs.add_job(
        Name="existing", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
    )
    glue_jobs.fail("*", "ThrottlingException", probability=0.3, seed=seed)
    if operation not in ("GetJobs", "ListJobs", *TRIGGER_OPERATIONS):  # their requests name no job
        glue_jobs.fail(operation, job_name="existing")
        glue_jobs.fail(operation, "OperationTimeout", job_name="", times=1)
    before = state(glue_jobs)
    request = data.draw(mutated_requests(operation), label="request")
    status, body = answer(send_json(client, operation, request), operation)
    if status != 200:
        assert state(glue_jobs) == before
    assert glue_jobs.calls[-1].injected == (body.get("__type") in _INJECTED)
    glue_jobs.reset()  # faults that did not fire here are not the point: no warning for them


_INJECTED = ("ThrottlingException", "InternalServiceException", "OperationTimeoutException")


@examples(60)
@pytest.mark.parametrize("operation", OPERATIONS)
@given(body=json_values)
def test_any_json_document_gets_a_glue_answer(
    glue_jobs: GlueJobsFake, client: Any, operation: str, body: Any
) -> None:
    glue_jobs.reset()
    before = state(glue_jobs)
    status, _ = answer(send_json(client, operation, body), operation)
    if status != 200 or not may_change_state(operation):
        assert state(glue_jobs) == before


@st.composite
def broken_json(draw: st.DrawFn) -> bytes:
    """A JSON request with bytes cut out or spliced in: mostly not JSON any more."""
    text = json.dumps(draw(valid_requests(draw(st.sampled_from(OPERATIONS))))).encode()
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 8)))
    return text[:start] + draw(st.binary(max_size=6)) + text[end:]


@examples(300)
@given(
    body=st.binary(max_size=64) | broken_json(),
    target=st.sampled_from([f"AWSGlue.{op}" for op in OPERATIONS])
    | st.none()
    | st.text(max_size=20),
)
def test_any_bytes_under_any_target_get_a_glue_answer(
    glue_jobs: GlueJobsFake, client: Any, body: bytes, target: str | None
) -> None:
    glue_jobs.reset()
    glue_jobs.add_job(
        Name="existing", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
    )
    before = state(glue_jobs)
    operation = target[len("AWSGlue.") :] if target and target.startswith("AWSGlue.") else "?"
    assume(target not in _UNSUPPORTED_TARGETS)
    status, _ = answer(send(client, body, target), operation)
    if status != 200 or not may_change_state(operation):
        assert state(glue_jobs) == before


# -- hand-picked hostile requests ----------------------------------------------------------------


def _definition(**extra: Any) -> dict[str, Any]:
    return {"Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}, **extra}


def _job(**extra: Any) -> dict[str, Any]:
    return {"Name": "j", **_definition(**extra)}


def _deeply_nested_token(depth: int) -> str:
    return base64.urlsafe_b64encode(b"[" * depth + b"|0123456789ab").decode()


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("GetJobs", {"NextToken": _deeply_nested_token(100_000)}),
        ("ListJobs", {"NextToken": _deeply_nested_token(100_000)}),
        ("ListJobs", {"NextToken": base64.urlsafe_b64encode(b'"ab"|x').decode()}),
        ("GetJobs", {"NextToken": "\ud800"}),
        ("GetJobs", {"NextToken": "%%%"}),
        ("GetJobs", {"NextToken": "x" * 1_000_000}),
        ("CreateJob", _job(**{"Tags": []})),
        ("UpdateJob", {"JobName": "j", "JobUpdate": []}),
        ("BatchGetJobs", {"JobNames": [None, 1, {}, []]}),
        ("GetJob", {"JobName": "x" * 10_000_000}),
        ("GetJob", [[[[]]]]),
        ("CreateJob", _job(**{"MaxCapacity": "NaN"})),
        # More digits than Python will turn into an int by default.
        (
            "CreateJob",
            b'{"Name": "j", "Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b"},'
            b' "Timeout": 1' + b"0" * 5000 + b"}",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_hand_picked_hostile_requests_are_refused(
    glue_jobs: GlueJobsFake, client: Any, operation: str, params: Any
) -> None:
    before = state(glue_jobs)
    body = params if isinstance(params, bytes) else json.dumps(params).encode()
    status, answered = answer(send(client, body, f"AWSGlue.{operation}"), operation)
    assert status == 400
    assert answered["__type"] in ("InvalidInputException", "SerializationException")
    assert len(answered["message"]) < 4000, "the message repeats the whole hostile value"
    assert state(glue_jobs) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{", "SerializationException"),
        (b'{"JobName": "a",}', "SerializationException"),
        (b"\xff\xfe{}", "SerializationException"),
        (b'{"JobName": "\xed\xa0\x80"}', "SerializationException"),  # an encoded lone surrogate
        (b"[" * 100_000, "SerializationException"),
        (b'{"JobName": ' + b"[" * 500 + b"]" * 500 + b"}", "InvalidInputException"),
        (b"null", "InvalidInputException"),
        (b"[]", "InvalidInputException"),
        (b'"GetJob"', "InvalidInputException"),
        (b"123", "InvalidInputException"),
        (b"", "InvalidInputException"),  # no body is no members: JobName is missing
        (b"{}", "InvalidInputException"),
    ],
)
def test_malformed_bodies_through_the_whole_client(
    glue_jobs: GlueJobsFake, client: Any, body: bytes, code: str
) -> None:
    def replace_body(request: Any, **_: Any) -> None:
        request.body = body
        request.headers["Content-Length"] = str(len(body))

    client.meta.events.register("before-send.glue.GetJob", replace_body)
    with pytest.raises(ClientError) as caught:
        client.get_job(JobName="nightly")
    error = caught.value.response
    assert error["Error"]["Code"] == code
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"]


def test_an_empty_body_is_an_empty_request(glue_jobs: GlueJobsFake, client: Any) -> None:
    # GetJobs has no required member, so no body is a valid request for every job.
    glue_jobs.add_job(
        Name="nightly", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
    )
    status, body = answer(send(client, b"", "AWSGlue.GetJobs"), "GetJobs")
    assert status == 200
    assert [job["Name"] for job in body["Jobs"]] == ["nightly"]


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "AWSGlue.",
        "AWSGlue.NoSuchOperation",
        "AWSGlue.getjob",
        "Glue.GetJob",
        "AWSGlue.GetJob ",
        "\x00",
        "AWSGlue.\U0001f600",
    ],
)
def test_an_unknown_or_missing_target_is_unknown_operation(
    glue_jobs: GlueJobsFake, client: Any, target: str | None
) -> None:
    def replace_target(request: Any, **_: Any) -> None:
        if target is None:
            del request.headers["X-Amz-Target"]
        else:
            request.headers["X-Amz-Target"] = target.encode("utf-8")

    client.meta.events.register("before-send.glue.GetJob", replace_target)
    with pytest.raises(ClientError) as caught:
        client.get_job(JobName="nightly")
    assert caught.value.response["Error"]["Code"] == "UnknownOperationException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # Straight to the transport as well, without botocore's serializer in between.
    status, body = answer(send(client, b"{}", target), "?")
    assert (status, body["__type"]) == (400, "UnknownOperationException")


_WRONG_TYPES: list[tuple[str, dict[str, Any]]] = [
    ("GetJob", {"JobName": 5}),
    ("GetJob", {"JobName": ["a"]}),
    ("GetJob", {"JobName": {"a": 1}}),
    ("GetJob", {"JobName": True}),
    ("GetJob", {"JobName": 1.5}),
    ("GetJobs", {"MaxResults": "10"}),
    ("GetJobs", {"MaxResults": 0}),
    ("GetJobs", {"MaxResults": 2**40}),
    ("GetJobs", {"NextToken": 7}),
    ("ListJobs", {"Tags": {"k": 1}}),
    ("ListJobs", {"MaxResults": -1}),
    ("BatchGetJobs", {"JobNames": [1, 2]}),
    ("DeleteJob", {"JobName": ""}),
    ("DeleteJob", {"JobName": None}),
    ("CreateJob", {"Name": "j", "Role": "r", "Command": {"Name": 3}}),
    (
        "CreateJob",
        {"Name": "j", "Role": 7, "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}},
    ),
    ("CreateJob", _job(**{"Timeout": "60"})),
    ("CreateJob", _job(**{"MaxRetries": 1.5})),
    ("CreateJob", _job(**{"Connections": {"Connections": [5]}})),
    ("CreateJob", _job(**{"DefaultArguments": {"a": 1}})),
    ("CreateJob", _job(**{"ExecutionProperty": {"MaxConcurrentRuns": "1"}})),
    ("CreateJob", _job(**{"NotificationProperty": {"NotifyDelayAfter": 0}})),
    (
        "CreateJob",
        {
            "Name": "j\x00",
            "Role": "r",
            "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/j.py"},
        },
    ),
    ("CreateJob", _job(**{"Tags": {"": "v"}})),
    ("CreateJob", _job(**{"WorkerType": "G.1X", "NumberOfWorkers": "2"})),
    ("UpdateJob", {"JobName": "j", "JobUpdate": _definition(Timeout=0)}),
    ("UpdateJob", {"JobName": "j", "JobUpdate": {"Role": "r"}}),
]


@pytest.mark.parametrize(("operation", "params"), _WRONG_TYPES)
def test_wrong_types_without_client_side_validation_are_invalid_input(
    glue_jobs: GlueJobsFake, client: Any, operation: str, params: dict[str, Any]
) -> None:
    glue_jobs.add_job(
        Name="j", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/j.py"}
    )
    before = state(glue_jobs)
    with pytest.raises(ClientError) as caught:
        method(client, operation)(**params)
    error = caught.value.response
    assert error["Error"]["Code"] == "InvalidInputException", error["Error"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert state(glue_jobs) == before
