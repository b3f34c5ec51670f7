"""The establishment a request serves (set on the request by ``tenants.middleware``)."""

from __future__ import annotations

from django.http import HttpRequest

from mbn_platform.kernel.errors import NotFound
from tenants.models import Establishment


def current_establishment(request: HttpRequest) -> Establishment | None:
    """The establishment served by this request, or None on the region portal."""
    tenant = getattr(request, "tenant", None)
    return tenant if isinstance(tenant, Establishment) else None


def establishment_served(request: HttpRequest) -> Establishment:
    """The establishment served by this request; on the region portal, not found (404)."""
    establishment = current_establishment(request)
    if establishment is None:
        raise NotFound()
    return establishment
