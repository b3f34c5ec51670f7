"""A publication is made by the real Celery worker, in the establishment it was enqueued from,
and running it again makes nothing more (the worker is another process: this test commits its
data, uniquely named, and removes it)."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.grades.models import Assessment, Grade
from tenant_apps.notifications.models import Notification
from tenant_apps.reportcards.models import Publication, PublicationStatus, ReportCard
from tenant_apps.reportcards.tasks import publication_run_task
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period, SchoolYear, Subject
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS
from tests.reportcards.helpers import pdf_text

pytestmark = pytest.mark.worker

NAME = "WRC"
FAKE_USER_IDS = [9_100_000_001, 9_100_000_002]


def _cleanup() -> None:
    cards = ReportCard.objects.filter(school_class_name=NAME)
    for name in cards.values_list("file", flat=True):
        default_storage.delete(name)
    Notification.objects.filter(
        source__in=[f"report_card:{pk}" for pk in cards.values_list("pk", flat=True)]
    ).delete()
    cards.delete()
    Publication.objects.filter(school_class__name=NAME).delete()
    Grade.objects.filter(assessment__title=NAME).delete()
    Assessment.objects.filter(title=NAME).delete()
    Member.objects.filter(user_id__in=FAKE_USER_IDS).delete()
    Period.objects.filter(name=NAME).delete()
    SchoolYear.objects.filter(name=NAME).delete()
    Subject.objects.filter(code=NAME).delete()
    SchoolClass.objects.filter(name=NAME).delete()


def _wait(publication: Publication) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        publication.refresh_from_db()
        if publication.status in (PublicationStatus.DONE, PublicationStatus.FAILED):
            return
        time.sleep(0.2)


def test_the_worker_makes_a_publications_report_cards_once(celery_queue, django_db_blocker):
    with django_db_blocker.unblock():
        school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
        try:
            with schema_context(school.schema_name):
                _cleanup()
                year = SchoolYear.objects.create(
                    name=NAME,
                    start=datetime.date(2030, 9, 2),
                    end=datetime.date(2031, 7, 4),
                    week_a_monday=datetime.date(2030, 9, 2),
                )
                period = Period.objects.create(
                    year=year, name=NAME, kind="trimester", start=year.start, end=datetime.date(2030, 11, 30)
                )
                school_class = SchoolClass.objects.create(name=NAME, level="6e")
                subject = Subject.objects.create(code=NAME, name="Physique")
                teacher = Member.objects.create(
                    user_id=FAKE_USER_IDS[0], display_name="Prof W", roles=[Role.TEACHER]
                )
                student = Member.objects.create(
                    user_id=FAKE_USER_IDS[1],
                    display_name="Élève W",
                    roles=[Role.STUDENT],
                    school_class=school_class,
                )
                assessment = Assessment.objects.create(
                    title=NAME,
                    date=period.start,
                    subject=subject,
                    period=period,
                    school_class=school_class,
                    teacher=teacher,
                )
                Grade.objects.create(assessment=assessment, student=student, value=Decimal("13.25"))
                publication = Publication.objects.create(
                    period=period, school_class=school_class, published_on=period.end, requested_by=teacher
                )
                publication_run_task.apply_async((publication.pk,), queue=celery_queue)
            connection.set_schema_to_public()
            with schema_context(school.schema_name):
                _wait(publication)
                assert (publication.status, publication.done, publication.total) == ("done", 1, 1)
                card = ReportCard.objects.get(publication=publication)
                assert card.file.startswith(f"{school.schema_name}/reportcards/")
                with default_storage.open(card.file) as handle:
                    assert "13,25" in pdf_text(handle.read())
                # Again (a task delivered twice): nothing more.
                Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.RUNNING)
                result = publication_run_task.apply_async((publication.pk,), queue=celery_queue)
            assert result.get(timeout=60) == 0
            with schema_context(school.schema_name):
                assert ReportCard.objects.filter(student=student).count() == 1
        finally:
            connection.set_schema_to_public()
            with schema_context(school.schema_name):
                _cleanup()
