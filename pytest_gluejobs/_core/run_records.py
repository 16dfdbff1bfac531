"""The job runs the store keeps: each run's data and the states it has still to go through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: What a run goes through unless the test scripts otherwise.
DEFAULT_STATES = ("RUNNING", "SUCCEEDED")


@dataclass(frozen=True)
class Script:
    """The states a job's runs go through after STARTING, and the ErrorMessage of a failure."""

    states: tuple[str, ...] = DEFAULT_STATES
    error_message: str | None = None


class Run:
    """One run: what GetJobRun shows, and the steps it has still to take."""

    __slots__ = ("data", "error_message", "number", "steps")

    def __init__(self, data: dict[str, Any], script: Script, number: int = 0) -> None:
        self.data = data
        self.steps = list(script.states)
        self.error_message = script.error_message
        #: Order of starting within the fake: runs started at one frozen instant still sort.
        self.number = number

    @property
    def state(self) -> str:
        return str(self.data["JobRunState"])
