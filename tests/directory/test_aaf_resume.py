"""A feed run whose worker is killed midway (SIGKILL: nothing runs on the way out) is resumed by
the next tick: the establishments applied are not applied again, the others are."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

from shared_apps.directory.aaf.feeds import aaf_feed_create
from shared_apps.directory.aaf.runs import aaf_feed_run, feed_lock
from shared_apps.directory.aaf.tasks import aaf_feed_task
from shared_apps.directory.models import (
    AafFeed,
    AafRun,
    DirectoryImport,
    DirectoryRecord,
    FeedRunStatus,
    ImportStatus,
)
from shared_apps.identity.models import Membership, User
from tenants.models import Establishment
from tenants.provisioning.jobs import establishment_create, provisioning_job_rollback
from tenants.uai import uai_check_letter
from tests.directory.aaf_data import Agent, Etab, Pupil, Relative, complete_set, drop

pytestmark = pytest.mark.worker

SCHOOLS = 3


def _worker(queue: str, root: Path) -> subprocess.Popen[bytes]:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "MBN_ENV": "test",
        "MBN_STATE_DIR": str(settings.CELERY_STATE_DIR),
        "AAF_FEEDS_ROOT": str(root),
        "AAF_APPLY_PAUSE_SECONDS": "4",  # time to kill it between two establishments
    }
    celery = str(Path(sys.executable).with_name("celery"))
    command = [
        celery,
        "-A",
        "mbn_platform.config",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
        "-Q",
        queue,
    ]
    return subprocess.Popen(
        [*command, "--without-heartbeat", "--without-gossip", "--without-mingle"], env=env
    )


def _wait(condition, seconds: float = 90):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def _schools(academie: str) -> list[Establishment]:
    made = []
    for n in range(SCHOOLS):
        digits = f"067{9700 + n}"
        made.append(
            establishment_create(
                actor=None,
                uai=digits + uai_check_letter(digits),
                name=f"Reprise {n}",
                kind="college",
                academie=academie,
                departement="67",
                subdomain=f"reprise-{uuid.uuid4().hex[:6]}",
            )
        )
    return made


def _cleanup(schools: list[Establishment], feed_ids: list[int]) -> None:
    connection.set_schema_to_public()
    user_ids = list(
        DirectoryRecord.objects.filter(establishment__in=schools).values_list("user_id", flat=True)
    )
    runs = list(AafRun.objects.filter(feed_id__in=feed_ids).values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:  # the audit log is append-only
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM audit_auditentry WHERE establishment_id = ANY(%s) "
            "OR (action LIKE 'directory.feed%%' AND target_id = ANY(%s))",
            [[s.pk for s in schools], [str(pk) for pk in runs + feed_ids]],
        )
    DirectoryImport.objects.filter(establishment__in=schools).delete()
    AafFeed.objects.filter(pk__in=feed_ids).delete()
    User.objects.filter(pk__in=user_ids).delete()
    for school in schools:
        for job in school.provisioning_jobs.all():
            Establishment.objects.filter(pk=school.pk).update(status="provisioning")
            job.status = "failed"
            job.save(update_fields=["status"])
            provisioning_job_rollback(actor=None, job_id=job.pk)


def test_a_run_whose_worker_is_killed_is_resumed_without_applying_anything_twice(
    django_db_setup, django_db_blocker, tmp_path
):
    academie = f"Reprise {uuid.uuid4().hex[:6]}"
    queue = f"mbn-test-aaf-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock(), override_settings(AAF_FEEDS_ROOT=tmp_path):
        schools, feed_ids = _schools(academie), []
        worker = _worker(queue, tmp_path)
        try:
            feed = aaf_feed_create(actor=None, academie=academie, location="reprise")
            feed_ids.append(feed.pk)
            etabs = [Etab(f"X{n}", school.uai, school.name) for n, school in enumerate(schools)]
            pupils = [
                Pupil(
                    f"P{n}-{k}", f"Reprise{n}", f"Élève{k}", f"X{n}", "6A", relations=[f"G{n}-{k}$1$0$1$0$0"]
                )
                for n in range(SCHOOLS)
                for k in range(4)
            ]
            relatives = [
                Relative(f"G{n}-{k}", f"Reprise{n}", f"Parent{k}") for n in range(SCHOOLS) for k in range(4)
            ]
            agents = [Agent(f"A{n}", f"Reprise{n}", "Prof", [(f"X{n}", "ENS")]) for n in range(SCHOOLS)]
            drop(tmp_path / "reprise", complete_set("20250901", etabs, pupils, relatives, agents))

            aaf_feed_task.apply_async(args=(feed.pk,), queue=queue)
            run = _wait(lambda: AafRun.objects.filter(feed=feed).first())
            _wait(lambda: run.imports.filter(status=ImportStatus.APPLIED).exists())
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=20)

            run.refresh_from_db()
            statuses = list(run.imports.values_list("status", flat=True))
            assert run.status == FeedRunStatus.APPLYING
            assert 1 <= statuses.count(ImportStatus.APPLIED) < SCHOOLS
            _wait(lambda: _lock_free(feed.pk), 30)  # released with the dead worker's connection

            [resumed] = aaf_feed_run(feed_id=feed.pk)  # what the next tick does for this feed

            assert resumed.pk == run.pk and resumed.status == FeedRunStatus.APPLIED
            assert resumed.attempts == 2
            assert (
                sorted(resumed.imports.values_list("status", flat=True)) == [ImportStatus.APPLIED] * SCHOOLS
            )
            # Each establishment applied once: nobody twice, one applied-import entry each.
            assert User.objects.filter(last_name__startswith="Reprise").count() == SCHOOLS * 9
            assert Membership.objects.filter(establishment__in=schools).count() == SCHOOLS * 9
            from shared_apps.audit.models import AuditEntry

            applied = AuditEntry.objects.filter(establishment__in=schools, action="directory.import_applied")
            assert sorted(applied.values_list("establishment_id", flat=True)) == sorted(s.pk for s in schools)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            _cleanup(schools, feed_ids)


def _lock_free(feed_id: int) -> bool:
    with feed_lock(feed_id) as locked:
        return locked
