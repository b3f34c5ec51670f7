"""Fault drills: the Celery worker killed (SIGKILL) in the middle of an onboarding and of a
directory import; once a worker is back, the reaper (the beat task's function) finds the work by
its lease and it resumes to completion, with nothing duplicated.

Real processes throughout: the workers, PostgreSQL, Redis. The kill lands at a known point
without sleeping: a transaction of the test holds what the task needs next (the new
establishment's host; the establishment's import lock), the test waits until the worker's
backend is blocked on it, kills the worker, then lets go. Commits; everything made is removed.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.directory.import_run import ADVISORY_LOCK_NAMESPACE
from shared_apps.directory.models import DirectoryImport, DirectoryRecord, ImportStatus
from shared_apps.directory.reaper import directory_imports_reap
from shared_apps.directory.services import directory_import_apply, directory_import_preview
from shared_apps.identity.models import Membership, User
from tenant_apps.school.models import Member
from tenants.models import Domain, Establishment, JobStatus, ProvisioningJob
from tenants.provisioning import onboarding
from tenants.provisioning.jobs import onboarding_job_create
from tenants.provisioning.reaper import provisioning_jobs_reap
from tenants.provisioning.tasks import provisioning_job_run_task
from tenants.subdomains import establishment_host
from tenants.uai import uai_check_letter
from tests.conftest import SESSION_SCHOOLS
from tests.directory.data import Student, csv_files
from tests.directory.helpers import directory_people_cleanup
from tests.provisioning.offboarding_world import tenant_schemas
from tests.reliability.workers import backend_waiting_on_a_lock, database_url, until, workers

pytestmark = pytest.mark.worker


@pytest.fixture
def queue(committed_db: None, settings: Any) -> str:
    """A queue of the drill's own; what the platform enqueues (the reaper too) goes there."""
    settings.CELERY_TASK_DEFAULT_QUEUE = f"mbn-drill-{uuid.uuid4().hex[:8]}"
    return str(settings.CELERY_TASK_DEFAULT_QUEUE)


def _job(job_id: int) -> ProvisioningJob:
    return ProvisioningJob.objects.get(pk=job_id)


def test_a_worker_killed_during_onboarding_the_job_resumes_to_completion_once(
    queue: str, tmp_path: Path
) -> None:
    digits = f"067{secrets.randbelow(10_000):04d}"
    subdomain = f"drill-{secrets.token_hex(3)}"
    email = f"direction.{subdomain}@example.org"
    job = onboarding_job_create(
        actor=None,
        data={
            "uai": digits + uai_check_letter(digits),
            "name": "Collège de l'exercice",
            "kind": "college",
            "academie": "Strasbourg",
            "departement": "67",
            "subdomain": subdomain,
            "admin_email": email,
        },
    )
    host = establishment_host(subdomain)
    schemas_before = tenant_schemas()
    holder = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    # The test's transaction holds the host the job's "domain" step will insert.
    blocker = psycopg.connect(database_url())
    blocker.execute(
        "INSERT INTO tenants_domain (domain, tenant_id, is_primary, redirect) VALUES (%s, %s, false, false)",
        [host, holder.pk],
    )
    log = tmp_path / "workers.log"
    try:
        # No quiet hours for the workers: the invitation is e-mailed at once at any time of day
        # (from 20:00 to 07:00 it would wait for the morning, and the drill checks it was sent once).
        with workers(queue, log, {"NOTIFICATIONS_QUIET_HOURS": "00:00-00:00"}) as start:
            first = start()
            provisioning_job_run_task.apply_async(args=(job.pk,), queue=queue)
            until(
                lambda: backend_waiting_on_a_lock() and _job(job.pk).step_done("schema"),
                what="the worker blocked in the domain step",
            )
            assert _job(job.pk).status == JobStatus.RUNNING
            first.kill()
            blocker.rollback()
            # The dead worker's connection ends, and with it the job's lease: the reaper resumes it.
            assert until(lambda: provisioning_jobs_reap().resumed, what="the reaper") == [job.pk]
            start()
            until(lambda: _job(job.pk).status != JobStatus.RUNNING, what="the job's end")

        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED, job.error
        assert set(job.steps) == set(onboarding.ONBOARDING_STEPS) and job.attempts == 2
        assert all(step["status"] == "done" for step in job.steps.values())
        # Nothing twice: one establishment, one schema, one domain, one invitation e-mail.
        assert Establishment.objects.filter(uai=job.uai).count() == 1
        assert tenant_schemas() - schemas_before == {job.establishment.schema_name}  # type: ignore[union-attr]
        assert Domain.objects.filter(domain=host).count() == 1
        assert log.read_text().count(f"To: {email}") == 1
        assert (
            AuditEntry.objects.filter(action="provisioning.job_resumed", target_id=str(job.pk)).count() == 1
        )
    finally:
        blocker.close()
        connection.set_schema_to_public()
        job.refresh_from_db()
        if job.establishment is not None:
            job.establishment.delete(force_drop=True)
        ProvisioningJob.objects.filter(pk=job.pk).delete()
        User.objects.filter(email=email).delete()


STUDENTS = [
    Student(f"K{n}", f"Drill{n}", "Kill", "2010-01-01", "KD 1", ine=f"KILLED{n:04d}") for n in range(40)
]


def _cleanup(school: Establishment) -> None:
    directory_people_cleanup(school, source_prefix="K", class_name="KD 1")


def test_a_worker_killed_during_a_directory_import_it_is_applied_once_after_restart(
    queue: str, tmp_path: Path
) -> None:
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])
    _cleanup(school)
    preview = directory_import_preview(
        actor=None, establishment=school, files=csv_files(school.uai, STUDENTS, [], [])
    )
    # The test holds the establishment's import lock: the worker marks the import "applying", then waits.
    blocker = psycopg.connect(database_url(), autocommit=True)
    blocker.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, school.pk])
    try:
        with workers(queue, tmp_path / "workers.log") as start:
            first = start()
            with schema_context(school.schema_name):
                directory_import_apply(actor=None, directory_import=preview)  # enqueued on commit
            connection.set_schema_to_public()
            until(
                lambda: (
                    backend_waiting_on_a_lock()
                    and DirectoryImport.objects.get(pk=preview.pk).status == ImportStatus.APPLYING
                ),
                what="the worker applying, blocked",
            )
            first.kill()
            blocker.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, school.pk])
            assert until(lambda: directory_imports_reap().resumed, what="the reaper") == [preview.pk]
            start()
            until(
                lambda: DirectoryImport.objects.get(pk=preview.pk).status != ImportStatus.APPLYING,
                what="the import's end",
            )

        preview.refresh_from_db()
        assert preview.status == ImportStatus.APPLIED, preview.errors
        assert preview.counts["created"] == len(STUDENTS)
        # Nobody twice.
        users = User.objects.filter(national_id__startswith="KILLED")
        assert users.count() == len(STUDENTS)
        assert Membership.objects.filter(user__in=users, establishment=school).count() == len(STUDENTS)
        assert DirectoryRecord.objects.filter(establishment=school, source_id__startswith="K").count() == len(
            STUDENTS
        )
        with schema_context(school.schema_name):
            assert Member.objects.filter(school_class__name="KD 1").count() == len(STUDENTS)
        assert (
            AuditEntry.objects.filter(action="directory.import_applied", target_id=str(preview.pk)).count()
            == 1
        )
    finally:
        blocker.close()
        connection.set_schema_to_public()
        _cleanup(school)
