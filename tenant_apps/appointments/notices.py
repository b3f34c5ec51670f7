"""Telling people about appointments, through the notification service (never mail sent here):
a booking made (the guardian, with the link to its calendar invitation, and the teacher), a
booking cancelled (the other side), and the reminder the day before (the guardian).

Enqueued on commit (``*_enqueue``), run by Celery in the establishment's schema; idempotent: each
notice carries a ``source`` key the service stores once, and a reminder marks its booking."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tenants.utils import tenant_context

from tenant_apps.appointments.models import Booking, BookingStatus

REMINDER_HOURS = 24
BOOKED, CANCELLED_BY_FAMILY, CANCELLED_BY_STAFF = "booked", "cancelled_by_family", "cancelled_by_staff"


def _enqueue(booking_id: int, event: str) -> None:
    from tenant_apps.appointments.tasks import booking_notify_task

    transaction.on_commit(
        lambda: booking_notify_task.apply_async(
            args=(booking_id, event), queue=settings.CELERY_TASK_DEFAULT_QUEUE
        )
    )


def booking_confirmations_enqueue(booking_ids: list[int]) -> None:
    for pk in booking_ids:
        _enqueue(pk, BOOKED)


def booking_cancellation_enqueue(booking_id: int, *, by_staff: bool) -> None:
    _enqueue(booking_id, CANCELLED_BY_STAFF if by_staff else CANCELLED_BY_FAMILY)


def _load(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("slot__teacher", "slot__room", "slot__evening", "child", "guardian")
        .filter(pk=booking_id)
        .first()
    )


def booking_notify(*, booking_id: int, event: str) -> int:
    """Tell the people concerned by this booking's ``event``; returns how many were addressed."""
    from shared_apps.notifications.service import notify
    from shared_apps.notifications.text import Text
    from shared_apps.notifications.types import NotificationType

    booking = _load(booking_id)
    if booking is None:
        return 0
    slot, child = booking.slot, booking.child
    values = {
        "teacher": slot.teacher.display_name,
        "child": child.display_name,
        "when": timezone.localtime(slot.starts_at),
    }
    link = reverse("appointments-home")
    sent = 0
    if event == BOOKED:
        if booking.status != BookingStatus.BOOKED:
            return 0
        invitation = reverse("appointments-booking-ics", args=[booking.pk])
        sent += notify(
            actor=None,
            type=NotificationType.APPOINTMENT,
            recipients=[booking.guardian.user_id],
            title=Text(gettext_noop("Appointment booked with %(teacher)s"), **values),
            body=Text(
                gettext_noop(
                    "Your appointment with %(teacher)s about %(child)s is booked for %(when)s. "
                    "Add it to your calendar: %(invitation)s"
                ),
                invitation=invitation,
                **values,
            ),
            link=invitation,
            source=f"appointment:{booking.pk}:booked",
            about_user_id=child.user_id,
        ).recipients
        sent += notify(
            actor=None,
            type=NotificationType.APPOINTMENT,
            recipients=[slot.teacher.user_id],
            title=Text(gettext_noop("New appointment about %(child)s"), **values),
            body=Text(gettext_noop("%(child)s's guardian booked your slot of %(when)s."), **values),
            link=link,
            source=f"appointment:{booking.pk}:booked:teacher",
        ).recipients
        return sent
    if booking.status != BookingStatus.CANCELLED:
        return 0
    to = [booking.guardian.user_id] if event == CANCELLED_BY_STAFF else [slot.teacher.user_id]
    return notify(
        actor=None,
        type=NotificationType.APPOINTMENT,
        recipients=to,
        title=Text(gettext_noop("Appointment cancelled: %(teacher)s, %(child)s"), **values),
        body=Text(gettext_noop("The appointment of %(when)s about %(child)s is cancelled."), **values),
        link=link,
        source=f"appointment:{booking.pk}:cancelled",
        about_user_id=child.user_id,
    ).recipients


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the guardians of the appointments of the next 24 hours, once each (the current
    schema)."""
    from shared_apps.notifications.service import notify
    from shared_apps.notifications.text import Text
    from shared_apps.notifications.types import NotificationType

    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + datetime.timedelta(hours=REMINDER_HOURS),
    ).select_related("slot__teacher", "slot__room", "child", "guardian")
    count = 0
    for booking in due:
        with transaction.atomic():
            locked = (
                Booking.objects.select_for_update().filter(pk=booking.pk, reminded_at__isnull=True).first()
            )
            if locked is None:
                continue
            slot = booking.slot
            place = slot.video_link if slot.video_link else (slot.room.name if slot.room else "")
            values = {
                "teacher": slot.teacher.display_name,
                "child": booking.child.display_name,
                "when": timezone.localtime(slot.starts_at),
                "place": place or "—",
            }
            notify(
                actor=None,
                type=NotificationType.APPOINTMENT,
                recipients=[booking.guardian.user_id],
                title=Text(gettext_noop("Reminder: appointment with %(teacher)s"), **values),
                body=Text(
                    gettext_noop(
                        "Your appointment with %(teacher)s about %(child)s is on %(when)s (%(place)s)."
                    ),
                    **values,
                ),
                link=reverse("appointments-booking-ics", args=[booking.pk]),
                source=f"appointment:{booking.pk}:reminder",
                about_user_id=booking.child.user_id,
            )
            Booking.objects.filter(pk=booking.pk).update(reminded_at=now)
            count += 1
    return count


def reminders_send_everywhere(*, now: datetime.datetime | None = None) -> int:
    """``reminders_send`` in each establishment that serves (one schema at a time)."""
    from tenants.models import Establishment, EstablishmentStatus

    total = 0
    for school in Establishment.objects.filter(status=EstablishmentStatus.ACTIVE).order_by("pk"):
        with tenant_context(school):
            total += reminders_send(now=now)
    return total
