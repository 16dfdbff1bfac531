"""While a fake is active, Glue requests are signed with test credentials, never the caller's.

Nothing signed here leaves the process, but a session that resolved real credentials before the
fake started (botocore caches them) would otherwise sign Glue requests with the real keys, and a
refreshable credential could even call STS to renew itself. Substituting the test credentials at
signing time rules both out. A 12-digit access key id is kept: it names the fake's account
(DESIGN §3), and no real AWS key looks like that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.credentials import Credentials
from botocore.signers import RequestSigner

TEST_ACCESS_KEY_ID = "testing"
TEST_SECRET_ACCESS_KEY = "testing"
_TEST_CREDENTIALS = Credentials(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)

_original: Any = None


def _names_an_account(credentials: Any) -> bool:
    # Only plain credentials are read: reading refreshable ones may renew them over the network.
    if type(credentials) is not Credentials:
        return False
    key = credentials.access_key
    # What the regex \d{12} matches (Unicode decimal digits), without running a regex.
    return isinstance(key, str) and len(key) == 12 and key.isdecimal()


def _signing_glue_with_test_credentials(original: Callable[..., Any]) -> Callable[..., Any]:
    # A plain function, not a wrapt wrapper: every request of every client is signed through it
    # while a fake is active, and binding it as a method costs a third of what a wrapper does.
    def get_auth_instance(signer: Any, *args: Any, **kwargs: Any) -> Any:
        signing_name = args[0] if args else kwargs.get("signing_name")
        if signing_name == "glue" and not _names_an_account(signer._credentials):
            if args:
                kwargs["signing_name"], args = args[0], args[1:]
            kwargs["request_credentials"] = _TEST_CREDENTIALS
        return original(signer, *args, **kwargs)

    return get_auth_instance


def install() -> None:
    global _original
    if _original is None:
        _original = RequestSigner.__dict__["get_auth_instance"]
        RequestSigner.get_auth_instance = _signing_glue_with_test_credentials(_original)


def uninstall() -> None:
    global _original
    if _original is not None:
        RequestSigner.get_auth_instance = _original
        _original = None
