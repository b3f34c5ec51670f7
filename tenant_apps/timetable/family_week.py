"""What the timetable tells identity's portal week and calendar feed (``family_week``): the lessons
of some people of this establishment (read in its schema), as plain items."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from shared_apps.identity.family_week import LessonItem, PersonHere
from tenant_apps.school.models import Member
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable.occurrences import occurrences
from tenant_apps.timetable.selectors import scope_student, scope_teacher


def school_year_span(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date] | None:
    year = current_school_year(today=today)
    return (year.start, year.end) if year is not None else None


def lessons_here(
    people: Sequence[PersonHere], start: datetime.date | None, end: datetime.date | None
) -> list[LessonItem]:
    """Each person's lessons here (as a student and/or a teacher), moved lessons at their new
    place; without dates, over the current school year. Six queries per person and role."""
    if start is None or end is None:
        span = school_year_span()
        if span is None:
            return []
        start, end = span
    members = {
        m.user_id: m for m in Member.objects.filter(user_id__in=[p.user_id for p in people], is_active=True)
    }
    found: list[LessonItem] = []
    for person in people:
        member = members.get(person.user_id)
        if member is None:
            continue
        scopes = ([scope_student(member)] if person.as_student else []) + (
            [scope_teacher(member)] if person.as_teacher else []
        )
        seen: set[str] = set()
        for scope in scopes:
            for occ in occurrences(scope=scope, start=start, end=end):
                if occ.moved_to is not None or occ.key in seen:
                    continue
                seen.add(occ.key)
                found.append(
                    LessonItem(
                        uid=f"{person.user_id}-{occ.key}",
                        user_id=person.user_id,
                        date=occ.date,
                        start=occ.start,
                        end=occ.end,
                        subject=occ.subject,
                        audience=occ.audience,
                        teacher=occ.teacher,
                        room=occ.room,
                        cancelled=occ.cancelled,
                        changed=occ.changed,
                        note=occ.note,
                    )
                )
    return found
