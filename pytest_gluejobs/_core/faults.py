"""Injected failures: which calls fail, with which of Glue's errors, and how often."""

from __future__ import annotations

import difflib
import random
import re
import threading
from types import TracebackType

from .errors import GlueError
from .model import OPERATIONS, TRIGGER_OPERATIONS, declared_errors
from .tags import job_name_of

#: Not declared on the job operations, but Glue answers it and botocore retries it
#: (https://docs.aws.amazon.com/glue/latest/webapi/CommonErrors.html; botocore's retry rules).
THROTTLING = "ThrottlingException"

_DEFAULT_MESSAGES = {
    "InternalServiceException": "An internal service error occurred. Please retry.",
    "OperationTimeoutException": "The operation timed out.",
    "ThrottlingException": "Rate exceeded",
    "InvalidInputException": "The input provided was not valid.",
    "EntityNotFoundException": "Job not found.",
    "AlreadyExistsException": "Job already exists.",
    "ConcurrentModificationException": "The job was modified concurrently. Please retry.",
    "ResourceNumberLimitExceededException": "The number of jobs exceeds the account limit.",
    "IdempotentParameterMismatchException": "Idempotent parameter mismatch.",
}


def _default_message(error: str) -> str:
    known = _DEFAULT_MESSAGES.get(error)
    if known is not None:
        return known
    # An error only a newer botocore's model declares:
    # "ResourceNotReadyException" -> "Resource not ready."
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", error.removesuffix("Exception"))
    return f"{words.capitalize()}."


# Operations whose requests name no job, so a job_name restriction could never match them.
_LISTINGS = ("GetJobs", "ListJobs", *TRIGGER_OPERATIONS)


def valid_errors(operation: str) -> tuple[str, ...]:
    """Error codes a fault may inject for ``operation``.

    For ``"*"``: the errors every operation declares, so the fault is valid wherever it fires.
    """
    if operation == "*":
        common = [
            e
            for e in declared_errors(OPERATIONS[0])
            if all(e in declared_errors(op) for op in OPERATIONS)
        ]
        return (*common, THROTTLING)
    return (*declared_errors(operation), THROTTLING)


def _folded(name: str) -> str:
    """A name without case, underscores and the Exception suffix: what a near miss shares."""
    folded = name.replace("_", "").replace("-", "").lower()
    return folded.removesuffix("exception")


def _did_you_mean(given: str, choices: tuple[str, ...]) -> str:
    matches = [choice for choice in choices if _folded(choice) == _folded(given)]
    if not matches:
        matches = difflib.get_close_matches(given, choices, n=1, cutoff=0.6)
    return f" Did you mean {matches[0]!r}?" if matches else ""


def _resolve_error(operation: str, error: str) -> str:
    choices = valid_errors(operation)
    for candidate in (error, f"{error}Exception"):
        if candidate in choices:
            return candidate
    raise ValueError(
        f"{error!r} is not an error {'every operation' if operation == '*' else operation} "
        f"declares.{_did_you_mean(error, choices)} Choose one of: {', '.join(choices)} (the "
        "'Exception' suffix may be omitted)."
    )


def _check_type(name: str, value: object, kinds: tuple[type, ...], wanted: str) -> None:
    # bool is an int to Python, never a count or a seed to a reader.
    if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)):
        raise TypeError(f"Fault {name} must be {wanted}; got {value!r} ({type(value).__name__}).")


def request_job_names(operation: str, params: object) -> tuple[str, ...]:
    """The job names a request is about."""
    if not isinstance(params, dict):
        return ()
    if operation == "CreateJob":
        name = params.get("Name")
    elif operation in ("TagResource", "UntagResource", "GetTags"):
        name = job_name_of(params.get("ResourceArn"))
    elif operation == "BatchGetJobs":
        names = params.get("JobNames")
        return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()
    else:
        name = params.get("JobName")
    return (name,) if isinstance(name, str) else ()


class Fault:
    """A rule that makes matching calls fail with one of Glue's errors.

    Made by ``GlueJobsFake.fail()`` or the ``glue_fault`` marker. ``fired`` counts the calls it
    failed. As a context manager it removes itself on exit.
    """

    def __init__(
        self,
        operation: str,
        error: str = "InternalServiceException",
        *,
        times: int | None = None,
        after: int = 0,
        probability: float | None = None,
        seed: int | None = None,
        message: str | None = None,
        job_name: str | None = None,
    ) -> None:
        self.operation, self.error, self.fired = operation, error, 0  # for repr() if refused
        _check_type("operation", operation, (str,), "an operation name such as 'GetJob'")
        _check_type("error", error, (str,), "an error code such as 'InternalServiceException'")
        _check_type("times", times, (int,), "a whole number of calls, or None")
        _check_type("after", after, (int,), "a whole number of calls")
        _check_type("probability", probability, (int, float), "a number from 0 to 1, or None")
        _check_type("seed", seed, (int,), "a whole number, or None")
        _check_type("message", message, (str,), "a str, or None")
        _check_type("job_name", job_name, (str,), "a job name, or None")
        if operation != "*" and operation not in OPERATIONS:
            raise ValueError(
                f"{operation!r} is not an operation the fake implements."
                f"{_did_you_mean(operation, OPERATIONS)} Choose one of: {', '.join(OPERATIONS)}, "
                "or '*' for all of them."
            )
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1 (or None for every call); got {times}.")
        if after < 0:
            raise ValueError(f"after must be 0 or more; got {after}.")
        if probability is not None and not 0.0 <= probability <= 1.0:
            raise ValueError(f"probability must be between 0 and 1; got {probability}.")
        if seed is not None and probability is None:
            raise ValueError(
                f"seed={seed!r} only seeds the draws of probability=, which is not set, so it "
                "would change nothing. Give probability= too, or drop seed."
            )
        if job_name is not None and operation in _LISTINGS:
            raise ValueError(
                f"job_name cannot restrict {operation}: its requests name no job, so the "
                "fault would never fire. Drop job_name or choose another operation."
            )
        self.operation = operation
        self.error = _resolve_error(operation, error)
        self.times = times
        self.after = after
        self.probability = probability
        self.seed = seed
        self.message = message if message is not None else _default_message(self.error)
        self.job_name = job_name
        self.fired = 0
        self._seen = 0
        self._random = random.Random(seed)
        self._rules: FaultRules | None = None

    @property
    def status(self) -> int:
        """The HTTP status Glue answers this error with: 500 for the one server fault."""
        return 500 if self.error == "InternalServiceException" else 400

    def remove(self) -> None:
        """Stop injecting; calls from now on are answered normally."""
        if self._rules is not None:
            self._rules.remove(self)

    def __enter__(self) -> Fault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.remove()

    def __repr__(self) -> str:
        options = [
            f"{k}={v!r}"
            for k, v in (
                ("times", getattr(self, "times", None)),
                ("after", getattr(self, "after", None) or None),
                ("probability", getattr(self, "probability", None)),
                ("seed", getattr(self, "seed", None)),
                ("job_name", getattr(self, "job_name", None)),
            )
            if v is not None
        ]
        shown = ", ".join([repr(self.operation), repr(self.error), *options])
        return f"Fault({shown}, fired={self.fired})"

    def _decide(self, operation: str, job_names: tuple[str, ...]) -> bool:
        """Whether this fault would fail the call; counts it when it matches.

        Every matching call is counted and takes the next number from the fault's generator,
        even a call that an earlier fault answers, so that ``after=`` and ``seed=`` mean the same
        calls whatever else is set up. ``fired`` is counted by the rules, for the fault that
        answers. Called under the rules' lock.
        """
        if self.operation not in ("*", operation):
            return False
        if self.job_name is not None and self.job_name not in job_names:
            return False
        self._seen += 1
        drawn = self._random.random() if self.probability is not None else 0.0
        if self._seen <= self.after:
            return False
        if self.times is not None and self.fired >= self.times:
            return False
        return self.probability is None or drawn < self.probability


class FaultRules:
    """The active faults, consulted in the order they were added.

    The first that fails a call answers it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        # Every fault ever added, removed ones too, so one that never fired can be reported.
        self._added: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            fault._rules = self
            self._faults.append(fault)
            self._added.append(fault)
        return fault

    def unfired(self) -> list[Fault]:
        with self._lock:
            return [fault for fault in self._added if fault.fired == 0]

    def remove(self, fault: Fault) -> None:
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._added.clear()

    def check(self, operation: str, params: object) -> GlueError | None:
        """The error to answer with if a fault fires for this call, else None."""
        if not self._faults:
            return None
        job_names = request_job_names(operation, params)
        with self._lock:
            answering: Fault | None = None
            for fault in self._faults:
                # Every fault sees the call (see Fault._decide); the first that fails it answers.
                if fault._decide(operation, job_names) and answering is None:
                    answering = fault
            if answering is None:
                return None
            answering.fired += 1
            return GlueError(answering.error, answering.message, answering.status)


class GlueFaultNotFiredWarning(UserWarning):
    """A fault set for a test never failed a call: the test may not reach what it meant to break."""


GlueFaultNotFiredWarning.__module__ = "pytest_gluejobs"  # its public name
