"""School life's desk: EPS exemptions with their certificate (teachers see their students' in
force), infirmary visits; who may use them; another school's objects are 404."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tenant_apps.attendance.models import InfirmaryVisit, SportExemption
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School

PDF = b"%PDF-1.4 certificat"


def test_exemptions_with_a_certificate_are_recorded_and_read_by_the_students_teachers(
    school: School, monkeypatch
):
    school.lesson()  # the teacher teaches the class
    today = datetime.date(2026, 9, 15)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    with schema_context(school.establishment.schema_name):
        child, other = school.m(school.students[0]), school.m(school.other_student)
    life = client_for(school.school_life, school.establishment)
    form = {"student": child.pk, "start": "2026-09-14", "end": "2026-10-14", "partial": "on", "details": ""}
    assert life.post("/attendance/exemptions/", form).status_code == 400  # partial: say what
    bad = {
        **form,
        "details": "Pas de course",
        "certificate": SimpleUploadedFile("c.exe", b"MZ\x90", content_type="application/pdf"),
    }
    assert life.post("/attendance/exemptions/", bad).status_code == 400
    good = {
        **form,
        "details": "Pas de course",
        "certificate": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
    }
    assert life.post("/attendance/exemptions/", good).status_code == 302
    api = client_for(school.school_life, school.establishment, api=True)
    created = api.post(
        "/api/v1/attendance/exemptions/",
        {"student": school.other_student.pk, "start": "2026-09-01", "end": "2026-09-10"},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    with schema_context(school.establishment.schema_name):
        exemption = SportExemption.objects.get(student=child)
        assert AuditEntry.objects.filter(action="attendance.sport_exemption_recorded").count() == 2
    download = life.get(f"/attendance/exemptions/{exemption.pk}/certificate/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    # The teacher sees the exemptions in force of their students (not the other class's, over).
    teacher = client_for(school.teacher, school.establishment)
    page = teacher.get("/attendance/exemptions/").content.decode()
    assert school.students[0].display_name in page and "Record an exemption" not in page
    assert teacher.post("/attendance/exemptions/", good).status_code == 403
    assert teacher.get(f"/attendance/exemptions/{exemption.pk}/certificate/").status_code == 403
    assert [
        e["student"]
        for e in client_for(school.teacher, school.establishment, api=True)
        .get("/api/v1/attendance/exemptions/")
        .json()["results"]
    ] == [school.students[0].pk]
    assert other.pk
    for user in (school.guardian, school.students[0]):
        assert client_for(user, school.establishment).get("/attendance/exemptions/").status_code == 403


def test_infirmary_visits_are_school_lifes(school: School):
    with schema_context(school.establishment.schema_name):
        child = school.m(school.students[0])
    life = client_for(school.school_life, school.establishment)
    assert life.get("/attendance/infirmary/").status_code == 200
    visit = {
        "student": child.pk,
        "arrived_at": "2026-09-14T10:05",
        "left_at": "2026-09-14T10:00",
        "reason": "Mal de tête",
        "outcome": "back_to_class",
    }
    assert life.post("/attendance/infirmary/", visit).status_code == 400  # left before arriving
    assert life.post("/attendance/infirmary/", {**visit, "left_at": "2026-09-14T10:30"}).status_code == 302
    assert "Mal de tête" in life.get("/attendance/infirmary/").content.decode()
    api = client_for(school.school_life, school.establishment, api=True)
    created = api.post(
        "/api/v1/attendance/infirmary-visits/",
        {
            "student": school.students[1].pk,
            "arrived_at": "2026-09-14T11:00:00+02:00",
            "reason": "Chute",
            "outcome": "sent_home",
        },
        format="json",
    )
    assert created.status_code == 201 and api.get("/api/v1/attendance/infirmary-visits/").json()["count"] == 2
    for user in (school.teacher, school.guardian, school.students[0]):
        assert client_for(user, school.establishment).get("/attendance/infirmary/").status_code == 403
        assert (
            client_for(user, school.establishment, api=True)
            .get("/api/v1/attendance/infirmary-visits/")
            .status_code
            == 403
        )
    with schema_context(school.establishment.schema_name):
        assert InfirmaryVisit.objects.count() == 2


def test_another_schools_desk_objects_are_404(school: School, school_b):
    with schema_context(school.establishment.schema_name):
        exemption = SportExemption.objects.create(
            student=school.m(school.students[0]),
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 9, 30),
            recorded_by_id=school.school_life.pk,
        )
    with schema_context(school_b.schema_name):
        assert not SportExemption.objects.filter(pk=exemption.pk).exists()
    staff = member(school_b, Role.SCHOOL_LIFE)
    membership_grant(actor=None, user=staff, establishment=school_b, role=Role.HEAD)
    assert (
        client_for(staff, school_b).get(f"/attendance/exemptions/{exemption.pk}/certificate/").status_code
        == 404
    )
    assert (
        client_for(staff, school_b, api=True).delete("/api/v1/attendance/absences/999999/").status_code == 404
    )
    # A student of school A named in school B's API is unknown there.
    created = client_for(staff, school_b, api=True).post(
        "/api/v1/attendance/absences/",
        {"student": school.students[0].pk, "start": "2026-09-14", "end": "2026-09-14", "reason": "family"},
        format="json",
    )
    assert created.status_code == 400 and "student" in created.json()["error"]["fields"]
    assert client_for(school.school_life, school_b).get("/attendance/infirmary/").status_code == 403
