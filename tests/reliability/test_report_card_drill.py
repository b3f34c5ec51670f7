"""Fault drill: the Celery worker killed (SIGKILL) in the middle of a report-card publication.
Once a worker is back, the reaper finds the publication by its lease and it resumes to the end:
one current PDF per student (no second version, no file left beside it, none missing) and each
family e-mailed once (delivery rows and the mail catcher).

Real processes: the workers (e-mailing a real SMTP catcher), PostgreSQL, Redis. The kill lands at
a known point without sleeping: a transaction of the test holds a student's row (the worker has
made the cards before it, then waits), then the publication's row (the worker has stored the next
student's PDF, its card not committed), and the test kills the worker while it waits there.
Commits; everything made is removed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.notifications.mailcatcher import MailCatcher
from tenant_apps.notifications.models import Delivery, DeliveryStatus, Notification
from tenant_apps.reportcards.generation import card_file_name
from tenant_apps.reportcards.models import Publication, PublicationStatus, ReportCard
from tenant_apps.reportcards.reaper import publications_reap
from tenant_apps.reportcards.tasks import publication_run_task
from tenant_apps.school.models import Member
from tests.reliability.report_card_world import ClassWorld, report_card_class, row_lock
from tests.reliability.workers import backend_waiting_on_a_lock, until, workers

pytestmark = pytest.mark.worker

STUDENTS = 6
BLOCKED = 2  # the worker makes the first two cards, then meets the test's lock


@pytest.fixture
def world(committed_db: None) -> Iterator[ClassWorld]:
    with report_card_class(STUDENTS) as made:
        yield made


@pytest.fixture
def queue(settings: Any) -> str:
    """A queue of the drill's own; what the platform enqueues (the reaper too) goes there."""
    settings.CELERY_TASK_DEFAULT_QUEUE = f"mbn-drill-{uuid.uuid4().hex[:8]}"
    return str(settings.CELERY_TASK_DEFAULT_QUEUE)


def test_a_worker_killed_during_report_card_generation_every_card_is_made_once_each_family_told_once(
    world: ClassWorld, queue: str, tmp_path: Path
) -> None:
    schema = world.school.schema_name
    with schema_context(schema):
        publication = world.publication()

    def state() -> Publication:
        with schema_context(schema):
            return Publication.objects.get(pk=publication.pk)

    def stored(student: Member) -> bool:
        with schema_context(schema):
            return default_storage.exists(
                card_file_name(period_id=world.period.pk, user_id=student.user_id, version=1)
            )

    student_lock = row_lock(world.students[BLOCKED], schema)
    publication_lock: psycopg.Connection[Any] | None = None
    with MailCatcher(tmp_path / "mail") as catcher:
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": catcher.host,
            "EMAIL_PORT": str(catcher.port),
            "EMAIL_USE_TLS": "false",
            "NOTIFICATIONS_QUIET_HOURS": "00:00-00:00",
        }
        try:
            with workers(queue, tmp_path / "workers.log", smtp) as start:
                first = start()
                with schema_context(schema):
                    publication_run_task.apply_async((publication.pk,), queue=queue)
                # Progress shows some report cards, not all: the worker waits on the next student.
                until(lambda: state().done == BLOCKED and backend_waiting_on_a_lock(), what="two cards made")
                publication_lock = row_lock(publication, schema)
                student_lock.rollback()
                # The next student's PDF is stored, its card not committed: the worker waits to count it.
                until(
                    lambda: stored(world.students[BLOCKED]) and backend_waiting_on_a_lock(),
                    what="the third PDF stored, its card waiting",
                )
                assert (state().status, state().done, state().total) == (
                    PublicationStatus.RUNNING,
                    BLOCKED,
                    STUDENTS,
                )
                first.kill()
                publication_lock.rollback()
                # The dead worker's connection ends, and with it the lease: the reaper sends it again.
                resumed = until(lambda: publications_reap().resumed, what="the reaper")
                assert resumed == [(schema, publication.pk)]
                start()
                until(lambda: state().status == PublicationStatus.DONE, what="the publication's end")
                with schema_context(schema):
                    cards = list(ReportCard.objects.filter(publication=publication))
                    sources = [f"report_card:{card.pk}" for card in cards]
                    deliveries = Delivery.objects.filter(
                        recipient__notification__source__in=sources, channel="email"
                    )
                    until(
                        lambda: (
                            deliveries.count() == STUDENTS
                            and not deliveries.exclude(status=DeliveryStatus.SENT).exists()
                        ),
                        what="every e-mail sent",
                    )
                    until(lambda: len(catcher.messages()) >= STUDENTS, what="the e-mails caught")
        finally:
            student_lock.close()
            if publication_lock is not None:
                publication_lock.close()
            connection.set_schema_to_public()

        done = state()
        assert (done.status, done.done, done.total, done.attempts) == (
            PublicationStatus.DONE,
            STUDENTS,
            STUDENTS,
            2,
        )
        with schema_context(schema):
            # One card per student, version 1 and current; the files stored are exactly theirs.
            assert sorted(card.student_id for card in cards) == sorted(s.pk for s in world.students)
            assert ReportCard.objects.filter(period=world.period).count() == STUDENTS
            assert all(card.version == 1 and card.is_current for card in cards)
            _dirs, files = default_storage.listdir(f"{schema}/reportcards/{world.period.pk}")
            assert {f"{schema}/reportcards/{world.period.pk}/{name}" for name in files} == {
                c.file for c in cards
            }
            # One notification per card, one e-mail delivery per guardian.
            assert Notification.objects.filter(source__in=sources).count() == STUDENTS
            assert sorted(deliveries.values_list("recipient__user_id", flat=True)) == sorted(
                g.pk for g in world.guardians
            )
        caught = sorted(message.to for message in catcher.messages())
        assert caught == sorted(g.email for g in world.guardians)
    assert (
        AuditEntry.objects.filter(
            action="reportcards.publication_resumed",
            establishment=world.school,
            target_id=str(publication.pk),
        ).count()
        == 1
    )
