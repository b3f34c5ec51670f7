"""Celery tasks of appointments (thin: they call the work they do)."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="mbn.appointments.booking_notify",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def booking_notify_task(booking_id: int, event: str) -> int:
    """Tell the people concerned that a booking was made or cancelled (idempotent)."""
    from tenant_apps.appointments.notices import booking_notify

    return booking_notify(booking_id=booking_id, event=event)


@shared_task(name="mbn.appointments.reminders", acks_late=True)
def reminders_task() -> int:
    """Remind guardians of tomorrow's appointments, in every establishment (Celery beat)."""
    from tenant_apps.appointments.notices import reminders_send_everywhere

    return reminders_send_everywhere()
