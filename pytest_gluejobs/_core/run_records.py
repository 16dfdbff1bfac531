"""The job runs the store keeps: each run's data, its steps still to come, and each job's index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Every JobRunState (model), the ones that still change, and the final ones.
ACTIVE_STATES = ("STARTING", "RUNNING", "STOPPING", "WAITING")
FINAL_STATES = ("STOPPED", "SUCCEEDED", "FAILED", "TIMEOUT", "ERROR", "EXPIRED")
RUN_STATES = ACTIVE_STATES + FINAL_STATES
#: What a run goes through unless the test scripts otherwise.
DEFAULT_STATES = ("RUNNING", "SUCCEEDED")


@dataclass(frozen=True)
class Script:
    """The states a job's runs go through after STARTING, and the ErrorMessage of a failure."""

    states: tuple[str, ...] = DEFAULT_STATES
    error_message: str | None = None
    #: The lines a run writes to CloudWatch Logs once it runs.
    logs: tuple[str, ...] = ()


class Run:
    """One run: what GetJobRun shows, and the steps it has still to take."""

    __slots__ = ("data", "error_message", "logs", "number", "steps")

    def __init__(self, data: dict[str, Any], script: Script, number: int = 0) -> None:
        self.data = data
        self.steps = list(script.states)
        self.error_message = script.error_message
        self.logs = script.logs
        #: Order of starting within the fake: runs started at one frozen instant still sort.
        self.number = number

    @property
    def state(self) -> str:
        return str(self.data["JobRunState"])


class RunIndex:
    """One job's runs by id, and those not ended yet (oldest first), beside its list of runs.

    A job's list of runs grows (a run started, a retry) or is replaced whole (a snapshot loaded).
    The index follows it: ``catch_up`` indexes the runs added since it last looked, so a look-up
    costs the same with 10 runs or 5,000 and no writer has to remember the index. A list changed
    any other way (not the one indexed, shorter, or no longer holding the run indexed last where
    it was) is indexed anew rather than trusted.
    """

    __slots__ = ("_count", "_last", "_positions", "runs", "unfinished")

    def __init__(self, runs: list[Run]) -> None:
        self.runs = runs
        self._count = 0
        self._last: Run | None = None  # the run at position _count - 1 when last indexed
        # The first run with an id wins, as a scan from the oldest would find it.
        self._positions: dict[str, int] = {}
        #: The runs in an active state, oldest first (a dict used as an ordered set). Runs leave
        #: it when they end; the run operations tell the index (``ended``).
        self.unfinished: dict[Run, None] = {}

    def follows(self, runs: list[Run]) -> bool:
        """Whether this index is of ``runs`` (not of a list since replaced)."""
        count = self._count
        return (
            runs is self.runs
            and len(runs) >= count
            and (count == 0 or runs[count - 1] is self._last)
        )

    def catch_up(self) -> None:
        runs = self.runs
        for position in range(self._count, len(runs)):
            run = runs[position]
            self._positions.setdefault(run.data["Id"], position)
            if run.state not in FINAL_STATES:
                self.unfinished[run] = None
        self._count = len(runs)
        self._last = runs[-1] if runs else None

    def position(self, run_id: str) -> int | None:
        """Where the run is in the job's list of runs (oldest first), or None."""
        return self._positions.get(run_id)

    def find(self, run_id: str) -> Run | None:
        position = self._positions.get(run_id)
        return None if position is None else self.runs[position]

    def ended(self, run: Run) -> None:
        self.unfinished.pop(run, None)
