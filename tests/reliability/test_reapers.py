"""The reapers: work whose lease is held is left alone; work whose worker died is resumed, then
failed visibly once it has died too often. And the production settings redeliver a task whose
worker died (acks_late, reject on worker lost, Redis visibility timeout)."""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.directory.import_run import ADVISORY_LOCK_NAMESPACE
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.reaper import MAX_ATTEMPTS as IMPORT_ATTEMPTS
from shared_apps.directory.reaper import directory_imports_reap
from tenant_apps.reportcards.generation import lease_key
from tenant_apps.reportcards.models import Publication, PublicationStatus
from tenant_apps.reportcards.reaper import MAX_ATTEMPTS as PUBLICATION_ATTEMPTS
from tenant_apps.reportcards.reaper import QUEUED_LEASE, publications_reap
from tenants.models import Establishment, JobStatus, ProvisioningJob
from tenants.provisioning.jobs import JOB_LOCK_NAMESPACE
from tenants.provisioning.reaper import MAX_ATTEMPTS, provisioning_jobs_reap
from tests.conftest import SESSION_SCHOOLS
from tests.reliability.report_card_world import report_card_class
from tests.reliability.workers import database_url


@pytest.fixture
def other_connection() -> Iterator[psycopg.Connection[Any]]:
    """Another session: a live worker holding a lease."""
    with psycopg.connect(database_url(), autocommit=True) as conn:
        yield conn


@pytest.fixture
def no_enqueue(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """What the reapers enqueue, recorded instead of sent (the drills use a real worker)."""
    sent: list[tuple[Any, ...]] = []
    from mbn_platform.config.celery import app
    from tenants.provisioning.tasks import provisioning_job_run_task

    monkeypatch.setattr(app, "send_task", lambda name, args, queue: sent.append((name, *args)))
    monkeypatch.setattr(
        provisioning_job_run_task,
        "apply_async",
        lambda args, queue: sent.append((provisioning_job_run_task.name, *args)),
    )
    return sent


def test_running_jobs_are_resumed_only_when_their_lease_is_free_and_failed_after_too_many_runs(
    db: None, other_connection: psycopg.Connection[Any], no_enqueue: list[tuple[Any, ...]]
) -> None:
    alive, dead, hopeless = (
        ProvisioningJob.objects.create(uai=f"067990{n}X", status=JobStatus.RUNNING, attempts=attempts)
        for n, attempts in ((1, 1), (2, 1), (3, MAX_ATTEMPTS))
    )
    other_connection.execute("SELECT pg_advisory_lock(%s, %s)", [JOB_LOCK_NAMESPACE, alive.pk])

    reaped = provisioning_jobs_reap()

    assert (reaped.resumed, reaped.failed) == ([dead.pk], [hopeless.pk])
    assert no_enqueue == [("tenants.provisioning_job_run", dead.pk)]
    alive.refresh_from_db(), dead.refresh_from_db(), hopeless.refresh_from_db()
    assert alive.status == dead.status == JobStatus.RUNNING
    assert hopeless.status == JobStatus.FAILED and "stopped 5 times" in hopeless.error
    assert AuditEntry.objects.filter(action="provisioning.job_abandoned", target_id=str(hopeless.pk)).exists()


def test_pending_jobs_whose_message_was_lost_are_enqueued_again_once_per_lease(
    db: None, other_connection: psycopg.Connection[Any], no_enqueue: list[tuple[Any, ...]]
) -> None:
    lost, late, recent = (
        ProvisioningJob.objects.create(uai=f"067991{n}X", status=JobStatus.PENDING) for n in (1, 2, 3)
    )
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ProvisioningJob.objects.filter(pk__in=[lost.pk, late.pk]).update(updated_at=an_hour_ago)
    # ``late``'s worker took it just now (it holds the job's lock): left to it.
    other_connection.execute("SELECT pg_advisory_lock(%s, %s)", [JOB_LOCK_NAMESPACE, late.pk])

    reaped = provisioning_jobs_reap()

    assert reaped.requeued == [lost.pk] and not reaped.resumed and not reaped.failed
    assert no_enqueue == [("tenants.provisioning_job_run", lost.pk)]
    lost.refresh_from_db(), recent.refresh_from_db()
    assert lost.status == recent.status == JobStatus.PENDING and lost.updated_at > an_hour_ago
    assert AuditEntry.objects.filter(action="provisioning.job_requeued", target_id=str(lost.pk)).count() == 1
    # Its lease starts again: not sent twice in a row.
    assert provisioning_jobs_reap().requeued == [] and len(no_enqueue) == 1


def test_publications_are_sent_again_when_their_worker_died_or_their_message_was_lost(
    committed_db: None, other_connection: psycopg.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, int]] = []
    from mbn_platform.config.celery import app

    monkeypatch.setattr(app, "send_task", lambda name, args, queue: sent.append((name, args[0])))
    with report_card_class(1) as world:
        schema = world.school.schema_name
        alive, dead, lost, waiting, hopeless = (world.publication() for _ in range(5))
        old = timezone.now() - QUEUED_LEASE - datetime.timedelta(minutes=1)
        with schema_context(schema):
            running = Publication.objects.filter(pk__in=[alive.pk, dead.pk, hopeless.pk])
            running.update(status=PublicationStatus.RUNNING, attempts=1)
            Publication.objects.filter(pk=hopeless.pk).update(attempts=PUBLICATION_ATTEMPTS)
            Publication.objects.filter(pk=lost.pk).update(enqueued_at=old)
            # ``alive``'s worker holds its lease.
            other_connection.execute(
                "SELECT pg_advisory_lock(hashtextextended(%s, 0))", [lease_key(alive.pk)]
            )

        reaped = publications_reap()

        assert reaped.resumed == [(schema, dead.pk), (schema, lost.pk)] and sent == [
            ("mbn.reportcards.publication_run", dead.pk),
            ("mbn.reportcards.publication_run", lost.pk),
        ]
        assert reaped.failed == [(schema, hopeless.pk)]
        with schema_context(schema):
            status = dict(
                Publication.objects.filter(school_class=world.school_class).values_list("pk", "status")
            )
            assert Publication.objects.get(pk=lost.pk).enqueued_at > old
        assert (
            status[alive.pk],
            status[dead.pk],
            status[lost.pk],
            status[waiting.pk],
            status[hopeless.pk],
        ) == (
            "running",
            "running",
            "queued",
            "queued",
            "failed",
        )
        assert publications_reap().resumed == [(schema, dead.pk)]  # ``lost``'s lease started again


def test_applying_imports_are_resumed_only_when_the_lock_is_free_and_failed_after_too_many_resumes(
    db: None, other_connection: psycopg.Connection[Any], no_enqueue: list[tuple[Any, ...]]
) -> None:
    school_a = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    school_b = Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])
    alive = DirectoryImport.objects.create(establishment=school_a, status=ImportStatus.APPLYING)
    dead = DirectoryImport.objects.create(establishment=school_b, status=ImportStatus.APPLYING, attempts=1)
    other_connection.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, school_a.pk])

    assert directory_imports_reap().resumed == [dead.pk]
    assert no_enqueue == [("mbn.directory.import_run", dead.pk)]
    DirectoryImport.objects.filter(pk=dead.pk).update(attempts=IMPORT_ATTEMPTS)  # died every time
    reaped = directory_imports_reap()

    assert reaped.failed == [dead.pk] and not reaped.resumed and len(no_enqueue) == 1
    alive.refresh_from_db(), dead.refresh_from_db()
    assert alive.status == ImportStatus.APPLYING
    assert dead.status == ImportStatus.FAILED and "its worker died" in dead.errors[0]["message"]


def test_production_settings_redeliver_a_task_whose_worker_died() -> None:
    """acks_late and reject-on-worker-lost with the Redis broker, as production runs."""
    code = (
        "from mbn_platform.config import settings as s; "
        "print(s.CELERY_BROKER_URL.split(':')[0], s.CELERY_TASK_ACKS_LATE, "
        "s.CELERY_TASK_REJECT_ON_WORKER_LOST, "
        "s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], "
        "sum('reap' in name for name in s.CELERY_BEAT_SCHEDULE))"
    )
    env = {
        "MBN_ENV": "production",
        "SECRET_KEY": "x" * 64,
        "DATABASE_URL": "postgres://u@db.internal:5432/mbn",
        "REDIS_URL": "rediss://cache.internal:6379/0",
        "MBN_BASE_DOMAIN": "ent.example.org",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["rediss", "True", "True", "3600", "3"]
