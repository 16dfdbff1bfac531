"""The endpoint a fake sets for child processes is theirs: this process's clients resolve as before.

While a fake is active, ``AWS_ENDPOINT_URL_GLUE`` names its loopback endpoint so that a child
process (``aws glue ...``, a script) is answered there instead of by AWS; so does
``AWS_ENDPOINT_URL`` unless the test set its own, so that a child's request for another service
is refused there, naming the service, instead of leaving the machine; and ``NO_PROXY`` names the
endpoint's host when a proxy is set, so that the proxy does not carry a child's request away.
Clients made in this process are answered at botocore's transport whatever their endpoint, so
for them the variables are ignored while they hold a fake's endpoint: their endpoint (FIPS,
China, dual-stack, a custom one, moto's) and what ``client.meta.endpoint_url`` shows stay what
they would be without the fake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from botocore.args import ClientArgsCreator

from . import registry as _registry

VARIABLE = "AWS_ENDPOINT_URL_GLUE"
#: Read by the SDKs (botocore since 1.31) for every service without a variable of its own.
EVERY_SERVICE = "AWS_ENDPOINT_URL"
#: Where HTTP clients send requests (botocore, the AWS CLI, most SDKs read them)...
PROXIES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
#: ... for every host these do not name.
PROXY_BYPASS = ("NO_PROXY", "no_proxy")

_original: Any = None


def _ignoring_the_fakes_endpoint(original: Callable[..., Any]) -> Callable[..., Any]:
    def _compute_configured_endpoint_url(
        creator: Any, client_config: Any, endpoint_url: Any
    ) -> Any:
        configured = original(creator, client_config, endpoint_url)
        if (
            endpoint_url is None
            and configured is not None
            and (
                configured in _registry.applied_values(VARIABLE)
                or configured in _registry.applied_values(EVERY_SERVICE)
            )
        ):
            return None
        return configured

    return _compute_configured_endpoint_url


def bypassing_proxies(host: str, now: Mapping[str, str | None]) -> dict[str, str]:
    """NO_PROXY (and no_proxy, where it is set) as ``now`` has them, plus ``host``.

    Both where both are set: which one wins differs between clients. Without spaces, so that
    ``env $(cat lines)`` keeps each line whole.
    """
    names = [name for name in PROXY_BYPASS if now.get(name) is not None] or [PROXY_BYPASS[0]]
    bypassing = {}
    for name in names:
        hosts = ["".join(part.split()) for part in (now.get(name) or "").split(",")]
        bypassing[name] = ",".join([*(h for h in hosts if h and h != host), host])
    return bypassing


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
