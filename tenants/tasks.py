"""Celery tasks of the provisioning service (thin: they call the services)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from mbn_platform.errors import Conflict


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
