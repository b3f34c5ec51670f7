"""Template context shared by every page: the establishment, the user's other establishments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mbn_platform.tenancy import current_establishment


def _switcher(request: HttpRequest) -> list[dict[str, Any]]:
    from shared_apps.identity.selectors import memberships_of
    from tenants.selectors import establishment_primary_host

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    seen: dict[int, dict[str, Any]] = {}
    for membership in memberships_of(user=user):
        est = membership.establishment
        entry = seen.setdefault(
            est.pk,
            {
                "name": est.name,
                "url": f"{request.scheme}://{establishment_primary_host(est)}{suffix}/",
                "roles": [],
            },
        )
        entry["roles"].append(membership.get_role_display())
    return list(seen.values())


def platform(request: HttpRequest) -> dict[str, Any]:
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    return {
        "establishment": current_establishment(request),
        "portal_url": f"{request.scheme}://{settings.MBN_BASE_DOMAIN}{suffix}/",
        "my_establishments": SimpleLazyObject(lambda: _switcher(request)),
    }
