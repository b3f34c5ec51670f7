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


@shared_task(name="mbn.reportcards.publications_reap", acks_late=True)
def publications_reap_task() -> int:
    """Every two minutes: publications whose worker died or whose message was lost, sent again
    (or failed visibly after too many runs)."""
    from tenant_apps.reportcards.reaper import publications_reap

    reaped = publications_reap()
    return len(reaped.resumed) + len(reaped.failed)
