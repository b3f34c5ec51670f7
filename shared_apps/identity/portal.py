"""What the region portal's home page offers each person: the entry points of their region roles
(the operators' console, the audit log, the support queue…) and the pages of every signed-in
person.

Entries name their page by route name (the pages belong to the apps above identity: the console to
``tenants``, the queue to ``support``, the log to ``audit``; naming a route imports none of them).
The pages still check their own roles: an entry only saves typing an address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shared_apps.identity.roles import OPERATORS, SUPPORT_AGENTS


@dataclass(frozen=True)
class PortalEntry:
    label: str | Promise
    description: str | Promise
    route: str
    #: Region roles that see it (empty: every signed-in person).
    region_roles: frozenset[str] = frozenset()


PORTAL_ENTRIES = (
    PortalEntry(
        _("Operators' console"),
        _("Establishments of the region: search, onboard, suspend, export, restore."),
        "console-list",
        OPERATORS,
    ),
    PortalEntry(
        _("Onboard establishments in bulk"),
        _("A file of establishments, checked then onboarded together."),
        "console-bulk",
        OPERATORS,
    ),
    PortalEntry(
        _("Audit log of the region"),
        _("Who did what, where and when; filters and CSV export."),
        "audit-log",
        OPERATORS,
    ),
    PortalEntry(
        _("Exports to the GAR"),
        _("The nightly export of people, classes and groups to the GAR: status, files, errors."),
        "connectors-gar-exports",
        OPERATORS,
    ),
    PortalEntry(
        _("LTI tools of the region"),
        _("Learning tools launched from the schools' resources pages (Moodle, publishers)."),
        "connectors-lti-tools",
        OPERATORS,
    ),
    PortalEntry(
        _("Support queue"),
        _("Requests for help to answer; impersonation with the person's consent."),
        "support-queue",
        SUPPORT_AGENTS,
    ),
    PortalEntry(
        _("My requests for help"),
        _("What you asked the support desk, and its answers."),
        "support-requests",
    ),
)


def portal_entries(*, region_roles: frozenset[str]) -> list[dict[str, object]]:
    """The entries this person sees on the portal's home page, role entries first, with URLs."""
    found: list[dict[str, object]] = []
    for entry in PORTAL_ENTRIES:
        if entry.region_roles and not entry.region_roles & region_roles:
            continue
        try:
            url = reverse(entry.route)
        except NoReverseMatch:  # an app that is not installed here
            continue
        found.append(
            {
                "label": entry.label,
                "description": entry.description,
                "url": url,
                "for_role": bool(entry.region_roles),
            }
        )
    return found
