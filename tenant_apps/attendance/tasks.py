"""Celery tasks of attendance (thin: they call the work they do, never the services that
enqueue them)."""

from __future__ import annotations

from celery import shared_task

from tenant_apps.attendance.notices import absence_notices_send


@shared_task(
    name="mbn.attendance.absence_notices_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def absence_notices_send_task(register_ids: list[int]) -> int:
    """Tell guardians of the unjustified absences queued in these registers (idempotent)."""
    return absence_notices_send(register_ids=register_ids)
