"""GlueJobsFake: the controller a test holds — options, activation, faults, the clock.

What it reads, seeds and asserts of its state is in ``_state_helpers`` (a part of the class).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Any

import botocore.session

from . import _clock
from ._core.faults import Fault, FaultRules
from ._core.service import GlueJobsService
from ._core.state import ServiceState
from ._options import FakeOptions, same_parameters_as
from ._state_helpers import StateHelpers
from ._transport import activation as _activation
from ._transport import child_endpoint as _child_endpoint
from ._transport import environment as _environment
from ._transport import interceptor as _interceptor
from ._transport import server as _server
from ._transport.calls import CallLog
from ._transport.signing import TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY

if TYPE_CHECKING:
    from botocore.client import BaseClient

# While active, clients that find no configuration get these; nothing can reach AWS anyway.
_TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": TEST_ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": TEST_SECRET_ACCESS_KEY,
}
_SET_WHILE_ACTIVE = {
    **_TEST_CREDENTIALS,
    # botocore asks the instance-metadata service for credentials, for the region of
    # AWS_DEFAULTS_MODE=auto, and so on; while a fake is active nothing may reach the network.
    "AWS_EC2_METADATA_DISABLED": "true",
    # Unset, the same setting in a config file would make children ignore the endpoint
    # variables; the variable overrides the file
    # (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false",
}
# A session token would not match the test keys; a named profile would override them (botocore
# skips environment credentials when a profile is set explicitly); the container credential
# provider calls an HTTP endpoint.
_UNSET_WHILE_ACTIVE = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)
#: What every fake does to the environment while active, besides its region and endpoint.
_ENVIRON_WHILE_ACTIVE: dict[str, str | None] = {
    **dict.fromkeys(_UNSET_WHILE_ACTIVE),
    **_SET_WHILE_ACTIVE,
}


#: What a fake reads before it sets what children inherit.
_FOR_CHILDREN = (
    _child_endpoint.EVERY_SERVICE,
    *_child_endpoint.PROXIES,
    *_child_endpoint.PROXY_BYPASS,
)


def active_fake_count() -> int:
    """How many fakes are active now (a pytest session remembers it at its start)."""
    return len(_activation.active_owners())


def stop_fakes_started_after(count: int) -> None:
    """Stop the fakes started after ``count`` were active and left running (newest first)."""
    while True:
        owners = _activation.active_owners()
        if len(owners) <= count:
            return
        newest = owners[-1]
        assert isinstance(newest, GlueJobsFake)
        newest.stop()


@cache
def _botocore_session() -> botocore.session.Session:
    # One session for the process: building one reloads service models (moto's 100 ms per test).
    return botocore.session.get_session()


class GlueJobsFake(StateHelpers):
    """An in-process fake of the Glue job-definition API, answering every botocore client.

    The ``glue_jobs`` fixture and ``mock_glue_jobs`` create and activate it; construct it yourself
    only for type hints. Its keywords are those of ``FakeOptions``.
    """

    @same_parameters_as(FakeOptions)
    def __init__(self, **options: Any) -> None:
        self._setup(FakeOptions(**options))

    @classmethod
    def _from_options(cls, options: FakeOptions) -> GlueJobsFake:
        """A fake with these options (the plugin and mock_glue_jobs pass them whole)."""
        fake = cls.__new__(cls)
        fake._setup(options)
        return fake

    def _setup(self, options: FakeOptions) -> None:
        #: The settings this fake was made with; reset() keeps them.
        self.options = options
        self.region = options.region
        self.account_id = options.account_id
        self._state = ServiceState(options.default_glue_version, tuple(options.extra_glue_versions))
        self._faults = FaultRules()
        self._calls = CallLog()
        self._interceptor = _interceptor.Interceptor(
            self._state.service,
            self._faults,
            self._calls,
            default_partition=(options.account_id, options.region),
            # Under virtual time botocore's back-offs are slept: they move the fake's clock.
            real_retry_sleep=options.real_retry_sleep or options.virtual_time,
        )
        self._endpoint: _server.LoopbackEndpoint | None = None
        #: Frozen at the options' time (if any) whenever the fake is active, and where it was
        #: left across stop() and start().
        self._clock = _clock.Clock(virtual=options.virtual_time)
        if options.frozen_time is not None:
            self._clock.freeze(options.frozen_time)
        self.snapshot_context = None

    @property
    def _service(self) -> GlueJobsService:
        return self._state.service

    def __repr__(self) -> str:
        active = "active" if _activation.is_active(self) else "stopped"
        names = self._state.job_names(self._partition(None, None))
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        calls, _ = self._calls.counts()
        return (
            f"<GlueJobsFake {self.account_id}/{self.region} {active}: {len(names)} job(s)"
            f"{f' ({shown})' if names else ''}, {calls} call(s), {len(self.faults)} fault(s)>"
        )

    # -- activation ----------------------------------------------------------------------------

    def start(self) -> GlueJobsFake:
        """Answer Glue requests from now on (the fixture and mock_glue_jobs do this for you).

        The fake answers the requests of the thread or asyncio task that starts it (and of the
        tasks and threads it starts); the environment variables it sets are the process's.
        """
        environ = _ENVIRON_WHILE_ACTIVE.copy()
        environ["AWS_DEFAULT_REGION"] = self.region
        # The JavaScript and Java SDKs read this one, not AWS_DEFAULT_REGION.
        environ["AWS_REGION"] = self.region
        # Child processes (`aws glue ...`, scripts, other SDKs) send their Glue requests to this
        # fake's loopback endpoint, not to AWS.
        self._open_endpoint()
        url = self.endpoint_url
        environ[_child_endpoint.VARIABLE] = url
        # What children send to other services is refused there, naming the service, instead
        # of leaving the machine; the test's own choice (moto's server, LocalStack) stays.
        now = _environment.read(_FOR_CHILDREN)
        if now[_child_endpoint.EVERY_SERVICE] is None:
            environ[_child_endpoint.EVERY_SERVICE] = url
        if any(now[name] for name in _child_endpoint.PROXIES):
            environ.update(_child_endpoint.bypassing_proxies(_server.HOST, now))
        _activation.activate(self, self._interceptor, environ)
        self._clock.start()
        return self

    def stop(self) -> None:
        """Stop answering: undo the patch, the environment and any frozen clock. Idempotent."""
        try:
            self._clock.stop()
        finally:
            if self._endpoint is not None:
                self._endpoint.close()
            _activation.deactivate(self)

    def __enter__(self) -> GlueJobsFake:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> GlueJobsFake:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _open_endpoint(self) -> None:
        # Before activation, whose environment names it; kept when a second start is refused.
        if self._endpoint is None or self._endpoint.closed:
            self._endpoint = _server.LoopbackEndpoint(self._interceptor)

    @property
    def endpoint_url(self) -> str:
        """The loopback address (``http://127.0.0.1:<port>``) where other processes reach the fake.

        While the fake is active its child processes inherit it as ``AWS_ENDPOINT_URL_GLUE``, with
        credentials it answers. Each start opens a new port; once the fake stops, its port
        refuses connections.
        """
        if self._endpoint is None:
            raise RuntimeError(
                "This Glue fake has not been started, so it has no endpoint yet: use the "
                "glue_jobs fixture, or read endpoint_url inside `with mock_glue_jobs() as fake:`."
            )
        return self._endpoint.url

    # -- clients and state ---------------------------------------------------------------------

    def client(self, region_name: str | None = None, **kwargs: Any) -> BaseClient:
        """A botocore Glue client with test credentials, aimed at this fake."""
        kwargs.setdefault("aws_access_key_id", _TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"])
        kwargs.setdefault("aws_secret_access_key", _TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
        return _botocore_session().create_client(
            "glue", region_name=region_name or self.region, **kwargs
        )

    def _call_counts(self) -> tuple[int, int]:
        """(calls, injected failures) without making a Call of each (for the run's summary)."""
        return self._calls.counts()

    def reset(self) -> None:
        """Forget jobs, calls and faults: the fake is as it was when it started.

        Forgotten: every partition's jobs, tags and runs, scripted run states, faults (fired or
        not) and calls; run ids start again from the first. Kept: the fake's options (region,
        account, Glue versions, ...), whether it is active, and its clock (frozen or not, and
        where it stands).
        """
        self._interceptor.service = self._state.reset()
        self._calls.clear()
        self._faults.clear()

    # -- faults ---------------------------------------------------------------------------------

    @same_parameters_as(Fault)
    def fail(self, *args: Any, **kwargs: Any) -> Fault:
        """Make matching calls fail with one of Glue's errors; returns the Fault (its arguments)."""
        return self._faults.add(Fault(*args, **kwargs))

    @property
    def faults(self) -> list[Fault]:
        """The faults in force, in the order they are consulted."""
        return self._faults.all()

    def unfired_faults(self) -> list[Fault]:
        """Faults added since the last reset that never failed a call."""
        return self._faults.unfired()

    # -- time ------------------------------------------------------------------------------------

    def freeze_time(self, when: str | datetime | date | timedelta) -> _clock.Clock:
        """Freeze the clock the fake (and everything else) reads; undone when the fake stops.

        Returns the fake's clock (``tick(delta)``, ``move_to(when)``); it stays frozen across
        stop() and start(). asyncio's event loops keep running on real time.
        """
        return self._clock.freeze(when)
