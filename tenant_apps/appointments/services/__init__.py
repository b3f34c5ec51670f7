"""Writes of appointments (the caller selects the schema): ``evenings`` (parent-teacher evenings
and their teachers' grids of slots), ``slots`` (one-off availability), ``bookings`` (book and
cancel, never twice the same slot). Every write takes ``actor`` and leaves one audit entry
(``appointments.…``)."""

from __future__ import annotations

from tenant_apps.appointments.services.bookings import booking_cancel, booking_create, bookings_make
from tenant_apps.appointments.services.evenings import evening_create, evening_status_set, evening_teacher_add
from tenant_apps.appointments.services.slots import slot_publish, slot_withdraw

__all__ = [
    "booking_cancel",
    "booking_create",
    "bookings_make",
    "evening_create",
    "evening_status_set",
    "evening_teacher_add",
    "slot_publish",
    "slot_withdraw",
]
