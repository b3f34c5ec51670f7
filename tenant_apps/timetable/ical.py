"""A person's timetable as an iCalendar feed (RFC 5545), times in Europe/Paris (TZID + VTIMEZONE)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable.occurrences import Occurrence, occurrences
from tenant_apps.timetable.selectors import children_here, personal_scopes

FEED_WEEKS_BEFORE = 4
FEED_WEEKS_AFTER = 16


def feed_occurrences(
    *, user_id: int, today: datetime.date | None = None
) -> list[tuple[str, str, Occurrence]]:
    """(label prefix, uid prefix, occurrence) for the person's own lessons and each of their
    children's here."""
    me = Member.objects.filter(user_id=user_id, is_active=True).first()
    if me is None:
        return []
    today = today or timezone.localdate()
    year = current_school_year(today=today)
    # The whole school year (both changes of time, every lesson until its last day); weeks around
    # today only when the establishment has no school year.
    start = year.start if year is not None else today - datetime.timedelta(weeks=FEED_WEEKS_BEFORE)
    end = year.end if year is not None else today + datetime.timedelta(weeks=FEED_WEEKS_AFTER)
    roles = frozenset(me.roles)
    found: list[tuple[str, str, Occurrence]] = []
    for scope in personal_scopes(user_id=user_id, roles=roles):
        found.extend(("", "", occ) for occ in occurrences(scope=scope, start=start, end=end))
    if Role.GUARDIAN in roles:
        for child in children_here(guardian_user_id=user_id):
            for scope in personal_scopes(user_id=user_id, roles=roles, child_user_id=child.user_id):
                label, tag = f"{child.display_name}: ", f"c{child.user_id}-"
                found.extend((label, tag, occ) for occ in occurrences(scope=scope, start=start, end=end))
    return found


def ical_feed(*, user_id: int, host: str, calendar_name: str, today: datetime.date | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//MBN//Timetable//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", "Europe/Paris")
    stamp = timezone.now()
    seen: set[str] = set()
    for prefix, tag, occ in feed_occurrences(user_id=user_id, today=today):
        if occ.moved_to is not None:
            continue  # the moved lesson is the same event at its new place (same UID)
        uid = f"{tag}{occ.key}@{host}"
        if uid in seen:
            continue
        seen.add(uid)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", occ.starts_at())
        event.add("dtend", occ.ends_at())
        summary = f"{prefix}{occ.subject} ({occ.audience})"
        event.add("summary", summary)
        if occ.room:
            event.add("location", occ.room)
        event.add("description", "\n".join(x for x in (occ.teacher, occ.note) if x))
        if occ.cancelled:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
