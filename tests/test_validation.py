"""Model-driven request validation (pytest_gluejobs._core.validation), tested alone.

Limits come from the Glue API reference (shared seed: Name 1-255, Description <= 2048, Timeout >= 1,
MaxResults 1-1000, <= 50 tags, tag key 1-128, tag value <= 256, NotifyDelayAfter >= 1) and from
botocore's Glue model; message wording follows AWS's Coral style (research §6).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, ServiceModel, Shape, StructureShape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_gluejobs._core import model as _model
from pytest_gluejobs._core import shape_checks as _shape_checks
from pytest_gluejobs._core import validation as _validation
from pytest_gluejobs._core.errors import GlueError
from pytest_gluejobs._core.model import service_model
from pytest_gluejobs._core.validation import validate

ROLE = "arn:aws:iam::123456789012:role/GlueRole"
COMMAND = {"Name": "glueetl", "ScriptLocation": "s3://bucket/script.py"}
HEADER = re.compile(r"^(\d+) validation errors? detected: ")


def rejection(operation: str, params: object) -> str:
    """The InvalidInputException message ``validate`` raises for ``params``."""
    with pytest.raises(GlueError) as caught:
        validate(operation, params)
    assert caught.value.code == "InvalidInputException"
    assert caught.value.status == 400
    return caught.value.message


def violations(operation: str, params: object) -> list[str]:
    """The individual violations in the message, after checking the count in its header."""
    message = rejection(operation, params)
    header = HEADER.match(message)
    assert header, message
    parts = message[header.end() :].split("; ")
    assert int(header[1]) == len(parts), message
    noun = "error" if len(parts) == 1 else "errors"
    assert message.startswith(f"{len(parts)} validation {noun} detected: ")
    return parts


def only_violation(operation: str, params: object) -> str:
    found = violations(operation, params)
    assert len(found) == 1, found
    return found[0]


def create(**overrides: Any) -> dict[str, Any]:
    return {"Name": "nightly", "Role": ROLE, "Command": dict(COMMAND), **overrides}


def update(**job_update: Any) -> dict[str, Any]:
    return {
        "JobName": "nightly",
        "JobUpdate": {"Role": ROLE, "Command": dict(COMMAND), **job_update},
    }


# --- valid requests pass ----------------------------------------------------------------------


def test_a_full_create_job_request_is_valid() -> None:
    validate(
        "CreateJob",
        create(
            Description="Loads the nightly batch.\nSecond line.",
            ExecutionProperty={"MaxConcurrentRuns": 3},
            Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py", "PythonVersion": "3"},
            DefaultArguments={"--job-language": "python"},
            Connections={"Connections": ["conn-a", "conn-b"]},
            MaxRetries=2,
            Timeout=60,
            SecurityConfiguration="sec",
            Tags={"team": "data", "env": ""},
            NotificationProperty={"NotifyDelayAfter": 1},
            GlueVersion="4.0",
            NumberOfWorkers=10,
            WorkerType="G.1X",
            ExecutionClass="STANDARD",
            MaintenanceWindow="Sun:23",
        ),
    )


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("GetJob", {"JobName": "nightly"}),
        ("DeleteJob", {"JobName": "nightly"}),
        ("GetJobs", {}),
        ("GetJobs", {"MaxResults": 1, "NextToken": "t"}),
        ("ListJobs", {"MaxResults": 1000, "Tags": {"team": "data"}}),
        ("BatchGetJobs", {"JobNames": ["a", "b"]}),
        ("BatchGetJobs", {"JobNames": []}),
        ("UpdateJob", update(MaxCapacity=10.0, Timeout=1)),
        ("CreateJob", create(MaxCapacity=2)),  # an int is a valid double
    ],
)
def test_valid_requests_pass(operation: str, params: dict[str, Any]) -> None:
    validate(operation, params)


# --- required members -------------------------------------------------------------------------


def test_a_missing_required_member_is_null() -> None:
    assert only_violation("GetJob", {}) == (
        "Value null at 'jobName' failed to satisfy constraint: Member must not be null"
    )


def test_a_null_member_counts_as_absent() -> None:
    assert only_violation("GetJob", {"JobName": None}) == (
        "Value null at 'jobName' failed to satisfy constraint: Member must not be null"
    )
    validate("GetJobs", {"MaxResults": None, "NextToken": None})


def test_every_missing_required_member_is_reported_in_model_order() -> None:
    found = violations("CreateJob", {"Name": "nightly"})
    assert found == [
        "Value null at 'role' failed to satisfy constraint: Member must not be null",
        "Value null at 'command' failed to satisfy constraint: Member must not be null",
    ]


def test_required_members_of_nested_structures() -> None:
    # The model makes ApplyMapping's Name, Inputs and Mapping required.
    nodes = {"node-1": {"ApplyMapping": {"Name": "m", "Inputs": ["a"]}}}
    found = only_violation("UpdateJob", update(CodeGenConfigurationNodes=nodes))
    assert found == (
        "Value null at 'jobUpdate.codeGenConfigurationNodes.node-1.applyMapping.mapping' "
        "failed to satisfy constraint: Member must not be null"
    )


# --- JSON types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "shown", "path", "expected_type"),
    [
        (create(Timeout="abc"), '"abc"', "timeout", "an integer"),
        (create(Timeout=1.5), "1.5", "timeout", "an integer"),
        (create(Name=5), "5", "name", "a string"),
        (create(Command="glueetl"), '"glueetl"', "command", "an object"),
        (create(Connections={"Connections": "a"}), '"a"', "connections.connections", "an array"),
        (create(Tags=["a"]), '["a"]', "tags", "an object"),
        (create(JobRunQueuingEnabled="true"), '"true"', "jobRunQueuingEnabled", "a boolean"),
        (create(MaxCapacity="10"), '"10"', "maxCapacity", "a number"),
    ],
)
def test_wrong_json_types_are_named(
    params: dict[str, Any], shown: str, path: str, expected_type: str
) -> None:
    # The value is shown as JSON, so a string "10" is told from a number 10.
    assert only_violation("CreateJob", params) == (
        f"Value '{shown}' at '{path}' failed to satisfy constraint: Member must be {expected_type}"
    )


@pytest.mark.parametrize("member", ["Timeout", "MaxRetries", "NumberOfWorkers", "MaxCapacity"])
def test_a_bool_is_not_a_number(member: str) -> None:
    found = only_violation("CreateJob", create(**{member: True}))
    assert found.startswith("Value 'true' at '")
    assert "Member must be a" in found


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_double_must_be_finite(value: float) -> None:
    found = only_violation("CreateJob", create(MaxCapacity=value))
    assert found.endswith(
        "at 'maxCapacity' failed to satisfy constraint: Member must be a finite number"
    )


def test_nan_straight_from_json_loads_is_rejected() -> None:
    params = json.loads('{"Name": "n", "Role": "r", "Command": {}, "MaxCapacity": NaN}')
    assert only_violation("CreateJob", params) == (
        "Value 'NaN' at 'maxCapacity' failed to satisfy constraint: Member must be a finite number"
    )


def test_integers_are_32_bit() -> None:
    validate("CreateJob", create(MaxRetries=2**31 - 1))
    validate("CreateJob", create(MaxRetries=-(2**31)))
    for value in (2**31, -(2**31) - 1):
        found = only_violation("CreateJob", create(MaxRetries=value))
        assert found.startswith(f"Value '{value}' at 'maxRetries' failed to satisfy constraint:")
        assert "32-bit" in found


def test_an_int_too_big_to_print_is_still_an_invalid_input() -> None:
    found = only_violation("CreateJob", create(MaxRetries=10**5000))
    assert "at 'maxRetries'" in found


@pytest.mark.parametrize(
    "params",
    [[], [{"JobName": "a"}], "JobName", 1, 1.5, math.nan, True, None],
)
def test_the_body_must_be_a_json_object(params: object) -> None:
    message = rejection("GetJob", params)
    assert message.startswith("1 validation error detected: ")
    assert message.endswith(
        "failed to satisfy constraint: The GetJob request must be a JSON object"
    )


# --- lengths and values -----------------------------------------------------------------------


def test_name_length_is_1_to_255() -> None:
    validate("CreateJob", create(Name="n"))
    validate("CreateJob", create(Name="n" * 255))
    assert violations("CreateJob", create(Name=""))[0] == (
        "Value '' at 'name' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )
    found = only_violation("CreateJob", create(Name="n" * 256))
    assert found.endswith(
        "at 'name' failed to satisfy constraint: Member must have length less than or equal to 255"
    )


def test_length_counts_characters() -> None:
    # 255 characters, 1020 UTF-8 bytes: the model's limits are in characters.
    validate("GetJob", {"JobName": "\U0001f600" * 255})


def test_description_is_at_most_2048() -> None:
    validate("CreateJob", create(Description="d" * 2048))
    found = only_violation("CreateJob", create(Description="d" * 2049))
    assert found.endswith("Member must have length less than or equal to 2048")
    assert "at 'description'" in found


def test_long_values_are_cut_in_messages() -> None:
    found = only_violation("CreateJob", create(Name="x" * 256))
    assert found.startswith("Value '" + "x" * 200 + "...' at 'name'")


def test_timeout_is_at_least_1() -> None:
    validate("CreateJob", create(Timeout=1))
    assert only_violation("CreateJob", create(Timeout=0)) == (
        "Value '0' at 'timeout' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


@pytest.mark.parametrize("operation", ["GetJobs", "ListJobs"])
def test_max_results_is_1_to_1000(operation: str) -> None:
    validate(operation, {"MaxResults": 1})
    validate(operation, {"MaxResults": 1000})
    assert only_violation(operation, {"MaxResults": 0}) == (
        "Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )
    assert only_violation(operation, {"MaxResults": 1001}) == (
        "Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000"
    )


def test_nested_paths_are_lower_camel_case() -> None:
    params = update(NotificationProperty={"NotifyDelayAfter": 0})
    assert only_violation("UpdateJob", params) == (
        "Value '0' at 'jobUpdate.notificationProperty.notifyDelayAfter' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1"
    )


# --- lists and maps ---------------------------------------------------------------------------


def test_list_elements_are_named_by_1_based_position() -> None:
    found = violations("BatchGetJobs", {"JobNames": ["ok", "", None, 7]})
    assert found == [
        "Value '' at 'jobNames.2.member' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
        "Value null at 'jobNames.3.member' failed to satisfy constraint: Member must not be null",
        "Value '7' at 'jobNames.4.member' failed to satisfy constraint: Member must be a string",
    ]


def test_connections_list_holds_at_most_1000() -> None:
    shape = service_model().shape_for("ConnectionsList").members["Connections"]
    if "max" not in shape.metadata:
        pytest.skip("this botocore's model sets no maximum on Connections (added later)")
    validate("CreateJob", create(Connections={"Connections": ["c"] * 1000}))
    found = only_violation("CreateJob", create(Connections={"Connections": ["c"] * 1001}))
    assert found.startswith("Value '[c, c, c,")
    assert found.endswith(
        "at 'connections.connections' failed to satisfy constraint: "
        "Member must have length less than or equal to 1000"
    )


def test_at_most_50_tags() -> None:
    tags = {f"k{i}": "v" for i in range(50)}
    validate("CreateJob", create(Tags=tags))
    validate("ListJobs", {"Tags": tags})
    found = only_violation("CreateJob", create(Tags={**tags, "k50": "v"}))
    assert found.startswith("Value '{k0=v, k1=v,")
    assert found.endswith(
        "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
    )


def test_tag_keys_are_1_to_128() -> None:
    validate("CreateJob", create(Tags={"k" * 128: "v"}))
    found = only_violation("CreateJob", create(Tags={"k" * 129: "v"}))
    assert found.endswith(
        "at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: "
        "[Member must have length less than or equal to 128]"
    )
    found = only_violation("ListJobs", {"Tags": {"": "v"}})
    assert found == (
        "Value '{=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: "
        "[Member must have length greater than or equal to 1]"
    )


def test_tag_values_are_at_most_256() -> None:
    validate("CreateJob", create(Tags={"k": "v" * 256, "e": ""}))
    found = only_violation("CreateJob", create(Tags={"k": "v" * 257}))
    assert found.endswith(
        "at 'tags' failed to satisfy constraint: Map value must satisfy constraint: "
        "[Member must have length less than or equal to 256]"
    )


def test_map_violations_are_reported_once_per_map() -> None:
    found = violations("CreateJob", create(Tags={"": "v" * 257, "k" * 129: "v" * 300, "x": None}))
    assert len(found) == 2
    assert found[0].endswith(
        "Map keys must satisfy constraint: [Member must have length greater than or equal to 1, "
        "Member must have length less than or equal to 128]"
    )
    assert found[1].endswith(
        "Map value must satisfy constraint: [Member must have length less than or equal to 256, "
        "Member must not be null]"
    )


def test_map_values_that_are_structures_are_named_by_key() -> None:
    nodes = {"node-1": {"ApplyMapping": {"Name": "m", "Inputs": ["a", "b"], "Mapping": []}}}
    found = only_violation("CreateJob", create(CodeGenConfigurationNodes=nodes))
    assert found.startswith(
        "Value '[a, b]' at 'codeGenConfigurationNodes.node-1.applyMapping.inputs'"
    )


# --- patterns ---------------------------------------------------------------------------------


NAME_PATTERN = _model.service_model().shape_for("NameString").metadata["pattern"]


@pytest.mark.parametrize(
    "name", ["job", "job with spaces", "tab\there", "job-\U0001f600", "\U0010fffd"]
)
def test_single_line_names_pass(name: str) -> None:
    validate("CreateJob", create(Name=name))


@pytest.mark.parametrize("name", ["two\nlines", "carriage\rreturn", "bell\x07", "\ufffe"])
def test_names_outside_the_single_line_pattern_fail(name: str) -> None:
    found = only_violation("CreateJob", create(Name=name))
    assert found == (
        f"Value '{name}' at 'name' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {NAME_PATTERN}"
    )


def test_a_lone_surrogate_fails_the_pattern_and_the_message_encodes() -> None:
    params = json.loads('{"JobName": "half \\ud83d"}')
    message = rejection("GetJob", params)
    assert "Member must satisfy regular expression pattern" in message
    message.encode("utf-8")


def test_descriptions_may_span_lines() -> None:
    validate("CreateJob", create(Description="line 1\r\nline 2\t\U0001f600"))


def test_the_whole_value_must_match() -> None:
    validate("UpdateJob", update(Command={**COMMAND, "PythonVersion": "3.9"}))
    for version in ("4", "3\n", "33", "3.9 "):
        found = only_violation("UpdateJob", update(Command={**COMMAND, "PythonVersion": version}))
        assert found == (
            f"Value '{version}' at 'jobUpdate.command.pythonVersion' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^([2-3]|3[.]9)$"
        )


def test_java_word_characters_are_ascii() -> None:
    validate("CreateJob", create(GlueVersion="4.0"))
    found = only_violation("CreateJob", create(GlueVersion="\uff14.0"))  # fullwidth digit four
    assert "at 'glueVersion'" in found
    assert "regular expression pattern" in found


def test_java_dot_stops_at_every_line_terminator() -> None:
    # Command.Runtime has the pattern ".*"
    validate("CreateJob", create(Command={**COMMAND, "Runtime": "Ray2.4"}))
    for runtime in ("Ray2.4\n", "Ray\u20282.4", "Ray\r"):
        found = only_violation("CreateJob", create(Command={**COMMAND, "Runtime": runtime}))
        assert "at 'command.runtime'" in found


def test_supplementary_range_translation() -> None:
    pattern = _shape_checks.java_regex("[\\uD800\\uDC00-\\uDBFF\\uDFFF]")
    assert pattern is not None
    assert pattern.fullmatch("\U00010000")
    assert pattern.fullmatch("\U0001f600")
    assert pattern.fullmatch("\U0010ffff")
    assert not pattern.fullmatch("\ud800")
    assert not pattern.fullmatch("\udc00")
    assert not pattern.fullmatch("\uffff")


def input_shapes() -> Iterator[Shape]:
    seen: set[str] = set()
    pending: list[Shape] = [_model.operation_model(op).input_shape for op in _model.OPERATIONS]
    while pending:
        shape = pending.pop()
        if shape.name in seen:
            continue
        seen.add(shape.name)
        yield shape
        if isinstance(shape, StructureShape):
            pending.extend(shape.members.values())
        elif isinstance(shape, ListShape):
            pending.append(shape.member)
        elif isinstance(shape, MapShape):
            pending.extend((shape.key, shape.value))


def test_every_pattern_of_the_installed_model_compiles() -> None:
    # A pattern Python cannot compile goes unchecked; this pins that none does today.
    patterns = {s.metadata["pattern"] for s in input_shapes() if "pattern" in s.metadata}
    assert patterns
    assert [p for p in patterns if _shape_checks.java_regex(p) is None] == []


def test_every_container_shape_of_the_installed_model_gets_a_check() -> None:
    # A shape's check is built on the first request that reaches it, and requests reach only some
    # shapes: here every one is built and refuses a value of the wrong JSON type.
    containers = [s for s in input_shapes() if isinstance(s, StructureShape | ListShape | MapShape)]
    assert len(containers) > 100
    for shape in containers:
        check, scalar = _validation._checks_of(shape)
        assert scalar is None
        report = _validation._Report("Probe")
        check("not a container", ((None, "above"), "here"), 0, report)
        assert report.count == 1
        assert report.errors[0].startswith("Value '\"not a container\"' at 'above.here' ")


# --- enums ------------------------------------------------------------------------------------


def test_enum_values_are_listed() -> None:
    found = only_violation("CreateJob", create(WorkerType="G.99X"))
    assert found.startswith(
        "Value 'G.99X' at 'workerType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Standard, G.1X, G.2X"
    )
    found = only_violation("CreateJob", create(ExecutionClass="flex"))
    assert "Member must satisfy enum value set: [" in found
    assert "FLEX" in found and "STANDARD" in found


@pytest.mark.parametrize(
    "worker_type", ["Standard", "G.1X", "G.2X", *_shape_checks.EXTRA_WORKER_TYPES]
)
def test_worker_types_the_service_accepts_pass(worker_type: str) -> None:
    validate("CreateJob", create(WorkerType=worker_type))


def test_extra_worker_types_are_the_researched_ones() -> None:
    assert set(_shape_checks.EXTRA_WORKER_TYPES) == {
        "G.12X",
        "G.16X",
        "R.1X",
        "R.2X",
        "R.4X",
        "R.8X",
    }


# --- unknown members --------------------------------------------------------------------------


def test_unknown_top_level_member() -> None:
    found = only_violation("GetJob", {"JobName": "j", "Foo": 1})
    assert found.startswith("Unknown member 'Foo' is not part of GetJob's input")
    assert "JobName" in found


def test_unknown_nested_member_with_a_suggestion() -> None:
    found = only_violation("UpdateJob", update(timeout=5))
    assert found == (
        "Unknown member 'timeout' at 'jobUpdate' is not part of UpdateJob's input "
        "(did you mean 'Timeout'?)"
    )


def test_job_update_has_no_name_or_tags() -> None:
    # JobUpdate is every CreateJob member except Name and Tags (research §1.6).
    found = violations("UpdateJob", update(Name="n", Tags={"a": "b"}))
    assert len(found) == 2
    assert all("at 'jobUpdate' is not part of UpdateJob's input" in f for f in found)


# --- several errors, order --------------------------------------------------------------------


def test_errors_are_counted_and_in_model_order() -> None:
    params = {"Timeout": 0, "Command": COMMAND, "Role": ROLE, "Name": "n" * 256}
    message = rejection("CreateJob", params)
    assert message.startswith(
        "2 validation errors detected: Value '" + "n" * 200 + "...' at 'name'"
    )
    assert message.endswith(
        "; Value '0' at 'timeout' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


def test_one_value_can_break_several_constraints() -> None:
    found = violations("CreateJob", create(Name="\n" * 256))
    assert len(found) == 2
    assert found[0].endswith("Member must have length less than or equal to 255")
    assert found[1].endswith(f"Member must satisfy regular expression pattern: {NAME_PATTERN}")


# --- pathological input -----------------------------------------------------------------------


def test_deeply_nested_recursive_shape_is_cut_off() -> None:
    mapping: dict[str, Any] = {"ToKey": "k"}
    deepest = mapping
    for _ in range(500):
        child: dict[str, Any] = {"ToKey": "k"}
        deepest["Children"] = [child]
        deepest = child
    nodes = {"node-1": {"ApplyMapping": {"Name": "m", "Inputs": ["a"], "Mapping": [mapping]}}}
    found = only_violation("CreateJob", create(CodeGenConfigurationNodes=nodes))
    assert "nested more than" in found


def test_deep_garbage_where_a_string_belongs() -> None:
    garbage: list[Any] = []
    for _ in range(100_000):
        garbage = [garbage]
    found = only_violation("GetJob", {"JobName": garbage})
    assert found.startswith("Value '[[[[")
    assert found.endswith("at 'jobName' failed to satisfy constraint: Member must be a string")


# --- a model from a newer botocore ------------------------------------------------------------


@pytest.fixture
def probe_model(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Validate against a synthetic model: ``install(shapes)`` makes them the input of "Probe"."""

    def install(shapes: dict[str, Any]) -> None:
        model = ServiceModel(
            {
                "metadata": {"protocol": "json", "serviceId": "Probe", "endpointPrefix": "probe"},
                "operations": {"Probe": {"name": "Probe", "input": {"shape": "ProbeRequest"}}},
                "shapes": shapes,
            }
        )
        monkeypatch.setattr(_model, "operation_model", model.operation_model)
        monkeypatch.setattr(_validation, "_checks", {})
        monkeypatch.setattr(_validation, "_requests", {})

    return install


def request_of(**members: str) -> dict[str, Any]:
    return {"type": "structure", "members": {k: {"shape": v} for k, v in members.items()}}


def test_botocore_1_43_worker_types_are_extended(probe_model: Any) -> None:
    enum_1_43 = ["Standard", "G.1X", "G.2X", "G.025X", "G.4X", "G.8X", "Z.2X"]
    probe_model(
        {
            "ProbeRequest": request_of(WorkerType="WorkerType", Other="OtherEnum"),
            "WorkerType": {"type": "string", "enum": enum_1_43},
            "OtherEnum": {"type": "string", "enum": enum_1_43},
        }
    )
    for extra in ("G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X"):
        validate("Probe", {"WorkerType": extra})
        # the extension is for WorkerType alone
        assert "Member must satisfy enum value set" in only_violation("Probe", {"Other": extra})


def test_new_members_and_enum_values_are_followed(probe_model: Any) -> None:
    probe_model(
        {
            "ProbeRequest": request_of(NewField="NewEnum"),
            "NewEnum": {"type": "string", "enum": ["A", "BRAND_NEW"]},
        }
    )
    validate("Probe", {"NewField": "BRAND_NEW"})


def test_longs_are_64_bit(probe_model: Any) -> None:
    probe_model({"ProbeRequest": request_of(Rows="Rows"), "Rows": {"type": "long"}})
    validate("Probe", {"Rows": 2**63 - 1})
    validate("Probe", {"Rows": -(2**63)})
    assert "64-bit" in only_violation("Probe", {"Rows": 2**63})
    assert "Member must be an integer" in only_violation("Probe", {"Rows": False})


def test_timestamps_follow_the_format_botocore_sends(probe_model: Any) -> None:
    probe_model(
        {
            "ProbeRequest": request_of(Epoch="Epoch", Iso="Iso"),
            "Epoch": {"type": "timestamp"},
            "Iso": {"type": "timestamp", "timestampFormat": "iso8601"},
        }
    )
    validate("Probe", {"Epoch": 1602805698.167, "Iso": "2020-10-15T23:48:18.167Z"})
    validate("Probe", {"Epoch": 1602805698})
    for bad in ("2020-10-15", math.nan, True):
        assert "at 'epoch'" in only_violation("Probe", {"Epoch": bad})
    assert "at 'iso'" in only_violation("Probe", {"Iso": 1602805698})


def test_recursive_shapes_compile(probe_model: Any) -> None:
    probe_model(
        {
            "ProbeRequest": request_of(Tree="Tree"),
            "Tree": {
                "type": "structure",
                "members": {"Label": {"shape": "Label"}, "Kids": {"shape": "Trees"}},
            },
            "Trees": {"type": "list", "member": {"shape": "Tree"}},
            "Label": {"type": "string", "max": 3},
        }
    )
    validate("Probe", {"Tree": {"Label": "a", "Kids": [{"Label": "b", "Kids": []}]}})
    found = only_violation("Probe", {"Tree": {"Kids": [{"Kids": [{"Label": "long"}]}]}})
    assert found.startswith("Value 'long' at 'tree.kids.1.member.kids.1.member.label'")


def test_shapes_whose_names_differ_only_in_punctuation_are_checked_apart(probe_model: Any) -> None:
    # Checks are kept by shape name; "Inner.A" and "Inner-A" must not share one.
    probe_model(
        {
            "ProbeRequest": request_of(First="Inner.A", Second="Inner-A"),
            "Inner.A": request_of(X="Text", X2="Text"),
            "Inner-A": request_of(Y="Text", Y2="Text"),
            "Text": {"type": "string", "max": 3},
        }
    )
    request = {"First": {"X": "x", "X2": None}, "Second": {"Y": "y"}}
    assert validate("Probe", request) == {"First": {"X": "x"}, "Second": {"Y": "y"}}
    assert "at 'second.y'" in only_violation("Probe", {"Second": {"Y": "long"}})


# --- never anything but GlueError -------------------------------------------------------------


def json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(st.characters(exclude_categories=()))
    )
    return st.recursive(
        scalars,
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=20,
    )


@functools.cache
def shaped(shape_name: str, depth: int) -> st.SearchStrategy[Any]:
    """Values in the rough form of a shape, with arbitrary JSON mixed in at every level."""
    shape = _model.service_model().shape_for(shape_name)
    anything = json_values()
    if depth <= 0:
        return anything
    if isinstance(shape, StructureShape):
        optional = {name: shaped(m.name, depth - 1) for name, m in shape.members.items()}
        return st.fixed_dictionaries({}, optional=optional) | anything
    if isinstance(shape, ListShape):
        return st.lists(shaped(shape.member.name, depth - 1), max_size=3) | anything
    if isinstance(shape, MapShape):
        keys = st.text(max_size=5) | st.sampled_from(["", "k" * 129])
        return st.dictionaries(keys, shaped(shape.value.name, depth - 1), max_size=3) | anything
    enum = shape.metadata.get("enum")
    if enum:
        return st.sampled_from(enum) | anything
    return anything


def assert_only_glue_errors(operation: str, params: object) -> None:
    try:
        validate(operation, params)
    except GlueError as error:
        assert error.code == "InvalidInputException"
        assert HEADER.match(error.message), error.message
        error.message.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operation=st.sampled_from(_model.OPERATIONS), params=json_values())
def test_any_json_value_gives_a_glue_error_or_passes(operation: str, params: object) -> None:
    assert_only_glue_errors(operation, params)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), operation=st.sampled_from(_model.OPERATIONS))
def test_dicts_of_real_members_give_a_glue_error_or_pass(
    data: st.DataObject, operation: str
) -> None:
    params = data.draw(shaped(_model.operation_model(operation).input_shape.name, depth=6))
    assert_only_glue_errors(operation, params)
