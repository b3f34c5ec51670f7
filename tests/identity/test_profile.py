"""Self-service profile: e-mail address and language (notification preferences: tests/notifications)."""

from __future__ import annotations

from django.conf import settings

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member


def test_a_person_changes_their_profile_through_the_api(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a, api=True)

    before = client.get("/api/v1/account/profile/").json()
    assert set(before) == {"email", "language"}
    response = client.patch(
        "/api/v1/account/profile/", {"email": "Lea@Example.org", "language": "en"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["email"] == "Lea@Example.org" and body["language"] == "en"
    entry = AuditEntry.objects.get(action="account.profile_updated", actor=student)
    assert entry.details == {"fields": ["email", "language"]}


def test_bad_profile_input_is_a_400_naming_each_field(school_a):
    member(school_a, Role.STUDENT, email="taken@example.org")
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a, api=True)

    response = client.patch(
        "/api/v1/account/profile/",
        {"email": "nope", "language": "de"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"email", "language"}

    taken = client.patch("/api/v1/account/profile/", {"email": "TAKEN@example.org"}, format="json")
    assert taken.status_code == 400 and "email" in taken.json()["error"]["fields"]
    assert not AuditEntry.objects.filter(action="account.profile_updated").exists()


def test_the_profile_page_saves_and_switches_the_language(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)

    page = client.get("/accounts/").content.decode()
    assert '<label for="id_email">' in page and 'autocomplete="email"' in page
    assert 'href="/notifications/preferences/"' in page
    response = client.post(
        "/accounts/",
        {
            "email": "me@example.org",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    student.refresh_from_db()
    assert student.email == "me@example.org" and student.language == "en"

    bad = client.post("/accounts/", {"email": "not-an-address", "language": "en"})
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()


def test_the_header_links_to_my_account(school_a):
    student = member(school_a, Role.STUDENT)
    page = client_for(student, school_a).get("/").content.decode()
    assert 'href="/accounts/"' in page
