"""The file question (an insurance certificate): a guardian uploads the file with the form's page
or the API (multipart); its type is told by its content and checked against the question's
types, its size limited; it is stored in S3 under the establishment's prefix; a draft keeps it,
a new one replaces it (the old object goes); staff the form names and the family download it as
an attachment (anyone else, another school's host: 404); the exports name and link it; the
retention purge deletes the object; the right-of-access export carries it."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from mbn_platform.kernel.privacy import ESTABLISHMENT, privacy_declarations
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from shared_apps.privacy.retention import retention_purge
from tenant_apps.forms.files import MAX_FILE_BYTES
from tenant_apps.forms.models import Answer, AnswerFile, Question
from tests.conftest import S3_DOCUMENTS_BUCKET, client_for, s3_client
from tests.factories import member
from tests.forms.helpers import DEADLINE, trip_form
from tests.timetable.helpers import School

API = "/api/v1/forms"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
QUESTIONS = [
    {"kind": "file", "label": "Attestation d'assurance scolaire", "file_types": ["pdf", "jpg"]},
    {"kind": "text", "label": "Compagnie d'assurance", "required": False},
]


def _file(name: str = "attestation.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _keys(endpoint: str) -> list[str]:
    listed = s3_client(endpoint).list_objects_v2(Bucket=S3_DOCUMENTS_BUCKET)
    return [o["Key"] for o in listed.get("Contents", [])]


@pytest.fixture
def insurance(school: School):
    form = trip_form(school, questions=QUESTIONS, retention_days=30)
    with tenant_context(school.establishment):
        file_q, text_q = list(form.questions.all())
    child = school.students[0]
    return form, f"q{file_q.pk}", f"q{text_q.pk}", child


def test_a_guardian_sends_the_file_with_the_page_and_the_readers_download_it(
    school: School,
    insurance,
    s3_default_storage,
    school_b,
    school_a,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    form, file_field, text_field, child = insurance
    page = f"/forms/{form.pk}/answers/{child.pk}/"
    guardian = client_for(school.guardian, school.establishment)
    shown = guardian.get(page).content.decode()
    assert 'type="file"' in shown and 'enctype="multipart/form-data"' in shown
    assert 'accept=".pdf,application/pdf,.jpg,image/jpeg"' in shown and f'for="id_{file_field}"' in shown
    assert f'aria-describedby="id_{file_field}_helptext"' in shown and "PDF, JPG, 5 MB at most." in shown

    # A draft keeps the file; submitting later needs no second upload.
    with django_capture_on_commit_callbacks(execute=True):
        saved = guardian.post(page, {"action": "draft", file_field: _file("Assurance 2026.pdf")})
    assert saved.status_code == 302
    with tenant_context(school.establishment):
        first = AnswerFile.objects.get()
    assert first.name == "Assurance 2026.pdf" and first.content_type == "application/pdf"
    assert first.file.name.startswith(f"{school.establishment.schema_name}/forms/answers/")
    assert first.file.name in _keys(s3_default_storage)
    assert "Assurance 2026.pdf" in guardian.get(page).content.decode()

    # Sent again: replaced, the old object deleted.
    with django_capture_on_commit_callbacks(execute=True):
        assert guardian.post(page, {"action": "draft", file_field: _file("new.pdf")}).status_code == 302
    with tenant_context(school.establishment):
        second = AnswerFile.objects.get()
    assert second.name == "new.pdf" and first.file.name not in _keys(s3_default_storage)
    assert second.file.name in _keys(s3_default_storage)
    assert guardian.post(page, {"action": "submit", text_field: "MAE"}).status_code == 302
    with tenant_context(school.establishment):
        answer = Answer.objects.get(form=form)
    assert answer.status == "submitted" and answer.values[file_field[1:]] == "new.pdf"

    # The readers the form names download it, as an attachment never sniffed.
    download = f"/forms/{form.pk}/answers/{child.pk}/files/{file_field[1:]}/"
    admin = client_for(school.admin, school.establishment)
    with django_assert_max_num_queries(14):
        got = admin.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["Content-Disposition"].startswith("attachment") and got["X-Content-Type-Options"] == "nosniff"
    assert 'href="' + download in admin.get(page).content.decode()
    assert guardian.get(download).status_code == 200  # the family, what they sent

    # Anyone else: 404, here or on another school's host.
    other_parent = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_parent, child=school.students[1])
    for user in (other_parent, school.teacher, school.school_life, school.extra["head"]):
        assert client_for(user, school.establishment).get(download).status_code == 404, user
        api = client_for(user, school.establishment, api=True)
        assert api.get(f"/api/v1{download}").status_code == 404, user
    assert client_for(member(school_b, Role.HEAD), school_b).get(download).status_code == 404

    # The export names the file and links the staff's download page.
    rows = list(csv.reader(io.StringIO(admin.get(f"/forms/{form.pk}/export.csv").content.decode())))
    header = rows[0]
    assert header[5:] == [
        "Attestation d'assurance scolaire",
        "Attestation d'assurance scolaire (url)",
        "Compagnie d'assurance",
    ]
    assert rows[1][5] == "new.pdf" and rows[1][6].endswith(download) and rows[1][6].startswith("http")
    assert admin.get(f"/forms/{form.pk}/export.xlsx").status_code == 200

    # The right-of-access export carries the file.
    (processing,) = [d for d in privacy_declarations(scope=ESTABLISHMENT) if d.key == "forms.answers"]
    with tenant_context(school.establishment):
        (part,) = list(processing.export(frozenset({child.pk})))  # type: ignore[misc]
    assert [content for _name, content in part.files] == [PDF]
    assert part.rows[0]["files"] == {file_field[1:]: part.files[0][0]}

    # The retention purge deletes the stored object too.
    with time_machine.travel(DEADLINE + datetime.timedelta(days=31), tick=False):
        retention_purge()
    with tenant_context(school.establishment):
        assert not AnswerFile.objects.exists()
    assert second.file.name not in _keys(s3_default_storage)


def test_bad_files_are_400s_naming_the_question(school: School, insurance, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    form, file_field, text_field, child = insurance
    page = f"/forms/{form.pk}/answers/{child.pk}/"
    guardian = client_for(school.guardian, school.establishment)
    # An image the question does not accept (PNG), shown on the form.
    refused = guardian.post(page, {"action": "draft", file_field: _file("photo.pdf", PNG)})
    assert refused.status_code == 400
    assert "Send a file of one of these types: PDF, JPG." in refused.content.decode()
    assert 'aria-invalid="true"' in refused.content.decode()
    api = client_for(school.guardian, school.establishment, api=True)
    url = f"{API}/{form.pk}/answers/{child.pk}/"
    too_big = _file("big.pdf", PDF + b"0" * MAX_FILE_BYTES)
    response = api.put(url, {"submit": "false", file_field: too_big}, format="multipart")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == [file_field]
    assert "too large" in response.json()["error"]["fields"][file_field][0]
    # A required file missing at submission; a name typed instead of a file is not a file.
    response = api.put(
        url,
        {"submit": "true", f"values.{file_field}": "fake.pdf", f"values.{text_field}": "MAE"},
        "multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {file_field: ["Attach the file."]}
    response = api.put(url, {"values": {file_field: "fake.pdf"}, "submit": True}, format="json")
    assert response.status_code == 400 and file_field in response.json()["error"]["fields"]
    with tenant_context(school.establishment):
        assert not Answer.objects.filter(form=form).exists() and not AnswerFile.objects.exists()


def test_the_api_takes_the_file_in_multipart_and_serves_it(
    school: School, insurance, settings, tmp_path, school_b
):
    settings.MEDIA_ROOT = str(tmp_path)
    form, file_field, text_field, child = insurance
    api = client_for(school.guardian, school.establishment, api=True)
    url = f"{API}/{form.pk}/answers/{child.pk}/"
    jpeg = SimpleUploadedFile("scan.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, content_type="image/jpeg")
    response = api.put(
        url, {"submit": "true", f"values.{text_field}": "MAIF", file_field: jpeg}, format="multipart"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["values"][text_field[1:]] == "MAIF"
    (sent,) = body["files"]
    assert sent["name"] == "scan.jpg" and sent["content_type"] == "image/jpeg"
    admin = client_for(school.admin, school.establishment, api=True)
    got = admin.get(sent["url"])
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert got["X-Content-Type-Options"] == "nosniff" and 'filename="scan.jpg"' in got["Content-Disposition"]
    assert admin.get(f"{API}/{form.pk}/answers/").json()["results"][0]["files"][0]["name"] == "scan.jpg"
    # Another school's host knows nothing of it; a question without a file is 404 too.
    assert client_for(member(school_b, Role.HEAD), school_b, api=True).get(sent["url"]).status_code == 404
    assert (
        admin.get(sent["url"].replace(f"/files/{file_field[1:]}/", f"/files/{text_field[1:]}/")).status_code
        == 404
    )


def test_a_manager_adds_a_file_question_with_its_types(school: School):
    head = client_for(school.extra["head"], school.establishment, api=True)
    payload = {
        "title": "Assurance scolaire",
        "kind": "other",
        "audience": "guardians",
        "class_ids": [school.school_class.pk],
        "deadline": (DEADLINE).isoformat(),
        "reader_roles": ["admin_staff"],
        "questions": [{"kind": "file", "question": "Attestation", "file_types": ["pdf"]}],
    }
    created = head.post(f"{API}/", payload, format="json")
    assert created.status_code == 201 and created.json()["questions"][0]["file_types"] == ["pdf"]
    payload["questions"] = [{"kind": "file", "question": "Attestation", "file_types": ["exe"]}]
    refused = head.post(f"{API}/", payload, format="json")
    assert refused.status_code == 400 and "questions" in refused.json()["error"]["fields"]
    pages = client_for(school.extra["head"], school.establishment)
    made = pages.post(
        "/forms/new/",
        {
            "title": "Assurance",
            "kind": "other",
            "audience": "guardians",
            "classes": [school.school_class.pk],
            "deadline": DEADLINE.strftime("%Y-%m-%dT%H:%M"),
            "reader_roles": ["admin_staff"],
            "retention_days": 365,
            "questions": "file; Attestation d'assurance; PDF|jpg",
        },
    )
    assert made.status_code == 302
    with tenant_context(school.establishment):
        assert Question.objects.get(form__title="Assurance").file_types == ["jpg", "pdf"]
