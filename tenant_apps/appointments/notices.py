"""Telling people about appointments, through the notification service (never mail sent here):
a booking made (the guardian, with the link to its calendar invitation, and the teacher), a
booking cancelled (the other side), and the reminder of the next 24 hours (the guardian).

``notify`` is called in the service's transaction (the service delivers after the commit); each
notice carries a ``source`` key, which the service stores once: a reminder run twice reminds
once, and a reminded booking is marked."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tenants.utils import tenant_context

from mbn_platform.kernel.actors import Actor
from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.appointments.models import Booking, BookingStatus

REMINDER_HOURS = 24


def _values(booking: Booking) -> dict[str, Any]:
    slot = booking.slot
    place = slot.video_link if slot.video_link else (slot.room.name if slot.room else "")
    return {
        "teacher": slot.teacher.display_name,
        "child": booking.child.display_name,
        "when": timezone.localtime(slot.starts_at),
        "place": place or "-",
    }


def _invitation(booking: Booking) -> str:
    return reverse("appointments-booking-ics", args=[booking.pk])


def booking_made_notify(*, actor: Actor | None, booking: Booking) -> None:
    """The guardian (with the calendar invitation's link) and the teacher."""
    values = _values(booking)
    notify(
        actor=actor,
        type=NotificationType.APPOINTMENT,
        recipients=[booking.guardian.user_id],
        title=Text(gettext_noop("Appointment booked with %(teacher)s"), **values),
        body=Text(
            gettext_noop(
                "Your appointment with %(teacher)s about %(child)s is booked for %(when)s (%(place)s). "
                "Follow the link to add it to your calendar."
            ),
            **values,
        ),
        link=_invitation(booking),
        source=f"appointment:{booking.pk}:booked",
        about_user_id=booking.child.user_id,
    )
    notify(
        actor=actor,
        type=NotificationType.APPOINTMENT,
        recipients=[booking.slot.teacher.user_id],
        title=Text(gettext_noop("New appointment about %(child)s"), **values),
        body=Text(gettext_noop("A guardian of %(child)s booked your slot of %(when)s."), **values),
        link=reverse("appointments-home"),
        source=f"appointment:{booking.pk}:booked:teacher",
    )


def booking_cancelled_notify(*, actor: Actor | None, booking: Booking, by_staff: bool) -> None:
    """The other side: the guardian when staff cancelled, the teacher when the family did."""
    values = _values(booking)
    notify(
        actor=actor,
        type=NotificationType.APPOINTMENT,
        recipients=[booking.guardian.user_id if by_staff else booking.slot.teacher.user_id],
        title=Text(gettext_noop("Appointment cancelled: %(teacher)s, %(child)s"), **values),
        body=Text(gettext_noop("The appointment of %(when)s about %(child)s is cancelled."), **values),
        link=reverse("appointments-home"),
        source=f"appointment:{booking.pk}:cancelled",
        about_user_id=booking.child.user_id,
    )


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the guardians of the appointments of the next 24 hours, once each (the schema
    selected); returns how many were reminded."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + datetime.timedelta(hours=REMINDER_HOURS),
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("slot__teacher", "slot__room", "child", "guardian")
                .filter(pk=pk, reminded_at__isnull=True, status=BookingStatus.BOOKED)
                .first()
            )
            if booking is None:
                continue
            values = _values(booking)
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
                link=_invitation(booking),
                source=f"appointment:{booking.pk}:reminder",
                about_user_id=booking.child.user_id,
            )
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at"])
            count += 1
    return count


def reminders_send_everywhere(*, now: datetime.datetime | None = None) -> int:
    """``reminders_send`` in each active establishment (one schema at a time)."""
    from tenants.models import Establishment, EstablishmentStatus

    total = 0
    for school in Establishment.objects.filter(status=EstablishmentStatus.ACTIVE).order_by("pk"):
        with tenant_context(school):
            total += reminders_send(now=now)
    return total
