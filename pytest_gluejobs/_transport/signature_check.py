"""Checking a request's SigV4 signature as AWS does, by recomputing it with botocore's signer.

The loopback endpoint answers only requests signed with credentials the fake handed out. The
signature is recomputed over the request as received (method, path, query, the headers the
client says it signed, the body) with ``botocore.auth.SigV4Auth``, and compared in constant time.
A refusal is one of the errors AWS's JSON services answer (see
https://docs.aws.amazon.com/glue/latest/webapi/CommonErrors.html): a missing signature is
``MissingAuthenticationTokenException``, a malformed one ``IncompleteSignatureException``, an
unknown key or any session token ``UnrecognizedClientException``, and a wrong signature (or a
scope naming another service) ``InvalidSignatureException``. The date is not checked against
the clock: tests freeze the clock, and nothing crosses the loopback that could be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping

from botocore.auth import SigV4Auth
from botocore.credentials import Credentials

from .._core.errors import GlueError

_ALGORITHM = "AWS4-HMAC-SHA256"
_SERVICE = "glue"

_MISSING = GlueError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
_UNRECOGNIZED = GlueError(
    "UnrecognizedClientException", "The security token included in the request is invalid."
)
_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)
#: What a refusal adds for a person reading it in a child's output.
_HINT = (
    " (pytest-gluejobs: this endpoint answers requests signed with the AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY the fake put in the environment of the test's child processes; "
    "`python -m pytest_gluejobs serve` prints the ones it answers.)"
)


class _Received:
    """The request as the signer reads it (what ``AWSRequest`` offers, without preparing one)."""

    def __init__(self, method: str, url: str, headers: _SignedHeaders, timestamp: str) -> None:
        self.method = method
        self.url = url
        self.params: dict[str, str] = {}  # the query string is read from the url
        self.headers = headers
        self.context = {"timestamp": timestamp}


class _SignedHeaders(dict[str, list[str]]):
    """The headers the client signed, by lower-case name, as botocore's signer iterates them."""

    def get_all(self, name: str) -> list[str]:
        return self[name]


class _Signer(SigV4Auth):  # type: ignore[misc]  # botocore is untyped
    """botocore's signer over the headers the client says it signed and the body's hash."""

    def __init__(self, secret: str, access_key: str, region: str, payload_hash: str) -> None:
        super().__init__(Credentials(access_key, secret), _SERVICE, region)
        self._payload_hash = payload_hash

    def headers_to_sign(self, request: _Received) -> _SignedHeaders:
        return request.headers

    def payload(self, request: _Received) -> str:
        return self._payload_hash


def check(
    method: str,
    url: str,
    headers: Mapping[str, list[str]],
    body: bytes,
    secret_for: Callable[[str], str | None],
) -> GlueError | None:
    """Why the request must be refused, or None if its signature is good.

    ``headers`` maps lower-case names to every value received; ``url`` is the request's address
    as the client wrote it (``http://<Host header><path>?<query>``).
    """
    authorization = headers.get("authorization")
    if not authorization:
        return _MISSING
    if len(authorization) > 1:
        return _incomplete("The request has more than one Authorization header.")
    fields = _fields(authorization[0])
    if fields is None:
        return _incomplete(
            f"Authorization header requires '{_ALGORITHM} Credential=..., SignedHeaders=..., "
            f"Signature=...'; got {_shown(authorization[0])}."
        )
    credential = fields["Credential"].split("/")
    if len(credential) != 5:
        return _incomplete(
            "Credential must have the form <access key>/<date>/<region>/<service>/aws4_request; "
            f"got {_shown(fields['Credential'])}."
        )
    access_key, day, region, service, terminator = credential
    if service != _SERVICE:
        return GlueError(
            "InvalidSignatureException",
            f"Credential should be scoped to correct service: '{_SERVICE}'. This endpoint answers "
            f"AWS Glue only; the request was signed for {_shown(service)}: point that service's "
            "client at its own endpoint.",
        )
    if terminator != "aws4_request":
        return GlueError(
            "InvalidSignatureException",
            "Credential should be scoped with a valid terminator: 'aws4_request', "
            f"not {_shown(terminator)}.",
        )
    amz_date = headers.get("x-amz-date")
    if not amz_date or len(amz_date) > 1:
        return _incomplete("Authorization header requires existence of a 'X-Amz-Date' header.")
    timestamp = amz_date[0]
    if timestamp[:8] != day:
        return GlueError(
            "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: {_shown(day)} != {_shown(timestamp[:8])}, from {_shown(timestamp)}.",
        )
    signed = fields["SignedHeaders"].split(";")
    if "host" not in signed:
        return GlueError(
            "InvalidSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        )
    secret = secret_for(access_key)
    if secret is None or "x-amz-security-token" in headers:
        return GlueError(_UNRECOGNIZED.code, _UNRECOGNIZED.message + _HINT)
    if any(name not in headers for name in signed):
        return GlueError("InvalidSignatureException", _MISMATCH + _HINT)
    payload_hash = hashlib.sha256(body).hexdigest()
    declared = headers.get("x-amz-content-sha256")
    if declared is not None and declared != [payload_hash]:
        return GlueError(
            "InvalidSignatureException",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    request = _Received(
        method, url, _SignedHeaders((name, headers[name]) for name in signed), timestamp
    )
    signer = _Signer(secret, access_key, region, payload_hash)
    expected = signer.signature(
        signer.string_to_sign(request, signer.canonical_request(request)), request
    )
    # As bytes: compare_digest refuses text that is not ASCII, and the client chose this text.
    if not hmac.compare_digest(expected.encode(), fields["Signature"].encode("utf-8", "replace")):
        return GlueError("InvalidSignatureException", _MISMATCH + _HINT)
    return None


def _fields(authorization: str) -> dict[str, str] | None:
    algorithm, _, rest = authorization.partition(" ")
    if algorithm != _ALGORITHM:
        return None
    fields = {}
    for part in rest.split(","):
        name, equals, value = part.strip().partition("=")
        if not equals or name in fields:
            return None
        fields[name] = value
    if set(fields) != {"Credential", "SignedHeaders", "Signature"}:
        return None
    return fields


def _incomplete(message: str) -> GlueError:
    return GlueError("IncompleteSignatureException", message)


def _shown(value: str) -> str:
    """A value as a message quotes it: short, and as text even when it is not printable."""
    return repr(value if len(value) <= 100 else value[:100] + "...")
