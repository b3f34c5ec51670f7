"""Tenant resolution, for every request.

``EstablishmentMiddleware`` (first in the stack) maps the host to an establishment's schema, or
to the public schema for the region portal on the base domain; an unknown subdomain gets a clear
404 page, a suspended establishment a maintenance page. The membership check that follows
authentication is the kernel's (``mbn_platform.kernel.middleware.membership``).
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PermissionDenied
from mbn_platform.kernel.generations import ESTABLISHMENTS, generations_read
from mbn_platform.kernel.middleware.errors import error_response
from mbn_platform.kernel.tenancy import ALWAYS_OPEN_PREFIXES, url_on_host
from tenants.models import Domain, Establishment, EstablishmentStatus

DOMAIN_CACHE_SECONDS = 300.0
#: Hosts remembered per process (unknown hosts included): bounded, whatever is asked for.
DOMAIN_CACHE_SIZE = 4096


class DomainCache:
    """Host -> establishment, kept in the process (one query saved per request).

    An entry holds for DOMAIN_CACHE_SECONDS at most, and only while the establishments'
    generation (``mbn_platform.kernel.generations``, one cache read per request) is the one it
    was read under: any saved or deleted establishment or domain bumps it (``tenants.signals``),
    so a suspension or a new address takes effect on the next request of every process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, int, Establishment | None, str | None]] = {}

    def get(self, hostname: str) -> tuple[Establishment | None, str | None]:
        """(establishment, primary host to redirect to when this host is a former address)."""
        now = time.monotonic()
        (generation,) = generations_read(ESTABLISHMENTS)
        entry = self._entries.get(hostname)
        if entry and entry[0] > now and entry[1] == generation:
            return entry[2], entry[3]
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        tenant = domain.tenant if domain else None
        redirect_to = None
        if domain is not None and domain.redirect:
            primary = Domain.objects.filter(tenant_id=domain.tenant_id, is_primary=True).first()
            redirect_to = primary.domain if primary else None
        with self._lock:
            if len(self._entries) >= DOMAIN_CACHE_SIZE:
                self._entries.clear()
            self._entries[hostname] = (now + DOMAIN_CACHE_SECONDS, generation, tenant, redirect_to)
        return tenant, redirect_to

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


domain_cache = DomainCache()


class EstablishmentMiddleware(TenantMainMiddleware):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        tenant_db().set_schema_to_public()
        hostname = request.get_host().split(":")[0].lower().removeprefix("www.")
        if hostname == settings.MBN_BASE_DOMAIN or hostname == "testserver":
            request.tenant = tenant_db().tenant  # type: ignore[attr-defined]  # the public schema
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return None
        if hostname in settings.MBN_PORTAL_REDIRECT_HOSTS:
            # A development server reached by its loopback address: the platform lives on names.
            return HttpResponseRedirect(
                url_on_host(request, settings.MBN_BASE_DOMAIN, request.get_full_path())
            )
        tenant, redirect_to = domain_cache.get(hostname)
        if redirect_to is not None:
            return HttpResponsePermanentRedirect(url_on_host(request, redirect_to, request.get_full_path()))
        if tenant is None:
            return render(
                request,
                "tenants/unknown_establishment.html",
                {"hostname": hostname, "portal_host": settings.MBN_BASE_DOMAIN},
                status=404,
            )
        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        if not tenant.is_serving and not request.path.startswith(ALWAYS_OPEN_PREFIXES):
            # Suspended or still provisioning: no data is served, not even the schema is selected.
            response = render(request, "tenants/maintenance.html", {"establishment": tenant}, status=503)
            response["Retry-After"] = "3600"
            return response
        tenant_db().set_tenant(tenant)
        self.setup_url_routing(request)
        if tenant.status == EstablishmentStatus.ARCHIVED and request.method not in ("GET", "HEAD", "OPTIONS"):
            return error_response(
                request,
                PermissionDenied(
                    _("This establishment is archived: its data can be read, not changed."),
                    code=ErrorCode.ESTABLISHMENT_ARCHIVED,
                ),
            )
        return None
