"""Applying an imported structure: nothing half-applied on failure, bounded queries, the import page's
counts, the worker, a reference gone since the preview. See test_structure_import.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.services import directory_import_preview
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group, Subject
from tenants.models import Establishment
from tests.conftest import client_for
from tests.directory.data import (
    Staff,
    Student,
    establishment_csv,
    staff_csv,
    structured_school,
    structured_xml_files,
    students_csv,
    teaching_csv,
)
from tests.directory.helpers import directory_audit_purge, import_files
from tests.directory.structure_reading import structure
from tests.factories import member


def test_a_failure_while_writing_the_structure_leaves_nothing_half_applied(school_a, monkeypatch):
    from shared_apps.directory.structure_store import structure_store

    students, guardians, staff, services = structured_school()
    preview = directory_import_preview(
        actor=None,
        establishment=school_a,
        files=structured_xml_files(school_a.uai, students, guardians, staff, services),
    )
    users_before = User.objects.count()

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(structure_store(), "write", broken)
    failed = directory_import_run(preview.pk)

    assert failed.status == ImportStatus.FAILED
    assert User.objects.count() == users_before
    assert structure(school_a)["subjects"] == {}


def _import_queries(school: Establishment, teachers: int) -> int:
    students = [
        Student(f"Q{n}", f"Nom{n}", "Élève", f"2011-01-{1 + n % 28:02d}", f"4e {n % 3}", groups=[f"G{n % 4}"])
        for n in range(teachers * 3)
    ]
    staff = [Staff(f"T{n}", f"Prof{n}", "Agent") for n in range(teachers)]
    rows = [(f"T{n}", f"SUB{n % 5}", f"Matière {n % 5}", f"4e {n % 3}", "") for n in range(teachers)]
    rows += [(f"T{n}", f"SUB{n % 5}", f"Matière {n % 5}", "", f"G{n % 4}") for n in range(teachers)]
    files = [
        establishment_csv(school.uai),
        students_csv(students, groups_column="groups"),
        staff_csv(staff),
        teaching_csv(rows),
    ]
    with CaptureQueriesContext(connection) as queries:
        import_files(school, files)
    return len(queries)


def test_the_import_of_the_structure_runs_a_bounded_number_of_queries(school_a, school_b):
    assert _import_queries(school_a, 4) == _import_queries(school_b, 24)


def test_the_import_page_shows_the_structure_counts(school_a):
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    students, guardians, staff, services = structured_school()
    preview = directory_import_preview(
        actor=None,
        establishment=school_a,
        files=structured_xml_files(school_a.uai, students, guardians, staff, services),
    )

    page = client_for(admin, school_a).get(f"/directory/imports/{preview.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Teaching assignments added" in html
    assert "Espagnol LV2 — ESP2" in html


def _worker_cleanup(school: Establishment) -> None:
    """The worker test commits (the worker is another process): remove what it created."""
    from shared_apps.directory.models import DirectoryRecord
    from tenant_apps.school.models import Member

    user_ids = list(
        DirectoryRecord.objects.filter(establishment=school, source_id__startswith="WS-").values_list(
            "user_id", flat=True
        )
    )
    with schema_context(school.schema_name):
        Member.objects.filter(user_id__in=user_ids).delete()  # their assignments and memberships too
        Group.objects.filter(name="WS-G").delete()
        Subject.objects.filter(code="WS-SUB").delete()
        SchoolClass.objects.filter(name="WS 1").delete()
    User.objects.filter(pk__in=user_ids).delete()
    DirectoryImport.objects.filter(establishment=school).delete()
    directory_audit_purge(school)  # the log is append-only, even to raw SQL


@pytest.mark.worker
def test_the_worker_applies_the_structure_with_the_people(celery_queue, django_db_blocker):
    import time

    from django.test import override_settings

    from shared_apps.directory.services import directory_import_apply
    from tests.conftest import SESSION_SCHOOLS

    with django_db_blocker.unblock():
        school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
        _worker_cleanup(school)
        try:
            students = [
                Student(
                    f"WS-E{n}",
                    f"Worker{n}",
                    "Test",
                    "2010-01-01",
                    "WS 1",
                    ine=f"WSTRUCT{n:04d}",
                    groups=["WS-G"],
                )
                for n in range(3)
            ]
            files = [
                establishment_csv(school.uai),
                students_csv(students, groups_column="groups"),
                staff_csv([Staff("WS-T1", "Worker", "Teacher", "ENS")]),
                teaching_csv([("WS-T1", "WS-SUB", "Worker subject", "", "WS-G")]),
            ]
            preview = directory_import_preview(actor=None, establishment=school, files=files)
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
            assert preview.counts["structure"]["assignments_added"] == 1
            got = structure(school)
            assert got["groups"]["WS-G"] == (True, ["Test Worker0", "Test Worker1", "Test Worker2"])
            assert ("Teacher Worker", "WS-SUB", "", "WS-G", True) in got["assignments"]
        finally:
            connection.set_schema_to_public()
            _worker_cleanup(school)


def test_a_reference_gone_since_the_preview_fails_the_apply_with_its_line(school_a):
    with schema_context(school_a.schema_name):
        SchoolClass.objects.create(name="3e Z", level="3e")
    import_files(school_a, [establishment_csv(school_a.uai), staff_csv([Staff("S1", "Durand", "Claire")])])
    preview = directory_import_preview(
        actor=None,
        establishment=school_a,
        files=[establishment_csv(school_a.uai), teaching_csv([("S1", "MATH", "Maths", "3e Z", "")])],
    )
    with schema_context(school_a.schema_name):
        SchoolClass.objects.filter(name="3e Z").delete()  # removed by hand in between

    failed = directory_import_run(preview.pk)

    assert failed.status == ImportStatus.FAILED
    assert [(e["file"], e["line"], e["field"]) for e in failed.errors] == [("services.csv", 2, "class")]
    assert structure(school_a)["subjects"] == {}
