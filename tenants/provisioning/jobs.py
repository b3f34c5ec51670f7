"""Recording, running, resuming and rolling back provisioning jobs; onboarding one at once.

A job runs its steps in order, each in its own transaction with the record that it is done; a
PostgreSQL advisory lock keeps two workers from running the same job at once. A failed job (or
one whose worker died) is resumed by running it again, or rolled back step by step in reverse.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, Conflict, ValidationFailed
from tenants.models import Establishment, JobStatus, ProvisioningBatch, ProvisioningJob
from tenants.provisioning import onboarding
from tenants.provisioning.validation import OnboardingData, onboarding_data_validate

JOB_LOCK_NAMESPACE = 0x4D424E  # "MBN": advisory locks of provisioning jobs


@transaction.atomic
def onboarding_job_create(
    *,
    actor: Actor | None,
    data: Mapping[str, object] | OnboardingData,
    batch: ProvisioningBatch | None = None,
) -> ProvisioningJob:
    """Record an onboarding job after checking its data (400 per field, 409 when taken)."""
    clean = data if isinstance(data, OnboardingData) else onboarding_data_validate(data)
    if isinstance(data, OnboardingData):
        onboarding_data_validate(data.as_params())
    return ProvisioningJob.objects.create(
        kind=ProvisioningJob.Kind.ONBOARD,
        uai=clean.uai,
        params=clean.as_params(),
        batch=batch,
        created_by_id=actor_id(actor),
    )


@contextmanager
def _job_lock(job_id: int) -> Iterator[bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [JOB_LOCK_NAMESPACE, job_id])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [JOB_LOCK_NAMESPACE, job_id])


def provisioning_job_run(*, job_id: int) -> ProvisioningJob:
    """Run (or resume) a job from its first step not done. Idempotent; safe to call again."""
    with _job_lock(job_id) as locked:
        job = ProvisioningJob.objects.get(pk=job_id)
        if not locked:
            raise Conflict(_("This job is already running."), code=ErrorCode.JOB_RUNNING)
        if job.status in (JobStatus.SUCCEEDED, JobStatus.ROLLED_BACK):
            return job
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.error = ""
        job.save(update_fields=["status", "attempts", "error", "updated_at"])
        for name in onboarding.ONBOARDING_STEPS:
            if job.step_done(name):
                continue
            try:
                with transaction.atomic():
                    do, _undo = onboarding.ONBOARDING_STEPS[name]
                    do(job)
                    job.steps = {**job.steps, name: {"status": "done", "at": timezone.now().isoformat()}}
                    job.save(update_fields=["steps", "establishment", "params", "updated_at"])
            except Exception as error:  # recorded on the job; the operator resumes or rolls back
                tenant_db().set_schema_to_public()
                message = (
                    error.message
                    if isinstance(error, ApplicationError)
                    else f"{type(error).__name__}: {error}"
                )
                job.refresh_from_db(fields=["steps", "establishment", "params"])
                job.steps = {
                    **job.steps,
                    name: {"status": "failed", "at": timezone.now().isoformat(), "error": message[:2000]},
                }
                job.status = JobStatus.FAILED
                job.error = message[:2000]
                if not isinstance(error, ApplicationError):
                    job.error += "\n" + traceback.format_exc(limit=5)[-3000:]
                job.save(update_fields=["steps", "status", "error", "updated_at"])
                return job
        job.status = JobStatus.SUCCEEDED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "updated_at"])
        return job


def provisioning_job_rollback(*, actor: Actor | None, job_id: int) -> ProvisioningJob:
    """Undo the steps a job did, in reverse order, leaving nothing of the establishment."""
    with _job_lock(job_id) as locked:
        job = ProvisioningJob.objects.get(pk=job_id)
        if not locked:
            raise Conflict(_("This job is running; wait for it to stop."), code=ErrorCode.JOB_RUNNING)
        if job.status == JobStatus.ROLLED_BACK:
            return job
        if job.status == JobStatus.SUCCEEDED:
            raise ValidationFailed(
                _("A finished onboarding is not rolled back: offboard the establishment instead."),
                code=ErrorCode.JOB_SUCCEEDED,
            )
        for name in reversed(list(onboarding.ONBOARDING_STEPS)):
            state = job.steps.get(name, {})
            if not state:
                continue
            with transaction.atomic():
                _do, undo = onboarding.ONBOARDING_STEPS[name]
                undo(job)
                steps = dict(job.steps)
                steps.pop(name, None)
                job.steps = steps
                job.save(update_fields=["steps", "establishment", "updated_at"])
        job.status = JobStatus.ROLLED_BACK
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "updated_at"])
        audit_record(actor=actor, action="provisioning.rollback", details={"job": job.pk, "uai": job.uai})
        return job


def establishment_create(
    *,
    actor: Actor | None,
    uai: str,
    name: str,
    kind: str,
    academie: str,
    departement: str,
    subdomain: str,
    admin_email: str = "",
) -> Establishment:
    """Onboard an establishment now: record an onboarding job and run its steps here.

    Bad data is refused before anything is written (400 per field, 409 when the UAI or the
    subdomain is taken). If a step fails, the job is rolled back and the error raised: nothing
    is left behind.
    """
    job = onboarding_job_create(
        actor=actor,
        data={
            "uai": uai,
            "name": name,
            "kind": kind,
            "academie": academie,
            "departement": departement,
            "subdomain": subdomain,
            "admin_email": admin_email,
        },
    )
    job = provisioning_job_run(job_id=job.pk)
    if job.status != JobStatus.SUCCEEDED:
        provisioning_job_rollback(actor=actor, job_id=job.pk)
        raise ApplicationError(
            job.error.splitlines()[0] if job.error else None, code=ErrorCode.ONBOARDING_FAILED
        )
    assert job.establishment is not None  # noqa: S101  (a succeeded job has its establishment)
    return job.establishment
