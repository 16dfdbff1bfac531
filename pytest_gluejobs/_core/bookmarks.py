"""Job bookmarks: GetJobBookmark and ResetJobBookmark, and the entry a successful run advances.

Glue keeps one bookmark entry per job (the "continuation" of the Developer Guide's
https://docs.aws.amazon.com/glue/latest/dg/monitor-continuations.html). A run of a job whose
arguments (the run's, over the job's DefaultArguments) say
``--job-bookmark-option job-bookmark-enable`` advances it when the run succeeds; ``pause`` and
``disable`` (the default) leave it alone. A job that has never recorded one has no entry, and Glue
answers EntityNotFoundException "Continuation for job <name> not found": recorded for
ResetJobBookmark (https://github.com/nikhilpenmetsa/glue-hudi/blob/46eacde697fd14976d1250c4cd05ce8919111a81/runJob.sh),
and what clients that read watermarks expect of GetJobBookmark
(https://alchemy.run/providers/aws/glue/getjobbookmark).

The bookmark itself (``JobBookmark``) is what the job's script committed, per transformation
context; no script runs here, so an advanced entry carries an empty state, ``"{}"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import GlueError

#: The argument, and the value of it, that turns bookmarks on for a run.
BOOKMARK_OPTION = "--job-bookmark-option"
BOOKMARK_ENABLED = "job-bookmark-enable"
#: What an entry's JobBookmark holds when no script committed anything (ours: no script runs).
EMPTY_STATE = "{}"


class JobBookmark:
    """One job's entry (as JobBookmarkEntry shows it) and the entry after each run it recorded."""

    __slots__ = ("by_run", "entry")

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        #: The entry as each recorded run left it, by run id (ResetJobBookmark's RunId rewinds).
        self.by_run: dict[str, dict[str, Any]] = {}


def bookmarks_enabled(run: Mapping[str, Any], job: Mapping[str, Any]) -> bool:
    """Whether a run's arguments (over its job's DefaultArguments) enable bookmarks."""
    arguments = {**(job.get("DefaultArguments") or {}), **(run.get("Arguments") or {})}
    return arguments.get(BOOKMARK_OPTION) == BOOKMARK_ENABLED


def record_run(bookmarks: dict[str, JobBookmark], run: Mapping[str, Any]) -> None:
    """Advance the job's entry for a run that succeeded with bookmarks enabled."""
    name = run["JobName"]
    current = bookmarks.get(name)
    entry: dict[str, Any] = {
        "JobName": name,
        "Version": 1 if current is None else current.entry["Version"] + 1,
        "Run": 1 if current is None else current.entry["Run"] + 1,
        "Attempt": run.get("Attempt", 0),
        "RunId": run["Id"],
        "JobBookmark": EMPTY_STATE,
    }
    if current is not None and current.entry.get("RunId"):
        entry["PreviousRunId"] = current.entry["RunId"]
    if current is None:
        current = bookmarks[name] = JobBookmark(entry)
    current.entry = entry
    current.by_run[run["Id"]] = entry


def get(bookmarks: Mapping[str, JobBookmark], params: Mapping[str, Any]) -> dict[str, Any]:
    """GetJobBookmark: the job's entry, or the entry as run ``RunId`` left it."""
    bookmark = _bookmark(bookmarks, params["JobName"])
    run_id = params.get("RunId")
    entry = bookmark.entry if run_id is None else _entry_of_run(bookmark, run_id)
    return {"JobBookmarkEntry": dict(entry)}


def reset(bookmarks: dict[str, JobBookmark], params: Mapping[str, Any]) -> dict[str, Any]:
    """ResetJobBookmark: forget what was processed, or rewind to the state run ``RunId`` left.

    The entry stays (its Version moves on), so later runs keep counting from it.
    """
    bookmark = _bookmark(bookmarks, params["JobName"])
    run_id = params.get("RunId")
    if run_id is None:
        entry = {**bookmark.entry, "JobBookmark": EMPTY_STATE}
    else:
        entry = dict(_entry_of_run(bookmark, run_id))
    entry["Version"] = bookmark.entry["Version"] + 1
    bookmark.entry = entry
    return {"JobBookmarkEntry": dict(entry)}


def _bookmark(bookmarks: Mapping[str, JobBookmark], name: str) -> JobBookmark:
    bookmark = bookmarks.get(name)
    if bookmark is None:
        # Glue's recorded text, word for word (no full stop); how an entry comes to exist is in
        # docs/logs-and-bookmarks.md. A job that does not exist answers alike: the bookmark
        # service keeps entries, not jobs (not on record).
        raise GlueError("EntityNotFoundException", f"Continuation for job {name} not found")
    return bookmark


def _entry_of_run(bookmark: JobBookmark, run_id: str) -> dict[str, Any]:
    entry = bookmark.by_run.get(run_id)
    if entry is None:
        raise GlueError(
            "EntityNotFoundException",
            f"Continuation for run {run_id} of job {bookmark.entry['JobName']} not found: the "
            "run did not record a bookmark (it did not succeed with bookmarks enabled).",
        )
    return entry
