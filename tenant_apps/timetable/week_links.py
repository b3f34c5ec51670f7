"""Links that the apps above the timetable add next to each lesson of a week page (attendance's
"Register"), and notes under each day of a student's week (the homework due): each app registers
its own from its ``AppConfig.ready()``, so that the timetable imports none of them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from tenant_apps.school.models import Member
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


#: What an app above shows under a day of a student's week (the homework due that day):
#: ``(student, first day, last day) -> {day: [(text, address)]}``, a fixed number of queries.
DayNotes = Callable[[Member, datetime.date, datetime.date], dict[datetime.date, list[tuple[str, str]]]]
_day_notes: dict[str, DayNotes] = {}


def week_day_notes_register(name: str, notes: DayNotes) -> None:
    """Add notes under each day of a student's week (registering a name again replaces it)."""
    _day_notes[name] = notes


def week_day_notes(
    *, student: Member | None, start: datetime.date, end: datetime.date
) -> dict[datetime.date, list[tuple[str, str]]]:
    """Every registered app's notes for the days of a student's week ({} for no student)."""
    found: dict[datetime.date, list[tuple[str, str]]] = {}
    if student is None:
        return found
    for notes in _day_notes.values():
        for day, items in notes(student, start, end).items():
            found.setdefault(day, []).extend(items)
    return found
