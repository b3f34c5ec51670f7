"""The desk through the API and the pages: answers are read only by the staff roles the form
names (others, even managers, get 404 on them), a guardian reads their own child's answer only,
another establishment's forms are 404; the export escapes formulas (CSV) and keeps strings as
strings (XLSX); a certificate request is answered with a PDF the guardian downloads."""

from __future__ import annotations

import csv
import io
import zipfile

from django_tenants.utils import tenant_context
from pypdf import PdfReader

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.forms import services
from tests.conftest import client_for
from tests.factories import member
from tests.forms.helpers import answer_of, trip_form
from tests.timetable.helpers import School

API = "/api/v1/forms"


def _answer(school: School, form, remark: str = "") -> None:
    with tenant_context(school.establishment):
        services.answer_save(
            actor=school.guardian,
            form=form,
            child=school.m(school.students[0]),
            given=answer_of(form, remark=remark),
            submit=True,
        )


def test_answers_are_read_by_the_roles_the_form_names_only(school: School, school_a):
    form = trip_form(school)
    _answer(school, form, remark='=HYPERLINK("http://evil.example","x")')
    other_parent = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_parent, child=school.students[1])
    admin = client_for(school.admin, school.establishment, api=True)
    assert admin.get(f"{API}/{form.pk}/answers/").json()["count"] == 1
    # The head manages forms but is not named as a reader: no answers, no export.
    head = client_for(school.extra["head"], school.establishment, api=True)
    assert head.get(f"{API}/{form.pk}/answers/").json()["count"] == 0
    assert head.get(f"{API}/{form.pk}/export.csv").status_code == 404
    assert head.get(f"{API}/{form.pk}/completion/").status_code == 200
    for user in (school.school_life, school.teacher):
        api = client_for(user, school.establishment, api=True)
        assert api.get(f"{API}/{form.pk}/answers/{school.students[0].pk}/").status_code == 404
    mine = client_for(school.guardian, school.establishment, api=True)
    assert mine.get(f"{API}/{form.pk}/answers/{school.students[0].pk}/").status_code == 200
    other = client_for(other_parent, school.establishment, api=True)
    assert other.get(f"{API}/{form.pk}/answers/{school.students[0].pk}/").status_code == 404
    assert other.get(f"{API}/{form.pk}/answers/").json()["count"] == 0
    assert (
        other.put(
            f"{API}/{form.pk}/answers/{school.students[0].pk}/", {"values": {}}, format="json"
        ).status_code
        == 404
    )
    assert client_for(school.students[0], school.establishment, api=True).get(f"{API}/").json()["count"] == 0
    # The exports: formulas escaped in CSV; XLSX cells are inline strings.
    exported = admin.get(f"{API}/{form.pk}/export.csv")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[1][-2].startswith("'=HYPERLINK") and rows[1][0] == school.students[0].display_name
    xlsx = admin.get(f"{API}/{form.pk}/export.xlsx")
    sheet = zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/worksheets/sheet1.xml").decode()
    assert 't="inlineStr"' in sheet and "<f>" not in sheet and "HYPERLINK" in sheet
    page = client_for(school.admin, school.establishment).get(f"/forms/{form.pk}/export.csv")
    assert page.status_code == 200 and b"'=HYPERLINK" in page.content


def test_another_establishment_is_404(school: School, school_b):
    form = trip_form(school)
    _answer(school, form)
    head_b = member(school_b, Role.HEAD)
    admin_b = member(school_b, Role.ADMIN_STAFF)
    for user in (head_b, admin_b):
        api = client_for(user, school_b, api=True)
        assert api.get(f"{API}/{form.pk}/").status_code == 404
        assert api.get(f"{API}/{form.pk}/answers/").status_code == 404
        assert api.get(f"{API}/{form.pk}/export.csv").status_code == 404
        assert client_for(user, school_b).get(f"/forms/{form.pk}/").status_code == 404


def test_a_certificate_request_answered_with_a_pdf(school: School):
    form = trip_form(
        school,
        kind="certificate",
        questions=[{"kind": "text", "label": "Pour quel organisme ?"}],
        reader_roles=["admin_staff", "head"],
    )
    with tenant_context(school.establishment):
        question = form.questions.get()
    guardian = client_for(school.guardian, school.establishment, api=True)
    url = f"{API}/{form.pk}/answers/{school.students[0].pk}/"
    assert (
        guardian.put(url, {"values": {f"q{question.pk}": ""}, "submit": True}, format="json").status_code
        == 400
    )
    assert (
        guardian.put(url, {"values": {f"q{question.pk}": "CAF"}, "submit": True}, format="json").status_code
        == 200
    )
    assert guardian.get(f"{url}certificate.pdf").status_code == 404  # not issued yet
    admin = client_for(school.admin, school.establishment, api=True)
    replied = admin.post(
        f"{url}reply/", {"reply": "Voici le certificat.", "certificate": True}, format="json"
    )
    assert replied.status_code == 200 and replied.json()["has_certificate"] is True
    pdf = guardian.get(f"{url}certificate.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert school.students[0].display_name in text and school.establishment.name in text
    page = client_for(school.guardian, school.establishment).get(
        f"/forms/{form.pk}/answers/{school.students[0].pk}/"
    )
    assert page.status_code == 200 and "certificate.pdf" in page.content.decode()


def test_the_api_builds_publishes_and_refuses_bad_input(school: School):
    head = client_for(school.extra["head"], school.establishment, api=True)
    body = {
        "title": "Droit à l'image",
        "kind": "image_rights",
        "audience": "guardians",
        "class_ids": [school.school_class.pk],
        "deadline": "2099-01-01T12:00:00+01:00",
        "reader_roles": ["admin_staff"],
        "questions": [{"kind": "acknowledgement", "question": "J'autorise"}],
    }
    created = head.post(f"{API}/", body, format="json")
    assert created.status_code == 201, created.json()
    form_id = created.json()["id"]
    for bad in ({"reader_roles": ["nobody"]}, {"class_ids": [999999]}, {"questions": [{"kind": "x"}]}):
        answer = head.post(f"{API}/", {**body, **bad}, format="json")
        assert answer.status_code == 400 and set(bad) <= set(answer.json()["error"]["fields"])
    guardian = client_for(school.guardian, school.establishment, api=True)
    assert guardian.get(f"{API}/{form_id}/").status_code == 404  # a draft
    assert head.post(f"{API}/{form_id}/publish/").status_code == 200
    assert head.post(f"{API}/{form_id}/publish/").status_code == 409
    assert guardian.get(f"{API}/{form_id}/").json()["questions"][0]["question"] == "J'autorise"
    assert guardian.post(f"{API}/", body, format="json").status_code == 403
