"""The school's main navigation: which pages each person reaches from every page of a school.

The school app owns the navigation; each app contributes its own entries (label, route, the roles
that see it, a place in the order) from its ``AppConfig.ready()`` through ``navigation_register``,
so that the school app imports none of the apps above it. The pages themselves still check their
own ``required_roles``: hiding a link is a convenience, never the permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.permissions import ANY_MEMBER
from mbn_platform.kernel.tenancy import GUEST_ROLE, request_access
from tenant_apps.school.permissions import MEMBERSHIP_MANAGERS


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    route: str
    #: Who sees the entry: any of these roles here (``ANY_MEMBER``: anyone who belongs here).
    roles: frozenset[str]
    #: Where it stands in the navigation (smaller first).
    order: int
    #: The entry is marked current for every path under its own (e.g. /attendance/…).
    section: bool = True

    def visible_to(self, roles: frozenset[str]) -> bool:
        if self.roles is ANY_MEMBER:  # a guest (of one space) is no member: only entries naming it
            return bool(roles - {GUEST_ROLE})
        return bool(roles & self.roles)


_entries: dict[str, NavEntry] = {}


def navigation_register(*entries: NavEntry) -> None:
    """Add an app's entries to the navigation (called from its ``AppConfig.ready()``; registering
    a route again replaces its entry)."""
    for entry in entries:
        _entries[entry.route] = entry


def navigation_entries() -> list[NavEntry]:
    """Every registered entry, in order."""
    return sorted(_entries.values(), key=lambda entry: (entry.order, entry.route))


#: The school's own entries: its home page and its members pages.
navigation_register(
    NavEntry(_("Home"), "home", ANY_MEMBER, order=0, section=False),
    NavEntry(_("Members and roles"), "members", MEMBERSHIP_MANAGERS, order=90),
    # The connectors' pages (a public app, which cannot register here itself).
    NavEntry(_("Resources"), "connectors-resources", ANY_MEMBER, order=85),
    NavEntry(_("Connected applications"), "connectors-apps", MEMBERSHIP_MANAGERS, order=95),
    NavEntry(_("LTI tools"), "connectors-lti-tools", MEMBERSHIP_MANAGERS, order=96),
    NavEntry(_("People not sent to the GAR"), "connectors-gar-exclusions", MEMBERSHIP_MANAGERS, order=97),
)


def school_navigation(request: HttpRequest) -> list[dict[str, object]]:
    """The entries this person sees here, each with its URL and whether it is the current page."""
    access = request_access(request)
    if not access.user_id:
        return []
    visible = [
        (entry, reverse(entry.route)) for entry in navigation_entries() if entry.visible_to(access.roles)
    ]
    path = request.path
    matching = [url for entry, url in visible if path == url or (entry.section and path.startswith(url))]
    current = max(matching, key=len, default=None)  # /timetable/manage/ is not also /timetable/
    return [{"label": entry.label, "url": url, "current": url == current} for entry, url in visible]
