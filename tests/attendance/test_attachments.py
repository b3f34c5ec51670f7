"""The attachment of a justification: school-life staff and the child's guardians download it;
anyone else, another school, another school's file: 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.attendance.models import Justification
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School

CONTENT = b"%PDF-1.4 medical certificate"


@pytest.fixture
def justification(school: School) -> Justification:
    sent = client_for(school.guardian, school.establishment, api=True).post(
        "/api/v1/attendance/justifications/",
        {
            "child": school.students[0].pk,
            "start": "2026-09-14",
            "end": "2026-09-14",
            "reason": "medical",
            "attachment": SimpleUploadedFile("note.pdf", CONTENT, content_type="application/pdf"),
        },
    )
    assert sent.status_code == 201, sent.content
    with schema_context(school.establishment.schema_name):
        return Justification.objects.get(pk=sent.json()["id"])


def path(justification: Justification) -> str:
    return f"/attendance/justifications/{justification.pk}/attachment/"


def test_the_guardian_and_school_life_download_it_as_an_attachment(school: School, justification):
    for user in (school.guardian, school.school_life):
        response = client_for(user, school.establishment).get(path(justification))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == CONTENT
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"justification-{justification.pk}.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
    # Linked on the follow-up page (to decide) and the family page.
    follow_up = client_for(school.school_life, school.establishment).get("/attendance/follow-up/")
    assert path(justification) in follow_up.content.decode()
    family = client_for(school.guardian, school.establishment).get("/attendance/family/")
    assert path(justification) in family.content.decode()


def test_nobody_else_opens_it(school: School, justification):
    # A guardian of another child of the school, the child, a teacher, administrative staff.
    other_guardian = member(school.establishment, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_guardian, child=school.students[1])
    assert client_for(other_guardian, school.establishment).get(path(justification)).status_code == 404
    for user in (school.students[0], school.teacher, school.admin):
        assert client_for(user, school.establishment).get(path(justification)).status_code == 403
    # A justification without a file, an unknown one.
    with schema_context(school.establishment.schema_name):
        bare = Justification.objects.create(
            student=school.m(school.students[0]),
            start=justification.start,
            end=justification.end,
            reason="illness",
            submitted_by_id=school.guardian.pk,
        )
    life = client_for(school.school_life, school.establishment)
    assert life.get(path(bare)).status_code == 404
    assert life.get("/attendance/justifications/999999/attachment/").status_code == 404


def test_another_school_gets_404_even_with_a_copied_file_name(school: School, school_b, justification):
    staff = member(school_b, Role.SCHOOL_LIFE)
    membership_grant(actor=None, user=staff, establishment=school_b, role=Role.GUARDIAN)
    client = client_for(staff, school_b)
    with schema_context(school_b.schema_name):
        assert not Justification.objects.filter(pk=justification.pk).exists()
    assert client.get(path(justification)).status_code == 404
    # A row of school B naming school A's stored file: the storage refuses it (another prefix).
    with schema_context(school_b.schema_name):
        from tenant_apps.school.models import Member

        student = member(school_b, Role.STUDENT)
        copied = Justification.objects.create(
            student=Member.objects.get(user_id=student.pk),
            start=justification.start,
            end=justification.end,
            reason="illness",
            submitted_by_id=staff.pk,
            attachment=justification.attachment.name,
        )
    assert justification.attachment.name.startswith(f"{school.establishment.schema_name}/")
    assert client.get(path(copied)).status_code == 404
    # School A's guardian on school B's host: not a member there.
    assert client_for(school.guardian, school_b).get(path(justification)).status_code == 403
