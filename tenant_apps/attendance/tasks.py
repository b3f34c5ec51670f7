"""Celery tasks of attendance (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="mbn.attendance.absence_notices_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def absence_notices_send_task(register_ids: list[int]) -> int:
    """Tell guardians of the unjustified absences queued in these registers (idempotent)."""
    from tenant_apps.attendance.services import absence_notices_send

    return absence_notices_send(register_ids=register_ids)
