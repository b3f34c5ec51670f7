"""The school's main navigation: which pages each person reaches from every page of a school.

Declared once here (label, route, the roles that see it); the pages themselves still check their
own ``required_roles``: hiding a link is a convenience, never the permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.structure.permissions import (
    EVERYONE,
    SCHOOL_LIFE,
    STRUCTURE_MANAGERS,
    TIMETABLE_EDITORS,
)

MEMBERSHIP_MANAGERS = frozenset({Role.ESTABLISHMENT_ADMIN, Role.HEAD})


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    route: str
    roles: frozenset[str]
    #: The entry is marked current for every path under its own (e.g. /attendance/…).
    section: bool = True


SCHOOL_NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry(_("Home"), "home", EVERYONE, section=False),
    NavEntry(_("Timetable"), "timetable-week", EVERYONE),
    NavEntry(_("My attendance"), "attendance-mine", frozenset({Role.STUDENT})),
    NavEntry(_("Absences"), "attendance-family", frozenset({Role.GUARDIAN})),
    NavEntry(_("Attendance follow-up"), "attendance-follow-up", SCHOOL_LIFE),
    NavEntry(_("Lateness"), "attendance-lateness", SCHOOL_LIFE),
    NavEntry(_("Attendance statistics"), "attendance-statistics", SCHOOL_LIFE | {Role.TEACHER}),
    NavEntry(_("Manage the timetable"), "timetable-manage", TIMETABLE_EDITORS),
    NavEntry(_("School structure"), "structure-home", STRUCTURE_MANAGERS),
    NavEntry(_("Members and roles"), "members", MEMBERSHIP_MANAGERS),
)


def school_navigation(request: HttpRequest) -> list[dict[str, object]]:
    """The entries this person sees here, each with its URL and whether it is the current page."""
    access = request_access(request)
    if not access.user_id:
        return []
    visible = [(entry, reverse(entry.route)) for entry in SCHOOL_NAVIGATION if access.roles & entry.roles]
    path = request.path
    matching = [url for entry, url in visible if path == url or (entry.section and path.startswith(url))]
    current = max(matching, key=len, default=None)  # /timetable/manage/ is not also /timetable/
    return [{"label": entry.label, "url": url, "current": url == current} for entry, url in visible]
