"""The Glue operations on plain data: validation, defaults, store, errors.

The seven job-definition operations are here; job runs (``runs``) and tags (``tags``) have
modules of their own and share the store, the rules and the clock.

This is the service core. It knows neither pytest nor botocore's transport: it takes an operation
name, the decoded request and a partition, and returns a Result (the response data, or its JSON
body) or raises GlueError. Nothing a caller does to a result's data reaches the store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from json.encoder import encode_basestring_ascii
from typing import Any

from . import bookmarks as _bookmarks
from . import run_logs as _run_logs
from . import tags as _tags
from .bookmarks import JobBookmark
from .errors import GlueError, invalid_input
from .jsondata import clone
from .model import OPERATIONS
from .pagination import decode_token, encode_token
from .partitions import Partition
from .rules import JobRules, check_tag_keys
from .runs import JobRuns, RunEnd
from .store import JobRecord, JobStore, PartitionJobs, to_json
from .triggers import Triggers
from .validation import validate
from .versions import DEFAULT_GLUE_VERSION, glue_versions

#: Page size when MaxResults is omitted. Glue does not document it (docs/fidelity.md).
DEFAULT_PAGE_SIZE = 100

Params = dict[str, Any]


#: Shared by every result without jobs; never changed.
_NO_JOBS: dict[str, JobRecord | list[JobRecord]] = {}


class Result:
    """A successful answer: plain fields, plus stored jobs that are encoded without being copied.

    ``data()`` is the response as Python data (jobs cloned, timestamps as datetimes); ``body()``
    is Glue's JSON body, spliced from each job's cached encoding so that a 1,000-job page costs
    little more than a join.
    """

    __slots__ = ("_fields", "_jobs")

    def __init__(
        self,
        fields: dict[str, Any],
        jobs: dict[str, JobRecord | list[JobRecord]] | None = None,
    ) -> None:
        self._fields = fields
        self._jobs = jobs or _NO_JOBS

    def data(self) -> dict[str, Any]:
        data = clone(self._fields)
        for key, value in self._jobs.items():
            if isinstance(value, list):
                data[key] = [clone(record.data) for record in value]
            else:
                data[key] = clone(value.data)
        return data

    def body(self) -> bytes:
        if not self._jobs and len(self._fields) == 1:
            ((key, value),) = self._fields.items()
            if type(value) is str:
                # A write's answer ({"Name": ...}): the JSON encoder's set-up per call costs
                # eight times this.
                return (
                    f"{{{encode_basestring_ascii(key)}:{encode_basestring_ascii(value)}}}".encode()
                )
        fields = to_json(self._fields)
        if not self._jobs:
            return fields
        parts = [fields[1:-1]] if self._fields else []
        for key, value in self._jobs.items():
            if isinstance(value, list):
                encoded = b"[" + b",".join(record.wire() for record in value) + b"]"
            else:
                encoded = value.wire()
            parts.append(to_json(key) + b":" + encoded)
        return b"{" + b",".join(parts) + b"}"


#: The sub-millisecond parts a time can have, made once: building a timedelta per write costs
#: as much as reading the clock.
_SUB_MILLISECOND = [timedelta(microseconds=micro) for micro in range(1000)]
_UTC = timezone.utc


def now() -> datetime:
    """The fake's clock: now, cut to milliseconds (Glue's wire format carries no more)."""
    return _now()


def _now() -> datetime:
    # Read at call time so freezegun controls it; Glue's wire format carries milliseconds.
    # (Not time.time_ns(): freezegun derives it from a float, so a frozen .250 would come out as
    # .249.) Subtracting a timedelta costs half of replace(microsecond=...).
    now = datetime.now(_UTC)
    return now - _SUB_MILLISECOND[now.microsecond % 1000]


def _log_run_end(end: RunEnd) -> None:
    """A run's lines, if it never ran, and its ErrorMessage go to CloudWatch Logs."""
    _run_logs.run_finished(end.jobs.logs, end.run.data, end.job, end.run.logs, end.at)


def _bookmark_run_end(end: RunEnd) -> None:
    """A run that succeeded with bookmarks enabled advances its job's bookmark."""
    data = end.run.data
    if end.run.state == "SUCCEEDED" and _bookmarks.bookmarks_enabled(data, end.job):
        _bookmarks.record_run(end.jobs.bookmarks, data)


def _job_not_found() -> GlueError:
    # The real message has no job name in it (recorded; docs/fidelity.md, GetJob).
    return GlueError("EntityNotFoundException", "Job not found.")


class GlueJobsService:
    """The fake Glue job-definition service for every partition."""

    def __init__(
        self,
        *,
        default_glue_version: str = DEFAULT_GLUE_VERSION,
        extra_glue_versions: tuple[str, ...] = (),
    ) -> None:
        self.rules = JobRules(default_glue_version, glue_versions(extra_glue_versions))
        self.store = JobStore()
        self.runs = JobRuns(self.store, self.rules)
        self.triggers = Triggers(self.store)
        self.triggers.use(self.runs)
        # What a run's end changes besides the run: in this order, all under the store's lock.
        self.runs.listeners += [_log_run_end, _bookmark_run_end, self.triggers.run_ended]

    def handle(self, operation: str, params: object, partition: Partition) -> Result:
        """Answer one request; raises GlueError for whatever Glue would refuse.

        ``params`` is handed over: the caller must not use it afterwards. Handlers get it
        validated, without null members, and keep parts of it (a job is built from the request).
        """
        if self.triggers.scheduled:  # schedules fire lazily, before the request is answered
            self.triggers.catch_up(_now())
        return _HANDLERS[operation](self, validate(operation, params), partition)

    # -- writes ---------------------------------------------------------------------------------

    def _create_job(self, params: Params, partition: Partition) -> Result:
        # ``params`` was handed over: without its tags, it becomes the job.
        name = params["Name"]
        tags = params.pop("Tags", None)
        if tags:
            check_tag_keys(tags)
        now = _now()
        job = self.rules.build_job(params, created_on=now, last_modified_on=now)
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            if name in jobs.jobs:
                raise GlueError("AlreadyExistsException", f"Job {name} already exists.")
            jobs.add(name, job, tags)
        return Result({"Name": name})

    def _update_job(self, params: Params, partition: Partition) -> Result:
        name = params["JobName"]
        update = params["JobUpdate"]
        for member in ("Role", "Command"):
            if update.get(member) is None:
                raise invalid_input(
                    f"JobUpdate.{member} is required: UpdateJob replaces the whole definition, "
                    "so send every field the job should keep (read it with GetJob first)."
                )
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            current = jobs.jobs.get(name)
            if current is None:
                raise _job_not_found()
            job = self.rules.build_job(
                {"Name": name, **update},
                created_on=current.data["CreatedOn"],
                last_modified_on=_now(),
                current=current.data,
            )
            jobs.put(name, job, current.tags)  # UpdateJob leaves tags alone
        return Result({"JobName": name})

    def _delete_job(self, params: Params, partition: Partition) -> Result:
        name = params["JobName"]
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            jobs.remove(name)
        return Result({"JobName": name})

    # -- runs and tags ----------------------------------------------------------------------------

    def _start_job_run(self, params: Params, partition: Partition) -> Result:
        with self.store.lock:
            return Result(self.runs.start(params, partition, _now()))

    def _get_job_run(self, params: Params, partition: Partition) -> Result:
        with self.store.lock:
            run = self.runs.get(params, partition, _now())
            return Result({"JobRun": clone(run.data)})

    def _get_job_runs(self, params: Params, partition: Partition) -> Result:
        with self.store.lock:
            runs, token = self.runs.page(params, partition, _now())
            fields: dict[str, Any] = {"JobRuns": [clone(run.data) for run in runs]}
        if token is not None:
            fields["NextToken"] = token
        return Result(fields)

    def _batch_stop_job_run(self, params: Params, partition: Partition) -> Result:
        with self.store.lock:
            return Result(self.runs.stop(params, partition, _now()))

    # -- reads ----------------------------------------------------------------------------------

    def _get_job(self, params: Params, partition: Partition) -> Result:
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            job = jobs.jobs.get(params["JobName"])
            if job is None:
                raise _job_not_found()
            return Result({}, {"Job": job})

    def _get_jobs(self, params: Params, partition: Partition) -> Result:
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            names, token = self._page(jobs, "GetJobs", params, partition, None)
            records = [jobs.jobs[name] for name in names]
        return Result({} if token is None else {"NextToken": token}, {"Jobs": records})

    def _list_jobs(self, params: Params, partition: Partition) -> Result:
        tags = params.get("Tags") or None
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            names, token = self._page(jobs, "ListJobs", params, partition, tags)
        fields: dict[str, Any] = {"JobNames": names}
        if token is not None:
            fields["NextToken"] = token
        return Result(fields)

    def _batch_get_jobs(self, params: Params, partition: Partition) -> Result:
        # Request order, each name once (Glue documents neither; docs/fidelity.md).
        requested = list(dict.fromkeys(params["JobNames"]))
        with self.store.lock:
            jobs = self.store.jobs_of(partition)
            found = [jobs.jobs[name] for name in requested if name in jobs.jobs]
            missing = [name for name in requested if name not in jobs.jobs]
        return Result({"JobsNotFound": missing}, {"Jobs": found})

    @staticmethod
    def _page(
        jobs: PartitionJobs,
        operation: str,
        params: Params,
        partition: Partition,
        tags: dict[str, str] | None,
    ) -> tuple[list[str], str | None]:
        """One page of names in name order, tag-filtered before paging, and the next token."""
        limit = params.get("MaxResults") or DEFAULT_PAGE_SIZE
        token = params.get("NextToken")
        after = None if token is None else decode_token(token, operation, partition, tags)
        if tags is None:
            start = jobs.names_after(after)
            page = jobs.names[start : start + limit]
            more = start + limit < len(jobs.names)
        else:
            page, more = [], False
            for name in jobs.tagged_after(tags, after):
                if len(page) == limit:
                    more = True
                    break
                page.append(name)
        next_token = encode_token(operation, partition, tags, page[-1]) if more else None
        return page, next_token


Handler = Callable[[GlueJobsService, Params, Partition], Result]


def _on_tags(operation: Callable[[JobStore, Params, Partition], dict[str, Any]]) -> Handler:
    def handle(service: GlueJobsService, params: Params, partition: Partition) -> Result:
        with service.store.lock:
            return Result(operation(service.store, params, partition))

    return handle


def _on_bookmarks(operation: Callable[[dict[str, JobBookmark], Params], dict[str, Any]]) -> Handler:
    def handle(service: GlueJobsService, params: Params, partition: Partition) -> Result:
        with service.store.lock:
            return Result(operation(service.store.jobs_of(partition).bookmarks, params))

    return handle


#: Each operation's handler, made once: a service is made per fake, and per reset.
_HANDLERS: dict[str, Handler] = {
    "CreateJob": GlueJobsService._create_job,
    "UpdateJob": GlueJobsService._update_job,
    "GetJob": GlueJobsService._get_job,
    "GetJobs": GlueJobsService._get_jobs,
    "DeleteJob": GlueJobsService._delete_job,
    "ListJobs": GlueJobsService._list_jobs,
    "BatchGetJobs": GlueJobsService._batch_get_jobs,
    "StartJobRun": GlueJobsService._start_job_run,
    "GetJobRun": GlueJobsService._get_job_run,
    "GetJobRuns": GlueJobsService._get_job_runs,
    "BatchStopJobRun": GlueJobsService._batch_stop_job_run,
    "TagResource": _on_tags(_tags.tag_resource),
    "UntagResource": _on_tags(_tags.untag_resource),
    "GetTags": _on_tags(_tags.get_tags),
    "GetJobBookmark": _on_bookmarks(_bookmarks.get),
    "ResetJobBookmark": _on_bookmarks(_bookmarks.reset),
    "CreateTrigger": lambda s, p, part: Result(s.triggers.create(p, part, _now())),
    "UpdateTrigger": lambda s, p, part: Result(s.triggers.update(p, part, _now())),
    "GetTrigger": lambda s, p, part: Result(s.triggers.get(p, part)),
    "GetTriggers": lambda s, p, part: Result(s.triggers.page("GetTriggers", p, part)),
    "BatchGetTriggers": lambda s, p, part: Result(s.triggers.batch_get(p, part)),
    "ListTriggers": lambda s, p, part: Result(s.triggers.page("ListTriggers", p, part)),
    "DeleteTrigger": lambda s, p, part: Result(s.triggers.delete(p, part)),
    "StartTrigger": lambda s, p, part: Result(s.triggers.start(p, part, _now())),
    "StopTrigger": lambda s, p, part: Result(s.triggers.stop(p, part)),
}
assert tuple(_HANDLERS) == OPERATIONS
