"""Celery tasks of the provisioning service (thin: they call the services)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from mbn_platform.kernel.errors import Conflict


@shared_task(
    name="tenants.provisioning_job_run",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
    acks_late=True,
)
def provisioning_job_run_task(job_id: int) -> str:
    """Run or resume one provisioning job; its steps are idempotent, so a retry is safe."""
    from tenants.provisioning.jobs import provisioning_job_run

    try:
        return str(provisioning_job_run(job_id=job_id).status)
    except Conflict:
        return "already_running"


@shared_task(name="tenants.establishment_export", acks_late=True)
def establishment_export_task(establishment_id: int, actor_id: int | None = None) -> str:
    """Export one establishment (the archive's key lands in the audit entry and is returned)."""
    from shared_apps.identity.models import User
    from tenants.models import Establishment
    from tenants.offboarding import establishment_export

    establishment = Establishment.objects.get(pk=establishment_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return establishment_export(actor=actor, establishment=establishment).key
