"""A booking as an iCalendar invitation (RFC 5545): one event, times in UTC, the place (the room
or the video link), the teacher and the child; a cancelled booking gives the same event
cancelled (same UID, ``METHOD:CANCEL``), so calendars remove it."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from rest_framework.request import Request

from tenant_apps.appointments.models import Booking, BookingStatus, Mode


def booking_uid(booking: Booking, host: str) -> str:
    return f"appointment-{booking.pk}@{host}"


def booking_invitation(*, booking: Booking, host: str, establishment_name: str) -> bytes:
    slot = booking.slot
    cancelled = booking.status == BookingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//MBN//Appointments//FR")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", booking_uid(booking, host))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add(
        "summary",
        _("Appointment with %(teacher)s about %(child)s")
        % {"teacher": slot.teacher.display_name, "child": booking.child.display_name},
    )
    if slot.mode == Mode.VIDEO:
        event.add("location", slot.video_link)
        event.add("url", slot.video_link)
    else:
        place = slot.room.name if slot.room else ""
        event.add("location", f"{establishment_name} — {place}" if place else establishment_name)
    description = [establishment_name]
    if slot.evening is not None:
        description.append(slot.evening.title)
    event.add("description", "\n".join(description))
    cal.add_component(event)
    return bytes(cal.to_ical())


def invitation_response(request: HttpRequest | Request, booking: Booking) -> HttpResponse:
    """The invitation as a download (``appointment-<id>.ics``)."""
    tenant = getattr(connection, "tenant", None)
    body = booking_invitation(
        booking=booking,
        host=request.get_host().split(":")[0],
        establishment_name=str(getattr(tenant, "name", "")),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{booking.pk}.ics"'
    return response
