"""The demo's appointments, at the Collège Louis Pasteur (with the people and the timetable of
the demo seed): a parent-teacher evening for Léa's class (4e B), a week or more ahead, open for
booking, with each of the class's teachers in their room; a few other families have booked
already (Claire Martin finds free times with Léa's teachers, and some taken); the mathematics
teacher offers one-off slots. Through the services; running it again adds nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from mbn_platform.demo.people import SchoolPeople
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.appointments import selectors, services
from tenant_apps.appointments.models import Evening, Slot
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Room
from tenants.models import Establishment

TITLE = "Rencontres parents-professeurs des 4e"
CLASS = "4e B"
OTHER_BOOKINGS = 4


def _evening_day(today: datetime.date) -> datetime.date:
    """A Thursday at least a week ahead."""
    day = today + datetime.timedelta(days=7)
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7)


@transaction.atomic
def demo_appointments_seed(establishment: Establishment, people: SchoolPeople) -> int:
    """Returns the bookings made (0 when the evening exists already)."""
    head = people.staff.get(Role.HEAD)
    students = people.students.get(CLASS, [])
    if head is None or not students:
        return 0
    with tenant_context(establishment):
        if Evening.objects.filter(title=TITLE).exists():
            return 0
        members = {m.user_id: m for m in Member.objects.filter(user_id__in=[s.pk for s in students])}
        lea = members.get(students[0].pk)
        if lea is None or lea.school_class is None:
            return 0
        evening = services.evening_create(
            actor=head,
            title=TITLE,
            date=_evening_day(timezone.localdate()),
            start_time=datetime.time(17),
            end_time=datetime.time(19, 30),
            slot_minutes=10,
            classes=[lea.school_class],
            cancel_cutoff_hours=24,
        )
        rooms = list(Room.objects.order_by("name"))
        teachers = Member.objects.filter(pk__in=selectors.teachers_of(lea)).order_by("display_name")
        for n, teacher in enumerate(teachers):
            services.evening_teacher_add(
                actor=head, evening=evening, teacher=teacher, room=rooms[n % len(rooms)] if rooms else None
            )
        services.evening_status_set(actor=head, evening=evening, status="open")
        made = 0
        # Other families of the class book the first times of a teacher or two.
        for n, student in enumerate(students[1 : 1 + OTHER_BOOKINGS]):
            guardian, child = people.guardians.get(student.pk), members.get(student.pk)
            if guardian is None or child is None:
                continue
            choices = selectors.evening_choices(evening=evening, child=child)
            if not choices:
                continue
            choice = choices[n % len(choices)]
            slot = choice.slots[n % len(choice.slots)]
            services.booking_create(actor=guardian, child=child, slot=slot)
            made += 1
        _one_off_slots(people)
        return made


def _one_off_slots(people: SchoolPeople) -> None:
    """The first teacher's one-off slots next Tuesday, after lessons."""
    if not people.teachers:
        return
    teacher: User = people.teachers[0]
    today = timezone.localdate()
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    for hour in (16, 17):
        start = timezone.make_aware(datetime.datetime.combine(tuesday, datetime.time(hour, 30)))
        if not Slot.objects.filter(teacher__user_id=teacher.pk, starts_at=start).exists():
            services.slot_publish(
                actor=teacher, starts_at=start, ends_at=start + datetime.timedelta(minutes=20)
            )
