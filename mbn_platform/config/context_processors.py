"""Template context shared by every page: the establishment, the user's other establishments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mbn_platform.kernel.tenancy import url_on_host
from tenants.requests import current_establishment


def _switcher(request: HttpRequest) -> list[dict[str, Any]]:
    from shared_apps.identity.selectors import memberships_of
    from tenants.selectors import establishment_primary_host

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    current = current_establishment(request)
    seen: dict[int, dict[str, Any]] = {}
    for membership in memberships_of(user=user):
        est = membership.establishment
        host = establishment_primary_host(est)
        if host is None:
            continue
        entry = seen.setdefault(
            est.pk,
            {
                "name": est.name,
                "url": url_on_host(request, host),
                "roles": [],
                "current": current is not None and current.pk == est.pk,
            },
        )
        entry["roles"].append(membership.get_role_display())
    return list(seen.values())


def _school_navigation(request: HttpRequest) -> list[dict[str, object]]:
    from tenant_apps.school.navigation import school_navigation

    if current_establishment(request) is None:
        return []
    return school_navigation(request)


def _unread(request: HttpRequest) -> int:
    from shared_apps.notifications.unread import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user_id=int(user.pk))


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "school_nav": SimpleLazyObject(lambda: _school_navigation(request)),
        "establishment": current_establishment(request),
        "portal_url": url_on_host(request, str(settings.MBN_BASE_DOMAIN)),
        "my_establishments": SimpleLazyObject(lambda: _switcher(request)),
        # A callable: the template calls it once, only where the header shows it.
        "notifications_unread": lambda: _unread(request),
    }
