"""``python -m pytest_gluejobs serve``: the Glue fake on a loopback port, for any test harness.

A Node.js, Java, Terraform or shell test suite gets the same fake pytest tests get: it starts
this command, reads the environment lines it prints, exports them to the processes under test,
and stops it with SIGINT or SIGTERM when done.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence

from ._core.partitions import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from ._core.versions import DEFAULT_GLUE_VERSION
from ._fake import GlueJobsFake
from ._transport import child_endpoint as _child_endpoint
from ._transport.server import HOST, LoopbackEndpoint
from ._transport.signing import TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(
        prog="python -m pytest_gluejobs",
        description="The pytest-gluejobs fake of AWS Glue, outside pytest.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    serve = commands.add_parser(
        "serve",
        help="answer AWS Glue requests on a loopback port until stopped",
        description=(
            f"Answer AWS Glue job requests on http://{HOST}:<port> until interrupted (Ctrl-C or "
            "SIGTERM). On start it prints the environment variables to export to the processes "
            "under test, one NAME=value line each: the endpoint (AWS_ENDPOINT_URL_GLUE), "
            "the credentials it accepts (requests signed with any others are refused), the "
            "region, an empty session token, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false and "
            f"NO_PROXY with {HOST} added (so that nothing in the harness's environment or config "
            "file overrides them). Any "
            "AWS SDK or the AWS CLI that reads them sends its Glue requests here, never to AWS. "
            "The state lives as long as the command runs."
        ),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=0,
        help=f"the port to listen on, on {HOST} only (default: a free port, printed at start)",
    )
    serve.add_argument(
        "--region",
        default=DEFAULT_REGION,
        help=f"the region printed for clients to use (default: {DEFAULT_REGION}); a request "
        "signed for another region is answered from that region's jobs",
    )
    serve.add_argument(
        "--account-id",
        default=DEFAULT_ACCOUNT_ID,
        help=f"the 12-digit account that owns the jobs (default: {DEFAULT_ACCOUNT_ID}); a client "
        "whose access key id is 12 digits names its account instead",
    )
    serve.add_argument(
        "--default-glue-version",
        default=DEFAULT_GLUE_VERSION,
        help=f"the GlueVersion of a job created without one (default: {DEFAULT_GLUE_VERSION})",
    )
    return parser, serve


def main(argv: Sequence[str] | None = None) -> int:
    parser, serve = _parsers()
    args = parser.parse_args(argv)
    if not (len(args.account_id) == 12 and args.account_id.isdecimal()):
        serve.error(f"--account-id must be 12 digits, not {args.account_id!r}")
    if not 0 <= args.port <= 65535:
        serve.error(f"--port must be between 0 and 65535, not {args.port}")
    try:
        fake = GlueJobsFake(
            region=args.region,
            account_id=args.account_id,
            default_glue_version=args.default_glue_version,
        )
    except ValueError as error:
        serve.error(str(error))
    try:
        endpoint = LoopbackEndpoint(fake._interceptor, port=args.port)
    except OSError as error:
        print(f"pytest-gluejobs: cannot listen on {HOST}:{args.port}: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()
    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), lambda *_: stop.set())
    # A proxy in the harness's environment would carry the requests off this machine.
    bypassing = _child_endpoint.bypassing_proxies(HOST, os.environ)
    try:
        print(
            f"AWS_ENDPOINT_URL_GLUE={endpoint.url}\n"
            f"AWS_ACCESS_KEY_ID={TEST_ACCESS_KEY_ID}\n"
            f"AWS_SECRET_ACCESS_KEY={TEST_SECRET_ACCESS_KEY}\n"
            f"AWS_DEFAULT_REGION={args.region}\n"
            # The JavaScript and Java SDKs read this one, not AWS_DEFAULT_REGION.
            f"AWS_REGION={args.region}\n"
            # Empty: a harness's own session token (CI jobs export one) would be sent with the
            # keys above, and refused. SDKs treat an empty token as none.
            "AWS_SESSION_TOKEN=\n"
            "AWS_SECURITY_TOKEN=\n"
            # "true" in the harness's environment or config file would send children to AWS;
            # the environment variable overrides the config file.
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false\n"
            + "\n".join(f"{name}={value}" for name, value in bypassing.items()),
            flush=True,
        )
        print(
            f"pytest-gluejobs: answering AWS Glue at {endpoint.url} (account {args.account_id}, "
            f"region {args.region}); stop with Ctrl-C or SIGTERM.",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    finally:
        endpoint.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
