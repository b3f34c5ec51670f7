"""Celery tasks of the timetable (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="mbn.timetable.lesson_change_notify",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def lesson_change_notify_task(change_id: int) -> int:
    """E-mail the people concerned by a lesson change. Idempotent: sent once per change version."""
    from tenant_apps.timetable.notifications import lesson_change_notification_send

    return lesson_change_notification_send(change_id=change_id)
