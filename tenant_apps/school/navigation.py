"""The school's main navigation: which pages each person reaches from every page of a school.

The school app owns the navigation; each app contributes its own entries (label, route, the roles
that see it, a place in the order) from its ``AppConfig.ready()`` through ``navigation_register``,
so that the school app imports none of the apps above it. The pages themselves still check their
own ``required_roles``: hiding a link is a convenience, never the permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.permissions import ANY_MEMBER
from mbn_platform.kernel.tenancy import GUEST_ROLE, request_access
from tenant_apps.school.permissions import MEMBERSHIP_MANAGERS

T = TypeVar("T")


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
#: Held in each process, emptied when an entry is registered: the entries each set of roles sees
#: with their addresses, and the navigation as rendered by roles, language and current address
#: (a few hundred combinations at most, the same in every school).
_visible_by_roles: dict[Any, list[tuple[NavEntry, str]]] = {}
_rendered: dict[Any, SafeString] = {}
_MEMO_MAX = 1000


def navigation_register(*entries: NavEntry) -> None:
    """Add an app's entries to the navigation (called from its ``AppConfig.ready()``; registering
    a route again replaces its entry)."""
    for entry in entries:
        _entries[entry.route] = entry
    _rendered.clear()
    _visible_by_roles.clear()


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


def _current(path: str, visible: list[tuple[NavEntry, str]]) -> str | None:
    matching = [url for entry, url in visible if path == url or (entry.section and path.startswith(url))]
    return max(matching, key=len, default=None)  # /timetable/manage/ is not also /timetable/


def school_navigation_html(request: HttpRequest) -> SafeString:
    """The navigation bar of every school page (empty for a visitor), rendered once per roles,
    language and current entry in each process (the same in every school): rendered anew, it was
    a tenth to a fifth of a small page's time."""
    access = request_access(request)
    if not access.user_id:
        return SafeString("")
    urls = (get_urlconf(), get_script_prefix())
    visible = _bounded_get(_visible_by_roles, (access.roles, urls), lambda: _visible(access.roles))
    current = _current(request.path, visible)
    key = (access.roles, urls, get_language() or "", current)
    return _bounded_get(_rendered, key, lambda: _render(visible, current=current))


def _bounded_get(memo: dict[Any, T], key: Any, compute: Callable[[], T]) -> T:
    found = memo.get(key)
    if found is None:
        found = compute()
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[key] = found
    return found


def _visible(roles: frozenset[str]) -> list[tuple[NavEntry, str]]:
    return [(entry, reverse(entry.route)) for entry in navigation_entries() if entry.visible_to(roles)]


_CURRENT = SafeString(' aria-current="page"')


def _render(visible: list[tuple[NavEntry, str]], *, current: str | None) -> SafeString:
    if not visible:
        return SafeString("")
    items = format_html_join(
        "",
        '<li><a href="{}"{}>{}</a></li>',
        ((url, _CURRENT if url == current else "", entry.label) for entry, url in visible),
    )
    return format_html(
        '<nav class="school-nav" aria-label="{}">\n    <ul>{}</ul>\n  </nav>', gettext("The school"), items
    )
