"""Celery tasks of the establishments' lifecycle (thin: they call the services). The provisioning
job's task lives with the jobs (``tenants/provisioning/tasks.py``); it is imported here so that
the worker, which discovers each app's ``tasks`` module, registers it."""

from __future__ import annotations

from celery import shared_task

from shared_apps.identity.models import User
from tenants.models import Establishment
from tenants.offboarding import establishment_export
from tenants.provisioning.reaper import provisioning_jobs_reap
from tenants.provisioning.tasks import provisioning_job_run_task

__all__ = ["establishment_export_task", "provisioning_job_run_task", "provisioning_jobs_reap_task"]


@shared_task(name="tenants.establishment_export", acks_late=True)
def establishment_export_task(establishment_id: int, actor_id: int | None = None) -> str:
    """Export one establishment (the archive's key lands in the audit entry and is returned)."""
    establishment = Establishment.objects.get(pk=establishment_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return establishment_export(actor=actor, establishment=establishment).key


@shared_task(name="tenants.provisioning_jobs_reap")
def provisioning_jobs_reap_task() -> dict[str, list[int]]:
    """Every minute (beat): resume or fail the onboarding jobs whose worker died, enqueue again
    the pending ones whose message was lost."""
    reaped = provisioning_jobs_reap()
    return {"resumed": reaped.resumed, "failed": reaped.failed, "requeued": reaped.requeued}
