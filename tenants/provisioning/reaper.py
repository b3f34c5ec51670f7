"""Onboarding jobs whose worker died: found by their lease, resumed or failed visibly.

A running job holds its advisory lock (``jobs._job_lock``) on its worker's database connection for
as long as it runs; PostgreSQL releases it when that connection ends, so a job still marked
``running`` whose lock is free has lost its worker (killed, out of memory, its task lost). The
reaper (a beat task, every minute) runs it again from its first step not done — steps are
idempotent — or, after ``MAX_ATTEMPTS`` runs, marks it failed with a message for the operator,
who resumes or rolls it back from the console. Either way, an audit entry says so.

A job still ``pending`` long after it was enqueued (``PENDING_LEASE``) has lost its task message
(a broker that restarted empty): it is enqueued again (``provisioning.job_requeued``). A second
message for a job whose first is merely late is harmless: a run takes the job's lock, and a job
already done is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import audit_record
from tenants.models import JobStatus, ProvisioningJob
from tenants.provisioning.jobs import _job_lock

MAX_ATTEMPTS = 5
#: A job still pending this long after it was enqueued (or last re-enqueued) has lost its message.
PENDING_LEASE = datetime.timedelta(minutes=10)


@dataclass
class Reaped:
    resumed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)


def _pending_requeue(*, lease: datetime.timedelta, limit: int) -> list[int]:
    """Mark the pending jobs whose message was lost as enqueued now; their ids."""
    requeued = []
    stale = ProvisioningJob.objects.filter(
        status=JobStatus.PENDING, updated_at__lt=timezone.now() - lease
    ).order_by("pk")
    for job_id in stale.values_list("pk", flat=True)[:limit]:
        with _job_lock(job_id) as free:
            job = ProvisioningJob.objects.get(pk=job_id)
            if not free or job.status != JobStatus.PENDING:
                continue  # a worker took it meanwhile
            job.save(update_fields=["updated_at"])  # the lease starts again
            audit_record(
                actor=None,
                action="provisioning.job_requeued",
                establishment=job.establishment,
                target=job,
                details={"job": job.pk, "uai": job.uai, "pending_since": job.created_at.isoformat()},
            )
            requeued.append(job.pk)
    return requeued


def provisioning_jobs_reap(
    *, max_attempts: int = MAX_ATTEMPTS, pending_lease: datetime.timedelta = PENDING_LEASE, limit: int = 200
) -> Reaped:
    """Resume (enqueue again) or fail the running jobs whose worker died, and enqueue again the
    pending jobs whose message was lost; what was done."""
    from tenants.provisioning.tasks import provisioning_job_run_task

    reaped = Reaped(requeued=_pending_requeue(lease=pending_lease, limit=limit))
    running = ProvisioningJob.objects.filter(status=JobStatus.RUNNING).order_by("pk")
    for job_id in running.values_list("pk", flat=True)[:limit]:
        with _job_lock(job_id) as free:
            if not free:
                continue  # its worker holds the lease: alive
            job = ProvisioningJob.objects.get(pk=job_id)
            if job.status != JobStatus.RUNNING:
                continue  # it ended between the listing and the lock
            if job.attempts >= max_attempts:
                job.status = JobStatus.FAILED
                job.error = _(
                    "The worker running this job stopped %(count)s times before it ended; resume it "
                    "or roll it back."
                ) % {"count": job.attempts}
                job.finished_at = timezone.now()
                job.save(update_fields=["status", "error", "finished_at", "updated_at"])
                reaped.failed.append(job.pk)
                action = "provisioning.job_abandoned"
            else:
                reaped.resumed.append(job.pk)
                action = "provisioning.job_resumed"
            audit_record(
                actor=None,
                action=action,
                establishment=job.establishment,
                target=job,
                details={"job": job.pk, "uai": job.uai, "attempts": job.attempts, "steps": sorted(job.steps)},
            )
    # Enqueued once the leases are released: a worker taking it at once must find the lock free.
    for job_id in reaped.resumed + reaped.requeued:
        provisioning_job_run_task.apply_async(args=(job_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    return reaped
