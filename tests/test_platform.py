"""Probes, API schema and docs on every host, the error format, and the language switch."""

from __future__ import annotations

import pytest

from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member


@pytest.mark.parametrize("on_school", [False, True])
def test_health_and_readiness_answer_on_the_portal_and_on_a_school(school_a, on_school):
    client = client_for(None, school_a if on_school else None)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.content
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}


@pytest.mark.parametrize("on_school", [False, True])
def test_the_openapi_schema_and_docs_are_served_on_the_portal_and_on_a_school(school_a, on_school):
    client = client_for(None, school_a if on_school else None)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    expected = "/api/v1/classes/{class_id}/" if on_school else "/api/v1/me/"
    assert expected in paths
    assert client.get("/api/docs/").status_code == 200


def test_the_portal_api_describes_the_signed_in_person(school_a):
    teacher = member(school_a, Role.TEACHER)
    body = client_for(teacher, api=True).get("/api/v1/me/").json()
    assert body["login"] == teacher.login
    assert body["memberships"] == [
        {"establishment": "Collège Alpha", "uai": "0671234C", "host": "alpha.localhost", "role": "teacher"}
    ]


def test_validation_errors_are_400_with_a_message_per_field(rf):
    from django.utils import translation

    from mbn_platform.kernel.errors import api_exception_handler

    with translation.override("en"):
        response = api_exception_handler(ValidationFailed(fields={"uai": ["Bad check letter."]}), {})
    assert response is not None and response.status_code == 400
    assert response.data == {
        "error": {
            "code": "invalid",
            "message": "Some fields are invalid.",
            "fields": {"uai": ["Bad check letter."]},
        }
    }


def test_pages_are_in_french_by_default_and_english_on_request(school_a, french_by_default):
    assert french_by_default == "fr"
    client = client_for(None, school_a)
    assert "Se connecter" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign in" in client.get("/").content.decode()


def test_the_layout_shows_the_establishment_and_the_signed_in_user(school_a):
    student = member(school_a, Role.STUDENT, first_name="Anouk", last_name="Weiss")
    page = client_for(student, school_a).get("/").content.decode()
    assert "Collège Alpha" in page
    assert "Anouk Weiss" in page
    assert 'lang="fr"' in page
    assert "htmx-2.0.11.min.js" in page


def test_sign_in_with_login_or_email_on_a_school_host(school_a):
    from tests.factories import PASSWORD

    student = member(school_a, Role.STUDENT, email="anouk@example.org")
    for identifier in (student.login, "ANOUK@example.org"):
        client = client_for(None, school_a)
        response = client.post("/accounts/login/", {"username": identifier, "password": PASSWORD})
        assert response.status_code == 302, identifier
        assert client.get("/api/v1/establishment/").status_code == 200
    refused = client_for(None, school_a).post(
        "/accounts/login/", {"username": student.login, "password": "nope"}
    )
    assert refused.status_code == 200
    assert 'role="alert"' in refused.content.decode()


@pytest.mark.parametrize("host", ["10.0.3.17", "127.0.0.1:8000"])
def test_probes_answer_on_an_ip_address_host_as_load_balancers_send(db, host):
    from django.test import Client

    assert Client().get("/healthz", HTTP_HOST=host).status_code == 200
    assert Client().get("/readyz", HTTP_HOST=host).status_code == 200
    assert Client().get("/", HTTP_HOST=host).status_code == 400  # anything else still needs a real host


def test_an_oversized_body_is_answered_413_in_json_by_the_api_and_as_a_page_on_the_web(school_a):
    from shared_apps.identity.roles import Role
    from tests.conftest import client_for
    from tests.factories import member

    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    body = '{"name": "' + "a" * 3_000_000 + '"}'
    api = client_for(admin, school_a, api=True).post(
        "/api/v1/structure/rooms/", data=body, content_type="application/json"
    )
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "payload_too_large"
    page = client_for(admin, school_a).post("/structure/rooms/", data={"name": "a" * 3_000_000})
    assert page.status_code == 413
    assert "text/html" in page["Content-Type"]
