"""Appointments tell people through the notification service: a booking tells the guardian (the
link is the calendar invitation) and the teacher; a cancellation the other side; the reminder of
the next 24 hours reaches the guardian once, under a frozen clock, also when run by a real
Celery worker through the beat task."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.appointments import notices, services
from tenant_apps.appointments.models import Booking, Slot
from tenant_apps.notifications.models import Notification
from tenant_apps.school.models import Member
from tenants.models import Establishment
from tests.appointments.committed import committed_evening
from tests.appointments.helpers import at, open_evening, slot_of
from tests.conftest import SESSION_SCHOOLS
from tests.timetable.helpers import School


def _to(user_id: int) -> list[Notification]:
    return list(Notification.objects.filter(recipients__user_id=user_id, type="appointment").order_by("pk"))


def test_booking_and_cancelling_tell_the_other_side(school: School):
    evening = open_evening(school)
    with tenant_context(school.establishment):
        booking = services.booking_create(
            actor=school.guardian,
            child=school.extra["child"],
            slot=slot_of(evening, school.m(school.teacher).pk, 17),
        )
        [to_guardian] = _to(school.guardian.pk)
        assert to_guardian.link == f"/appointments/bookings/{booking.pk}/invitation.ics"
        assert to_guardian.about_user_id == school.students[0].pk
        assert len(_to(school.teacher.pk)) == 1
        services.booking_cancel(
            actor=school.guardian, booking=booking, now=at(17) - datetime.timedelta(days=2)
        )
        assert len(_to(school.teacher.pk)) == 2 and len(_to(school.guardian.pk)) == 1


def test_the_reminder_reaches_the_guardian_once_the_day_before(school: School):
    evening = open_evening(school)
    with tenant_context(school.establishment):
        booking = services.booking_create(
            actor=school.guardian,
            child=school.extra["child"],
            slot=slot_of(evening, school.m(school.teacher).pk, 17),
        )
        # Two days before: nothing yet. The day before: one reminder, even if the task runs twice.
        with time_machine.travel(at(17) - datetime.timedelta(hours=48), tick=False):
            assert notices.reminders_send() == 0
        with time_machine.travel(at(17) - datetime.timedelta(hours=20), tick=False):
            assert notices.reminders_send() == 1
            assert notices.reminders_send() == 0
        titles = [n.title["m"] for n in _to(school.guardian.pk)]
        assert titles.count("Reminder: appointment with %(teacher)s") == 1
        assert Booking.objects.get(pk=booking.pk).reminded_at is not None


@pytest.mark.worker
def test_the_beat_task_reminds_in_every_establishment(committed_db, celery_queue):
    from tenant_apps.appointments.tasks import reminders_task

    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])
    with committed_evening(school, families=1, teachers=1) as setup:
        with tenant_context(school):
            child = Member.objects.get(user_id=setup.children[0].pk)
            slot = setup.evening.slots.order_by("starts_at").first()
            booking = services.booking_create(actor=setup.guardians[0], child=child, slot=slot)
            # The evening is ten days ahead: bring this slot to three hours from now.
            start = timezone.now() + datetime.timedelta(hours=3)
            Slot.objects.filter(pk=slot.pk).update(
                starts_at=start, ends_at=start + datetime.timedelta(minutes=10)
            )
        assert reminders_task.apply_async(queue=celery_queue).get(timeout=60) >= 1
        with tenant_context(school):
            assert Booking.objects.get(pk=booking.pk).reminded_at is not None
            assert [n.title["m"] for n in _to(setup.guardians[0].pk)][
                -1
            ] == "Reminder: appointment with %(teacher)s"
