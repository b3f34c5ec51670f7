"""The directory API and pages: upload, status, apply, letters; roles; establishments apart."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.school.models import SchoolClass
from tests.conftest import client_for
from tests.directory.data import csv_files, small_school
from tests.factories import member


def _upload(files):
    return {"files": [SimpleUploadedFile(name, data) for name, data in files]}


@pytest.fixture
def admin_a(school_a):
    return member(school_a, Role.ESTABLISHMENT_ADMIN)


def test_upload_preview_apply_and_follow_an_import_over_the_api(school_a, admin_a):
    api = client_for(admin_a, school_a, api=True)
    students, guardians, staff = small_school()

    created = api.post(
        "/api/v1/directory/imports/", _upload(csv_files(school_a.uai, students, guardians, staff))
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "previewed" and body["counts"]["created"] == 7
    assert body["progress"] == {"done": 0, "total": 10}

    applied = api.post(f"/api/v1/directory/imports/{body['id']}/apply/")
    assert applied.status_code == 202 and applied.json()["status"] == "applying"
    directory_import_run(body["id"])  # the task's work (the worker test runs the real task)

    status = api.get(f"/api/v1/directory/imports/{body['id']}/").json()
    assert status["status"] == "applied" and status["progress"] == {"done": 10, "total": 10}
    assert User.objects.filter(last_name="Durand").exists()
    again = api.post(f"/api/v1/directory/imports/{body['id']}/apply/")
    assert again.status_code == 202 and again.json()["status"] == "applied"


def test_a_malformed_upload_is_a_400_naming_file_and_line(school_a, admin_a):
    api = client_for(admin_a, school_a, api=True)
    bad = ("eleves.csv", b"id;last_name;first_name;class\nE1;;Anne;4e B\n")
    response = api.post(
        "/api/v1/directory/imports/", _upload([("etab.csv", f"uai\n{school_a.uai}\n".encode()), bad])
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "directory_invalid"
    assert error["fields"] == {"eleves.csv:2": ["last_name: This value is required."]}
    assert error["rows"][0]["line"] == 2


def test_a_non_utf8_file_or_an_xml_bomb_is_a_400_not_a_500(school_a, admin_a):
    api = client_for(admin_a, school_a, api=True)
    latin1 = ("eleves.csv", "id;last_name;first_name;class\nE1;Müller;Zoé;4e B\n".encode("latin-1"))
    bomb = ("bomb.xml", b'<!DOCTYPE x [<!ENTITY a "a"><!ENTITY b "&a;&a;">]><BEE_ELEVES>&b;</BEE_ELEVES>')
    for upload in (latin1, bomb):
        response = api.post("/api/v1/directory/imports/", _upload([upload]))
        assert response.status_code == 400


def test_an_import_of_another_establishment_is_not_found(school_a, school_b, admin_a):
    students, guardians, staff = small_school()
    created = client_for(admin_a, school_a, api=True).post(
        "/api/v1/directory/imports/", _upload(csv_files(school_a.uai, students, guardians, staff))
    )
    import_id = created.json()["id"]
    admin_b = member(school_b, Role.ESTABLISHMENT_ADMIN)
    api_b = client_for(admin_b, school_b, api=True)

    assert api_b.get(f"/api/v1/directory/imports/{import_id}/").status_code == 404
    assert api_b.post(f"/api/v1/directory/imports/{import_id}/apply/").status_code == 404
    assert client_for(admin_b, school_b).get(f"/directory/imports/{import_id}/").status_code == 404
    assert DirectoryImport.objects.get(pk=import_id).status == ImportStatus.PREVIEWED


@pytest.mark.parametrize("role", [Role.TEACHER, Role.GUARDIAN, Role.STUDENT])
def test_other_roles_may_not_import(school_a, role):
    person = member(school_a, role)
    api = client_for(person, school_a, api=True)
    assert api.get("/api/v1/directory/imports/1/").status_code == 403
    assert api.post("/api/v1/directory/imports/", {}).status_code == 403
    assert client_for(person, school_a).get("/directory/imports/").status_code == 403


def test_heads_and_administrative_staff_may_import(school_a):
    for role in (Role.HEAD, Role.ADMIN_STAFF):
        response = client_for(member(school_a, role), school_a).get("/directory/imports/")
        assert response.status_code == 200


def test_the_status_endpoint_runs_a_bounded_number_of_queries(
    school_a, admin_a, django_assert_max_num_queries
):
    students, guardians, staff = small_school()
    api = client_for(admin_a, school_a, api=True)
    import_id = api.post(
        "/api/v1/directory/imports/", _upload(csv_files(school_a.uai, students, guardians, staff))
    ).json()["id"]
    api.get(f"/api/v1/directory/imports/{import_id}/")  # warm the access cache
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/directory/imports/{import_id}/").status_code == 200


def test_the_pages_upload_preview_apply_and_poll_progress(school_a, admin_a):
    client = client_for(admin_a, school_a)
    students, guardians, staff = small_school()

    assert client.get("/directory/imports/").status_code == 200
    uploaded = client.post(
        "/directory/imports/", _upload(csv_files(school_a.uai, students, guardians, staff))
    )
    assert uploaded.status_code == 302
    detail_url = uploaded["Location"]
    preview = client.get(detail_url).content.decode()
    assert "Apply the import" in preview or "Appliquer" in preview

    import_id = int(detail_url.rstrip("/").split("/")[-1])
    assert client.post(f"/directory/imports/{import_id}/apply/").status_code == 302
    progress = client.get(f"/directory/imports/{import_id}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in progress
    directory_import_run(import_id)
    done = client.get(f"/directory/imports/{import_id}/progress/").content.decode()
    assert "hx-trigger" not in done

    refused = client.post(
        "/directory/imports/", _upload([("eleves.csv", b"id;last_name;first_name;class\nE1;;A;4e B\n")])
    )
    assert refused.status_code == 400 and "eleves.csv" in refused.content.decode()


def test_letters_over_the_api_and_pages(school_a, admin_a):
    students, guardians, staff = small_school()
    api = client_for(admin_a, school_a, api=True)
    import_id = api.post(
        "/api/v1/directory/imports/", _upload(csv_files(school_a.uai, students, guardians, staff))
    ).json()["id"]
    directory_import_run(import_id)
    with schema_context(school_a.schema_name):
        class_id = SchoolClass.objects.get(name="5e A").pk

    pdf = api.get(f"/api/v1/directory/classes/{class_id}/activation-letters.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert api.get("/api/v1/directory/classes/999999/activation-letters.pdf").status_code == 404
    page = client_for(admin_a, school_a)
    assert "5e A" in page.get("/directory/letters/").content.decode()
    assert page.get(f"/directory/letters/{class_id}.pdf").content.startswith(b"%PDF")
    teacher = member(school_a, Role.TEACHER)
    assert (
        client_for(teacher, school_a, api=True)
        .get(f"/api/v1/directory/classes/{class_id}/activation-letters.pdf")
        .status_code
        == 403
    )
