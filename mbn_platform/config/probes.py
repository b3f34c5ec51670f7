"""Answer the liveness and readiness probes before anything looks at the Host header.

Load balancers and container runtimes probe with an IP address as the host (the task's address,
127.0.0.1), which is neither the base domain nor a school: ``ALLOWED_HOSTS`` and tenant
resolution would refuse it. The probes say nothing about any establishment, so they are served
first, on any host.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

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


class StaticNotFoundMiddleware:
    """After WhiteNoise: a static file it did not serve does not exist. Answered here, on any host,
    without resolving the establishment: static files never need the database (nor does their 404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = str(settings.STATIC_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefix):
            return HttpResponseNotFound(b"Not found.\n", content_type="text/plain")
        return self.get_response(request)
