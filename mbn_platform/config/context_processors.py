"""Template context shared by every page: the establishment, the user's other establishments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mbn_platform.kernel.tenancy import url_on_host
from tenants.requests import current_establishment


def _switcher(request: HttpRequest) -> list[dict[str, Any]]:
    from shared_apps.identity.caching import switcher_entries
    from shared_apps.identity.roles import Role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    current = current_establishment(request)
    labels = dict(Role.choices)
    return [
        {
            "name": entry.name,
            "url": url_on_host(request, entry.host),
            "roles": [labels.get(role, role) for role in entry.roles],
            "current": current is not None and current.pk == entry.establishment_id,
        }
        for entry in switcher_entries(user_id=user.pk)
    ]


def _school_navigation(request: HttpRequest) -> str:
    from tenant_apps.school.navigation import school_navigation_html

    if current_establishment(request) is None:
        return ""
    return school_navigation_html(request)


def _unread(request: HttpRequest) -> int:
    from shared_apps.notifications.unread import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user_id=int(user.pk))


def _app_owner(request: HttpRequest) -> str:
    """An opaque mark of the signed-in person for the MBN app's service worker: pages kept for
    reading offline are forgotten when it changes (connectors/app/app.js)."""
    from django.utils.crypto import salted_hmac

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("mbn.app.owner", str(user.pk)).hexdigest()[:20]


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        # Callables: the template calls them once, only where the layout shows them.
        "school_nav": lambda: _school_navigation(request),
        "establishment": current_establishment(request),
        "portal_url": url_on_host(request, str(settings.MBN_BASE_DOMAIN)),
        "my_establishments": SimpleLazyObject(lambda: _switcher(request)),
        "notifications_unread": lambda: _unread(request),
        "app_owner": SimpleLazyObject(lambda: _app_owner(request)),
    }
