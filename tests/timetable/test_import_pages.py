"""The timetable import's pages and API: structure managers send, preview and apply a file;
everyone else is refused; another establishment's imports are 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tenant_apps.timetable.models import Lesson, TimetableImport
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School
from tests.timetable.import_files import ENCRYPTED, Course, edt_xml

API = "/api/v1/timetable/imports/"


def edt_file(school: School) -> SimpleUploadedFile:
    teachers = {"P1": school.teacher.display_name, "P2": school.other_teacher.display_name}
    data = edt_xml(teachers=teachers, courses=[Course(day=1, place=1), Course(day=2, place=2, subject="ANG")])
    return SimpleUploadedFile("edt.xml", data, content_type="text/xml")


def test_a_manager_previews_then_applies_a_file_through_the_pages(school: School):
    admin = client_for(school.admin, school.establishment)
    assert "Import the timetable" in admin.get("/timetable/manage/").content.decode()
    assert admin.post("/timetable/manage/imports/", {}).status_code == 400
    sent = admin.post("/timetable/manage/imports/", {"file": edt_file(school), "from_day": "2026-08-31"})
    assert sent.status_code == 302
    page = admin.get(sent["Location"])
    html = page.content.decode()
    assert "What the import would change" in html and "Apply the import" in html
    applied = admin.post(sent["Location"])
    assert applied.status_code == 302
    assert "What the import changed" in admin.get(sent["Location"]).content.decode()
    assert admin.post(sent["Location"]).status_code == 409  # applied once
    with schema_context(school.establishment.schema_name):
        assert Lesson.objects.count() == 2
    listing = admin.get("/timetable/manage/imports/").content.decode()
    assert "edt.xml" in listing

    refused = admin.post(
        "/timetable/manage/imports/",
        {"file": SimpleUploadedFile("x.xml", ENCRYPTED, content_type="text/xml")},
    )
    detail = admin.get(refused["Location"]).content.decode()
    assert "encrypted" in detail and "Apply the import" not in detail


def test_the_api_previews_reads_and_applies(school: School):
    api = client_for(school.admin, school.establishment, api=True)
    created = api.post(API, {"file": edt_file(school), "from_day": "2026-08-31"}, format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["plan"]["counts"]["created"] == 2 and body["file_errors"] == []
    assert api.get(f"{API}{body['id']}/").json()["status"] == "previewed"
    assert api.get(API).json()["count"] >= 1
    assert api.post(f"{API}{body['id']}/apply/").json()["status"] == "applied"
    again = api.post(f"{API}{body['id']}/apply/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "import_applied"
    bad = api.post(API, {"from_day": "2026-08-31"}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["error"]["fields"]
    late = api.post(API, {"file": edt_file(school), "from_day": "2030-01-01"}, format="multipart")
    assert late.status_code == 400 and "from_day" in late.json()["error"]["fields"]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SCHOOL_LIFE, Role.STUDENT, Role.GUARDIAN])
def test_only_structure_managers_import(school: School, role):
    person = member(school.establishment, role)
    with schema_context(school.establishment.schema_name):
        imp = TimetableImport.objects.create(
            year=school.year, source_name="x", source_format="csv", digest="", from_day=school.year.start
        )
    page = client_for(person, school.establishment)
    api = client_for(person, school.establishment, api=True)
    assert page.get("/timetable/manage/imports/").status_code == 403
    assert page.get(f"/timetable/manage/imports/{imp.pk}/").status_code == 403
    assert page.post(f"/timetable/manage/imports/{imp.pk}/").status_code == 403
    assert api.get(API).status_code == 403
    assert api.post(API, {"file": edt_file(school)}, format="multipart").status_code == 403
    assert api.post(f"{API}{imp.pk}/apply/").status_code == 403


def test_another_establishments_imports_are_404(school: School, school_b):
    with schema_context(school.establishment.schema_name):
        imp = TimetableImport.objects.create(
            year=school.year, source_name="x", source_format="csv", digest="", from_day=school.year.start
        )
    with schema_context(school_b.schema_name):
        assert not TimetableImport.objects.filter(pk=imp.pk).exists()
    staff = member(school_b, Role.ESTABLISHMENT_ADMIN)
    membership_grant(actor=None, user=staff, establishment=school_b, role=Role.ADMIN_STAFF)
    page, api = client_for(staff, school_b), client_for(staff, school_b, api=True)
    assert page.get(f"/timetable/manage/imports/{imp.pk}/").status_code == 404
    assert page.post(f"/timetable/manage/imports/{imp.pk}/").status_code == 404
    assert api.get(f"{API}{imp.pk}/").status_code == 404
    assert api.post(f"{API}{imp.pk}/apply/").status_code == 404
    # And school A's manager on school B's host is not a member there.
    assert client_for(school.admin, school_b, api=True).get(API).status_code == 403
