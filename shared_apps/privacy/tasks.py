"""Celery tasks of privacy (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task

from shared_apps.privacy.exports import access_export_build


@shared_task(name="mbn.privacy.access_export", acks_late=True)
def access_export_task(export_id: int) -> str:
    """Build a right-of-access archive (idempotent)."""
    return access_export_build(export_id=export_id).status


@shared_task(name="mbn.privacy.retention_purge", acks_late=True)
def retention_purge_task() -> dict[str, int]:
    """Remove what must not be kept any more (daily, from Celery beat)."""
    from shared_apps.privacy.retention import retention_purge

    return retention_purge()
