"""A guardian's justification with a PNG, a JPEG or a PDF attachment is kept with the right type;
any other file is refused next to its field, on the form filled in again (issue 12)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from tenant_apps.attendance.models import Justification
from tests.conftest import client_for
from tests.timetable.helpers import School

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4 certificate"


@pytest.mark.parametrize(
    ("name", "content", "ext", "content_type"),
    [
        ("scan.png", PNG, "png", "image/png"),
        ("photo.jpg", JPEG, "jpg", "image/jpeg"),
        ("note.pdf", PDF, "pdf", "application/pdf"),
    ],
)
def test_a_png_a_jpeg_or_a_pdf_justifies_an_absence(school: School, name, content, ext, content_type):
    page = client_for(school.guardian, school.establishment)
    sent = page.post(
        "/attendance/family/",
        {
            "child": school.students[0].pk,
            "kind": "justify",
            "start": "2026-09-14",
            "reason": "medical",
            "attachment": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    with schema_context(school.establishment.schema_name):
        justification = Justification.objects.get(student__user_id=school.students[0].pk)
        assert justification.attachment.name.endswith(f".{ext}")
    download = client_for(school.school_life, school.establishment).get(
        f"/attendance/justifications/{justification.pk}/attachment/"
    )
    assert download["Content-Type"] == content_type
    assert b"".join(download.streaming_content) == content

    api = client_for(school.guardian, school.establishment, api=True).post(
        "/api/v1/attendance/justifications/",
        {
            "child": school.students[0].pk,
            "start": "2026-09-15",
            "end": "2026-09-15",
            "reason": "medical",
            "attachment": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )
    assert api.status_code == 201, api.content


def test_another_file_type_is_refused_next_to_its_field_on_the_filled_in_form(school: School):
    page = client_for(school.guardian, school.establishment)
    child = school.students[0]
    sent = page.post(
        "/attendance/family/",
        {
            "child": child.pk,
            "kind": "justify",
            "start": "2026-09-14",
            "end": "2026-09-15",
            "reason": "medical",
            "comment": "Rendez-vous chez le dentiste",
            "attachment": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="image/png"),
        },
    )
    assert sent.status_code == 400
    html = sent.content.decode()
    with schema_context(school.establishment.schema_name):
        member_pk = school.m(child).pk
        assert not Justification.objects.exists()
    # The error is next to the attachment field, announced, in words (not the field's name).
    assert f'id="attachment-{member_pk}-error"' in html
    assert "Send a PDF, PNG or JPEG file." in html
    assert f'aria-describedby="attachment-{member_pk}-error"' in html
    assert "attachment:" not in html
    # What the guardian typed is still there.
    assert 'value="2026-09-14"' in html and 'value="2026-09-15"' in html
    assert "Rendez-vous chez le dentiste" in html
    assert '<option value="medical" selected>' in html
    assert f'id="kind-{member_pk}_1" checked' in html or 'value="justify" id' in html


def test_a_form_without_a_first_day_says_so_without_losing_the_rest(school: School):
    page = client_for(school.guardian, school.establishment)
    sent = page.post(
        "/attendance/family/",
        {"child": school.students[0].pk, "kind": "declare", "reason": "family", "comment": "Mariage"},
    )
    assert sent.status_code == 400
    html = sent.content.decode()
    with schema_context(school.establishment.schema_name):
        assert f'id="start-{school.m(school.students[0]).pk}-error"' in html
    assert "Mariage" in html
