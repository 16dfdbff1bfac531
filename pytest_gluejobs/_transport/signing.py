"""While patches are installed, Glue requests are signed with test credentials, never the caller's.

Nothing signed here leaves the process, but a session that resolved real credentials before the
fake started (botocore caches them) would otherwise sign Glue requests with the real keys, and a
refreshable credential could even call STS to renew itself. Substituting the test credentials at
signing time rules both out, for botocore's ``RequestSigner`` and aiobotocore's async one (patched
when aiobotocore is imported). A 12-digit access key id is kept: it names the fake's account
(docs/architecture.md), and no real AWS key looks like that.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from typing import Any

from botocore.credentials import Credentials
from botocore.signers import RequestSigner

TEST_ACCESS_KEY_ID = "testing"
#: Random for each process: the loopback endpoint answers only requests signed with it, so only
#: processes the fake handed it to (its children, through the environment) are answered there.
TEST_SECRET_ACCESS_KEY = secrets.token_hex(20)
_TEST_CREDENTIALS = Credentials(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)

#: (signer class, original get_auth_instance) of every patch in place.
_patched: list[tuple[Any, Any]] = []


def _names_an_account(credentials: Any) -> bool:
    # Only plain credentials are read (botocore's, or aiobotocore's subclass that adds nothing but
    # an async read): reading refreshable ones may renew them over the network.
    if type(credentials) is not Credentials and type(credentials).__name__ != "AioCredentials":
        return False
    key = credentials.access_key
    # What the regex \d{12} matches (Unicode decimal digits), without running a regex.
    return isinstance(key, str) and len(key) == 12 and key.isdecimal()


def names_an_account(access_key_id: str) -> bool:
    """Whether an access key id sent over HTTP is 12 ASCII digits: an account the fake answers."""
    return len(access_key_id) == 12 and access_key_id.isascii() and access_key_id.isdecimal()


def secret_for(access_key_id: str) -> str | None:
    """The secret key the fake handed out with ``access_key_id``, or None if it handed none out.

    The test key id, or a 12-digit one naming an account, with this process's secret.
    """
    if access_key_id == TEST_ACCESS_KEY_ID or names_an_account(access_key_id):
        return TEST_SECRET_ACCESS_KEY
    return None


def _with_test_credentials(
    signer: Any, args: tuple[Any, ...], kwargs: dict[str, Any], test_credentials: Any
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    signing_name = args[0] if args else kwargs.get("signing_name")
    if signing_name == "glue" and not _names_an_account(signer._credentials):
        if args:
            kwargs["signing_name"], args = args[0], args[1:]
        kwargs["request_credentials"] = test_credentials
    return args, kwargs


def _signing_glue_with_test_credentials(original: Callable[..., Any]) -> Callable[..., Any]:
    # A plain function, not a wrapt wrapper: every request of every client is signed through it
    # while a fake is active, and binding it as a method costs a third of what a wrapper does.
    def get_auth_instance(signer: Any, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = _with_test_credentials(signer, args, kwargs, _TEST_CREDENTIALS)
        return original(signer, *args, **kwargs)

    return get_auth_instance


def _async_signing_glue_with_test_credentials(original: Callable[..., Any]) -> Callable[..., Any]:
    from aiobotocore.credentials import AioCredentials

    test_credentials = AioCredentials(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)

    async def get_auth_instance(signer: Any, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = _with_test_credentials(signer, args, kwargs, test_credentials)
        return await original(signer, *args, **kwargs)

    return get_auth_instance


def _patch(signer_class: Any, make: Callable[[Any], Any]) -> None:
    original = signer_class.__dict__["get_auth_instance"]
    signer_class.get_auth_instance = make(original)
    _patched.append((signer_class, original))


def install() -> None:
    """Patch botocore's signer, and aiobotocore's if it is imported (idempotent)."""
    patched = {signer_class for signer_class, _ in _patched}
    if RequestSigner not in patched:
        _patch(RequestSigner, _signing_glue_with_test_credentials)
    aio_signer = getattr(sys.modules.get("aiobotocore.signers"), "AioRequestSigner", None)
    if aio_signer is not None and aio_signer not in patched:
        _patch(aio_signer, _async_signing_glue_with_test_credentials)


def uninstall() -> None:
    while _patched:
        signer_class, original = _patched.pop()
        signer_class.get_auth_instance = original
