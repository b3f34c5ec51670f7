"""Answer the liveness and readiness probes before anything looks at the Host header.

Load balancers and container runtimes probe with an IP address as the host (the task's address,
127.0.0.1), which is neither the base domain nor a school: ``ALLOWED_HOSTS`` and tenant
resolution would refuse it. The probes say nothing about any establishment, so they are served
first, on any host.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mbn_platform.config.health import healthz, readyz

PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": healthz, "/readyz": readyz}


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
