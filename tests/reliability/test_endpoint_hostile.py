"""Hostile input over HTTP: the loopback endpoint refuses what it must, bounded, and stays up.

Requests are built by hand (signed with botocore's own SigV4 signer where they need a signature)
and sent over plain sockets, so each byte is the test's choice. A refused request changes
nothing: the fake's jobs and calls are compared before and after. The error codes and messages
for signatures are AWS's, from the common errors of its JSON services
(https://docs.aws.amazon.com/glue/latest/webapi/CommonErrors.html) and as Glue answers them
(https://github.com/awslabs/aws-glue-libs/issues/56: UnrecognizedClientException, status 400).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import sys
import threading
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from helpers import port_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_gluejobs import GlueJobsFake
from pytest_gluejobs._transport import http_wire, server

JSON_1_1 = "application/x-amz-json-1.1"
CREATE = json.dumps(
    {"Name": "j", "Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/x.py"}}
)


def signed(
    fake: GlueJobsFake,
    body: str = CREATE,
    *,
    target: str = "AWSGlue.CreateJob",
    key: str = "testing",
    secret: str | None = None,
    service: str = "glue",
    token: str | None = None,
    content_type: str = JSON_1_1,
) -> dict[str, str]:
    """The headers of a request signed as an SDK signs it (secret: the one the fake handed out)."""
    request = AWSRequest(
        "POST",
        fake.endpoint_url + "/",
        data=body.encode(),
        headers={"X-Amz-Target": target, "Content-Type": content_type},
    )
    credentials = Credentials(key, secret or os.environ["AWS_SECRET_ACCESS_KEY"], token)
    SigV4Auth(credentials, service, "us-east-1").add_auth(request)
    return {**dict(request.headers), "Host": f"127.0.0.1:{port_of(fake)}"}


def post(fake: GlueJobsFake, headers: dict[str, str], body: str = CREATE) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port_of(fake), timeout=30)
    try:
        connection.request("POST", "/", body=body.encode(), headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def exchange(fake: GlueJobsFake, data: bytes, timeout: float = 30) -> bytes:
    """Send raw bytes, read until the endpoint closes the connection."""
    with socket.create_connection(("127.0.0.1", port_of(fake)), timeout=timeout) as connection:
        connection.sendall(data)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


@pytest.fixture
def unchanged(glue_jobs: GlueJobsFake) -> Iterator[GlueJobsFake]:
    """The fake, checked at the end to hold exactly the seeded job, and to have seen no call but
    the GetJobs a test sends to show the endpoint still answers."""
    glue_jobs.add_job(
        Name="seeded", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/s.py"}
    )
    yield glue_jobs
    glue_jobs.assert_job_names("seeded")
    assert [call.operation for call in glue_jobs.calls if call.operation != "GetJobs"] == []


def test_a_request_signed_with_the_handed_out_credentials_is_answered(
    glue_jobs: GlueJobsFake,
) -> None:
    status, body = post(glue_jobs, signed(glue_jobs))
    assert (status, body) == (200, {"Name": "j"})
    glue_jobs.assert_job("j", Command={"Name": "glueetl"})


def _refusals(fake: GlueJobsFake) -> dict[str, tuple[dict[str, str], str]]:
    good = signed(fake)
    unsigned = {k: v for k, v in good.items() if k != "Authorization"}
    auth = good["Authorization"]
    return {
        "unsigned": (unsigned, CREATE),
        "unknown key": (signed(fake, key="AKIAIOSFODNN7EXAMPLE"), CREATE),
        "wrong secret": (signed(fake, secret="testing"), CREATE),
        "body changed after signing": (good, CREATE.replace('"j"', '"k"')),
        "a session token": (signed(fake, token="FwoGZXIvYXdzEXAMPLE"), CREATE),
        "signed for another service": (signed(fake, service="logs"), CREATE),
        "not SigV4": ({**good, "Authorization": "Bearer abc"}, CREATE),
        "a signature that is not ASCII": (
            {**good, "Authorization": re.sub("Signature=.*", "Signature=" + "\u00e9" * 64, auth)},
            CREATE,
        ),
    }


EXPECTED = {
    "unsigned": (403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
    "unknown key": (400, "UnrecognizedClientException", "The security token included"),
    "wrong secret": (400, "InvalidSignatureException", "The request signature we calculated"),
    "body changed after signing": (400, "InvalidSignatureException", "does not match"),
    "a session token": (400, "UnrecognizedClientException", "The security token included"),
    "signed for another service": (400, "InvalidSignatureException", "'logs'"),
    "not SigV4": (400, "IncompleteSignatureException", "AWS4-HMAC-SHA256"),
    "a signature that is not ASCII": (400, "InvalidSignatureException", "does not match"),
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_a_request_not_signed_with_the_handed_out_credentials_is_refused(
    unchanged: GlueJobsFake, case: str
) -> None:
    headers, body = _refusals(unchanged)[case]
    status, answer = post(unchanged, headers, body)
    code, fragment = EXPECTED[case][1:]
    assert status == EXPECTED[case][0]
    assert answer["__type"] == code
    assert fragment in answer["message"]


def test_a_request_for_another_service_is_refused_naming_it(unchanged: GlueJobsFake) -> None:
    target = "Logs_20140328.GetLogEvents"
    status, answer = post(unchanged, signed(unchanged, "{}", target=target), "{}")
    assert status == 400
    assert answer["__type"] == "UnknownOperationException"
    assert target in answer["message"] and "AWS Glue only" in answer["message"]


def test_a_wrong_content_type_is_refused_naming_it(unchanged: GlueJobsFake) -> None:
    status, answer = post(unchanged, signed(unchanged, content_type="application/json"))
    assert status == 400
    assert "'application/json'" in answer["message"] and JSON_1_1 in answer["message"]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"hello\r\n\r\n", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40 + b"\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost x\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: a\x00b\r\n\r\n", 400),
        (b"POST / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413),
        (b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 431),
        (b"POST / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", 431),
        (b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 403),
    ],
    ids=[
        "not HTTP",
        "TLS hello",
        "header without colon",
        "NUL in a header",
        "HTTP/2",
        "length not a number",
        "two lengths",
        "chunked",
        "body too large",
        "header too large",
        "too many headers",
        "GET, unsigned",
    ],
)
def test_malformed_http_gets_an_error_and_the_endpoint_stays_up(
    unchanged: GlueJobsFake, data: bytes, status: int
) -> None:
    answer = exchange(unchanged, data)
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Connection: close" in head
    assert json.loads(body)["message"]
    status_after, _ = post(unchanged, signed(unchanged, "{}", target="AWSGlue.GetJobs"), "{}")
    assert status_after == 200


def test_a_hundred_concurrent_connections_are_all_answered(glue_jobs: GlueJobsFake) -> None:
    answers: list[int] = []
    barrier = threading.Barrier(100)

    def create(index: int) -> None:
        body = CREATE.replace('"j"', f'"job-{index}"')
        connection = http.client.HTTPConnection("127.0.0.1", port_of(glue_jobs), timeout=60)
        connection.connect()
        barrier.wait(timeout=60)
        connection.request("POST", "/", body=body.encode(), headers=signed(glue_jobs, body))
        answers.append(connection.getresponse().status)
        connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == [200] * 100
    assert len(glue_jobs.jobs) == 100
    assert len(glue_jobs.calls) == 100


def test_connections_beyond_the_limit_are_turned_away_and_served_again_later(
    glue_jobs: GlueJobsFake,
) -> None:
    # Connections of earlier tests (in this worker) may still be finishing: the limit is the
    # process's, so wait for their threads before counting.
    for _ in range(300):
        if not any(t.name == "pytest-gluejobs endpoint" for t in threading.enumerate()):
            break
        threading.Event().wait(0.1)
    held = [
        socket.create_connection(("127.0.0.1", port_of(glue_jobs)), timeout=30)
        for _ in range(server.MAX_CONNECTIONS)
    ]
    try:
        for connection in held:  # each is being served: an unsigned request is answered
            connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert connection.recv(1000).startswith(b"HTTP/1.1 403 ")
        turned_away = exchange(glue_jobs, b"")
        assert turned_away.startswith(b"HTTP/1.1 503 ")
    finally:
        for connection in held:
            connection.close()
    status = 0
    for _ in range(300):  # the held connections' threads end as they see them closed
        status, _ = post(glue_jobs, signed(glue_jobs, "{}", target="AWSGlue.GetJobs"), "{}")
        if status == 200:
            break
        threading.Event().wait(0.1)
    assert status == 200


def test_a_client_that_never_finishes_sending_is_cut_off(
    unchanged: GlueJobsFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_wire, "REQUEST_SECONDS", 1.0)
    with socket.create_connection(("127.0.0.1", port_of(unchanged)), timeout=30) as slow:
        slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        # Meanwhile everyone else is answered.
        status, _ = post(unchanged, signed(unchanged, "{}", target="AWSGlue.GetJobs"), "{}")
        assert status == 200
        answer = slow.recv(10000)
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
        assert slow.recv(10000) == b""


def test_a_slow_client_is_cut_off_while_the_test_freezes_the_clock(
    glue_jobs: GlueJobsFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The deadline follows the real clock: a frozen one must not stretch it for ever.
    monkeypatch.setattr(http_wire, "REQUEST_SECONDS", 1.0)
    glue_jobs.freeze_time("2026-03-01T12:00:00Z")
    with socket.create_connection(("127.0.0.1", port_of(glue_jobs)), timeout=30) as slow:
        slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        assert slow.recv(10000).startswith(b"HTTP/1.1 408 ")


def test_an_idle_connection_is_closed(
    glue_jobs: GlueJobsFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_wire, "IDLE_SECONDS", 0.5)
    with socket.create_connection(("127.0.0.1", port_of(glue_jobs)), timeout=30) as idle:
        assert idle.recv(100) == b""


def test_stopping_the_fake_does_not_wait_for_a_slow_client() -> None:
    fake = GlueJobsFake().start()
    try:
        slow = socket.create_connection(("127.0.0.1", port_of(fake)), timeout=30)
        slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        assert exchange(fake, b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    finally:
        stopping = threading.Thread(target=fake.stop)
        stopping.start()
        stopping.join(timeout=30)
    assert not stopping.is_alive()
    with contextlib.suppress(ConnectionResetError):
        assert slow.recv(100) == b""
    slow.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="127.0.0.2 is loopback on Linux")
def test_the_endpoint_listens_on_127_0_0_1_only(glue_jobs: GlueJobsFake) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", port_of(glue_jobs)), timeout=5)


_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=60)
_NAMES = st.sampled_from(
    ["Authorization", "X-Amz-Target", "X-Amz-Date", "Content-Type", "Host", "X-Amz-Security-Token"]
) | st.text("abcdefghijklmnopqrstuvwxyz-_.!#$%&'*+^`|~0123456789", min_size=1, max_size=20)
_AUTHORIZATION = st.builds(
    lambda scheme, parts: f"{scheme} " + ", ".join(parts),
    st.sampled_from(["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "Bearer", ""]) | _TEXT,
    st.lists(
        st.builds(
            lambda key, value: f"{key}={value}",
            st.sampled_from(["Credential", "SignedHeaders", "Signature"]) | _TEXT,
            st.sampled_from(["testing/20261206/us-east-1/glue/aws4_request", "host;x-amz-date"])
            | _TEXT,
        ),
        max_size=4,
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=st.sampled_from(["POST", "GET", "PUT"])
    | st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8),
    target=st.sampled_from(["/", "/?a=b", "//x", "*"])
    | _TEXT.map(lambda t: "/" + t.replace(" ", "")),
    headers=st.lists(st.tuples(_NAMES, _TEXT | _AUTHORIZATION), max_size=8),
    body=st.binary(max_size=300),
)
def test_any_request_head_gets_an_http_answer_and_changes_nothing(
    unchanged: GlueJobsFake, method: str, target: str, headers: list[tuple[str, str]], body: bytes
) -> None:
    lines = [f"{method} {target} HTTP/1.1", *(f"{name}: {value}" for name, value in headers)]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    answer = exchange(unchanged, data)
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert re.match(rb"HTTP/1\.1 [1-5]\d\d ", head), answer[:200]
    if head.startswith(b"HTTP/1.1 503 "):  # turned away: too many connections at the moment
        return
    if b"Content-Type: text/xml" in head:  # a client that does not speak JSON: AWS's XML errors
        error = ElementTree.fromstring(payload).find("Error")
        assert error is not None
        assert error.findtext("Code") and error.findtext("Message")
    else:
        error = json.loads(payload)
        assert error["__type"] and error["message"]
    unchanged.assert_job_names("seeded")
