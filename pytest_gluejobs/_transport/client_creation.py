"""While patches are installed, creating a Glue client never needs the network.

botocore resolves a client's credentials when it is created, and a profile whose credentials come
from a role, SSO, a process, a container or the instance-metadata service reaches for the network
to do so (or fails). A Glue client whose caller gave no keys gets them here from local sources
only, in botocore's order: the environment (unless a profile was named), the shared credentials
file, the config file; else the test credentials. Keys found there still name the fake's account
(a 12-digit access key id); requests are signed with test credentials either way (``_signing``).
aiobotocore's session is patched the same way once it is imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import botocore.session
from botocore.credentials import ConfigProvider, EnvProvider, SharedCredentialProvider

from .signing import TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY

#: create_client's positional parameters up to aws_access_key_id (service_name, region_name, ...).
_KEY_POSITION = 6

_patched: list[tuple[Any, Any]] = []


def _local_keys(session: Any) -> tuple[str, str, str | None]:
    profile = session.profile
    providers: list[Any] = [] if profile else [EnvProvider()]
    providers.append(
        SharedCredentialProvider(session.get_config_variable("credentials_file"), profile)
    )
    providers.append(
        ConfigProvider(session.get_config_variable("config_file"), profile or "default")
    )
    for provider in providers:
        credentials = provider.load()
        if credentials is not None and credentials.access_key and credentials.secret_key:
            return credentials.access_key, credentials.secret_key, credentials.token
    return TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, None


def _creating_glue_clients_offline(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
        service_name = args[0] if args else kwargs.get("service_name")
        if (
            service_name == "glue"
            and len(args) <= _KEY_POSITION
            and kwargs.get("aws_access_key_id") is None
            and kwargs.get("aws_secret_access_key") is None
            and getattr(session, "_credentials", None) is None
        ):
            access_key, secret_key, token = _local_keys(session)
            kwargs["aws_access_key_id"] = access_key
            kwargs["aws_secret_access_key"] = secret_key
            if kwargs.get("aws_session_token") is None:
                kwargs["aws_session_token"] = token
        return original(session, *args, **kwargs)

    return create_client


def install() -> None:
    """Patch botocore's session, and aiobotocore's if it is imported (idempotent)."""
    patched = {session_class for session_class, _ in _patched}
    aio_session = getattr(sys.modules.get("aiobotocore.session"), "AioSession", None)
    for session_class in (botocore.session.Session, aio_session):
        if session_class is not None and session_class not in patched:
            original = session_class.__dict__["create_client"]
            session_class.create_client = _creating_glue_clients_offline(original)
            _patched.append((session_class, original))


def uninstall() -> None:
    while _patched:
        session_class, original = _patched.pop()
        session_class.create_client = original
