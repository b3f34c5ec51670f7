"""The provisioning job's Celery task (thin: it runs the job), and its enqueueing."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError, transaction

from mbn_platform.kernel.errors import Conflict
from tenants.models import ProvisioningJob
from tenants.provisioning.jobs import provisioning_job_run


@shared_task(
    name="tenants.provisioning_job_run",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
    acks_late=True,
)
def provisioning_job_run_task(job_id: int) -> str:
    """Run or resume one provisioning job; its steps are idempotent, so a retry is safe."""
    try:
        return str(provisioning_job_run(job_id=job_id).status)
    except Conflict:
        return "already_running"


def provisioning_job_enqueue(*, job: ProvisioningJob) -> None:
    """Run the job in a Celery worker once the current transaction commits. Robust: with the
    broker away the job stays pending (logged) and the reaper enqueues it once it is back."""
    job_id = job.pk
    transaction.on_commit(lambda: provisioning_job_run_task.delay(job_id), robust=True)
