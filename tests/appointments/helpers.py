"""A parent-teacher evening for the appointments tests: next week, 17:00 to 19:00, 10-minute slots,
the two teachers of the small school of tests/timetable/helpers.py (the class's mathematics and
English teachers) taking part, open for booking."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.appointments import services
from tenant_apps.appointments.models import Evening
from tests.timetable.helpers import School

EVENING_DAY = timezone.localdate() + datetime.timedelta(days=7)


def at(hour: int, minute: int = 0, day: datetime.date = EVENING_DAY) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def open_evening(school: School, *, status: str = "open", day: datetime.date = EVENING_DAY) -> Evening:
    organiser = school.extra["head"]
    with tenant_context(school.establishment):
        evening = services.evening_create(
            actor=organiser,
            title="Rencontres parents-professeurs",
            date=day,
            start_time=datetime.time(17),
            end_time=datetime.time(19),
            slot_minutes=10,
            classes=[school.school_class],
        )
        services.evening_teacher_add(
            actor=organiser, evening=evening, teacher=school.m(school.teacher), room=school.room
        )
        services.evening_teacher_add(
            actor=school.other_teacher,
            evening=evening,
            teacher=school.m(school.other_teacher),
            room=school.other_room,
        )
        if status != "draft":
            services.evening_status_set(actor=organiser, evening=evening, status=status)
    return evening


def slot_of(evening: Evening, teacher_member_id: int, hour: int, minute: int = 0):
    return evening.slots.get(teacher_id=teacher_member_id, starts_at=at(hour, minute, evening.date))
