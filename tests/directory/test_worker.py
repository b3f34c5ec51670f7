"""An import is applied by the real Celery worker, in the establishment it was enqueued from."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from shared_apps.directory.models import ImportStatus
from shared_apps.directory.services import directory_import_apply, directory_import_preview
from shared_apps.identity.models import Membership, MembershipStatus, User
from tenant_apps.school.models import Member
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS
from tests.directory.data import Student, csv_files
from tests.directory.helpers import directory_people_cleanup

pytestmark = pytest.mark.worker

STUDENTS = [
    Student(f"W{n}", f"Worker{n}", "Test", "2010-01-01", "WK 1", ine=f"WORKER{n:05d}") for n in range(5)
]


def _cleanup(school: Establishment) -> None:
    directory_people_cleanup(school, source_prefix="W", class_name="WK 1")


def test_the_worker_applies_an_import_once_committed(celery_queue, django_db_blocker):
    with django_db_blocker.unblock():
        school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
        _cleanup(school)
        try:
            preview = directory_import_preview(
                actor=None, establishment=school, files=csv_files(school.uai, STUDENTS, [], [])
            )
            with (
                override_settings(CELERY_TASK_DEFAULT_QUEUE=celery_queue),
                schema_context(school.schema_name),
            ):
                directory_import_apply(actor=None, directory_import=preview)  # enqueued on commit
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                preview.refresh_from_db()
                if preview.status in (ImportStatus.APPLIED, ImportStatus.FAILED):
                    break
                time.sleep(0.2)

            assert preview.status == ImportStatus.APPLIED, preview.errors
            assert preview.counts["created"] == len(STUDENTS)
            assert preview.progress_done == preview.progress_total == len(STUDENTS)
            users = User.objects.filter(national_id__startswith="WORKER")
            assert users.count() == len(STUDENTS)
            assert Membership.objects.filter(
                user__in=users, establishment=school, status=MembershipStatus.ACTIVE
            ).count() == len(STUDENTS)
            with schema_context(school.schema_name):
                assert Member.objects.filter(school_class__name="WK 1", is_active=True).count() == len(
                    STUDENTS
                )
        finally:
            connection.set_schema_to_public()
            _cleanup(school)
