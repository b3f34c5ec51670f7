"""Links that the apps above the timetable add next to each lesson of a week page (attendance's
"Register"): each app registers its own from its ``AppConfig.ready()``, so that the timetable
imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from tenant_apps.timetable.occurrences import Occurrence


@dataclass(frozen=True)
class OccurrenceLink:
    name: str
    label: str | Promise
    #: Who sees the link (any of these roles here); the page it opens checks its own.
    roles: frozenset[str]
    #: The link's address for an occurrence, or None when it has none (e.g. a cancelled lesson).
    url: Callable[[Occurrence], str | None]


_links: dict[str, OccurrenceLink] = {}


def occurrence_link_register(link: OccurrenceLink) -> None:
    """Add a link to every lesson of the week pages (registering a name again replaces it)."""
    _links[link.name] = link


def occurrence_links(occurrence: Occurrence, roles: frozenset[str]) -> list[tuple[str | Promise, str]]:
    """(label, address) of the links this person sees next to ``occurrence``."""
    found = []
    for link in _links.values():
        if roles & link.roles:
            url = link.url(occurrence)
            if url is not None:
                found.append((link.label, url))
    return found
