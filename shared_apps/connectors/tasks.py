"""Celery tasks of the connectors (thin: they call a service)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from shared_apps.connectors.gar_export import gar_export_run
from shared_apps.connectors.models import GarExportStatus


@shared_task(
    name="mbn.connectors.gar_export", bind=True, acks_late=True, max_retries=6, default_retry_delay=20 * 60
)
def gar_export_task(self: Any) -> str:
    """Tonight's export to the GAR (once a night); a failed delivery is retried every 20 minutes."""
    run = gar_export_run()
    if run.status == GarExportStatus.FAILED:
        raise self.retry()
    return str(run.status)
