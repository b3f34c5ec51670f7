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


@shared_task(name="mbn.connectors.lti_purge", acks_late=True)
def lti_purge_task() -> int:
    """Forget the LTI nonces and client assertions' ids once they can no longer be replayed (a
    day), and the expired access tokens; the launches stay (they open the class's roster)."""
    from shared_apps.connectors.lti_services import lti_state_purge

    return lti_state_purge()
