"""Celery tasks of report cards (thin: they call the generation)."""

from __future__ import annotations

from celery import shared_task

from tenant_apps.reportcards.generation import publication_run


@shared_task(
    name="mbn.reportcards.publication_run",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def publication_run_task(publication_id: int) -> int:
    """Make a publication's report cards (idempotent; resumes where a stopped run was)."""
    return publication_run(publication_id=publication_id)
