"""The endpoint a fake sets for child processes is theirs: this process's clients resolve as before.

While a fake is active, ``AWS_ENDPOINT_URL_GLUE`` names its loopback endpoint so that a child
process (``aws glue ...``, a script) is answered there instead of by AWS. Clients made in this
process are answered at botocore's transport whatever their endpoint, so for them the variable is
ignored while it holds a fake's endpoint: their endpoint (FIPS, China, dual-stack, a custom one)
and what ``client.meta.endpoint_url`` shows stay what they would be without the fake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.args import ClientArgsCreator

from . import registry as _registry

VARIABLE = "AWS_ENDPOINT_URL_GLUE"

_original: Any = None


def _ignoring_the_fakes_endpoint(original: Callable[..., Any]) -> Callable[..., Any]:
    def _compute_configured_endpoint_url(
        creator: Any, client_config: Any, endpoint_url: Any
    ) -> Any:
        configured = original(creator, client_config, endpoint_url)
        if endpoint_url is None and configured in _registry.applied_values(VARIABLE):
            return None
        return configured

    return _compute_configured_endpoint_url


def install() -> None:
    global _original
    # botocore has read configured endpoints (AWS_ENDPOINT_URL_<SERVICE>) here since 1.31.
    original = ClientArgsCreator.__dict__.get("_compute_configured_endpoint_url")
    if _original is None and original is not None:
        _original = original
        ClientArgsCreator._compute_configured_endpoint_url = _ignoring_the_fakes_endpoint(original)


def uninstall() -> None:
    global _original
    if _original is not None:
        ClientArgsCreator._compute_configured_endpoint_url = _original
        _original = None
