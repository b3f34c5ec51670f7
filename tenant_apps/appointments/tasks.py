"""Celery tasks of appointments (thin: they call the work they do)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="mbn.appointments.reminders", acks_late=True, autoretry_for=(OSError,), max_retries=3)
def reminders_task() -> int:
    """Remind guardians of their appointments of the next 24 hours, in every establishment
    (Celery beat, every 15 minutes; idempotent: a booking is reminded once)."""
    from tenant_apps.appointments.notices import reminders_send_everywhere

    return reminders_send_everywhere()
