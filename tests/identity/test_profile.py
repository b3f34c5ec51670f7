"""Self-service profile: e-mail address, language, notification preferences."""

from __future__ import annotations

from django.conf import settings

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.profile import notification_wanted
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member


def test_a_person_changes_their_profile_through_the_api(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a, api=True)

    before = client.get("/api/v1/account/profile/").json()
    assert before["notification_preferences"]["timetable"] == {"email": True, "in_app": True}
    response = client.patch(
        "/api/v1/account/profile/",
        {
            "email": "Lea@Example.org",
            "language": "en",
            "notification_preferences": {"timetable": {"email": False}},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["email"] == "Lea@Example.org" and body["language"] == "en"
    assert body["notification_preferences"]["timetable"] == {"email": False, "in_app": True}
    assert body["notification_preferences"]["absences"] == {"email": True, "in_app": True}
    student.refresh_from_db()
    assert not notification_wanted(user=student, topic="timetable", channel="email")
    entry = AuditEntry.objects.get(action="account.profile_updated", actor=student)
    assert entry.details == {"fields": ["email", "language", "notification_preferences"]}


def test_bad_profile_input_is_a_400_naming_each_field(school_a):
    member(school_a, Role.STUDENT, email="taken@example.org")
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a, api=True)

    response = client.patch(
        "/api/v1/account/profile/",
        {"email": "nope", "language": "de", "notification_preferences": {"timetable": {"email": "yes"}}},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"email", "language"}

    prefs = client.patch(
        "/api/v1/account/profile/",
        {
            "notification_preferences": {
                "weather": {"email": True},
                "timetable": {"email": "yes", "sms": True},
            }
        },
        format="json",
    )
    assert prefs.status_code == 400
    assert len(prefs.json()["error"]["fields"]["notification_preferences"]) == 3

    taken = client.patch("/api/v1/account/profile/", {"email": "TAKEN@example.org"}, format="json")
    assert taken.status_code == 400 and "email" in taken.json()["error"]["fields"]
    assert not AuditEntry.objects.filter(action="account.profile_updated").exists()


def test_the_profile_page_saves_and_switches_the_language(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)

    page = client.get("/accounts/").content.decode()
    assert '<label for="id_email">' in page and 'autocomplete="email"' in page
    assert 'for="id_notify_timetable_in_app"' in page
    response = client.post(
        "/accounts/",
        {
            "email": "me@example.org",
            "language": "en",
            "notify_absences_email": "on",
            "notify_timetable_in_app": "on",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    student.refresh_from_db()
    assert student.email == "me@example.org" and student.language == "en"
    assert student.notification_preferences["absences"] == {"email": True, "in_app": False}

    bad = client.post("/accounts/", {"email": "not-an-address", "language": "en"})
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()


def test_the_header_links_to_my_account(school_a):
    student = member(school_a, Role.STUDENT)
    page = client_for(student, school_a).get("/").content.decode()
    assert 'href="/accounts/"' in page


def test_the_profile_offers_only_the_notifications_that_exist_today(school_a):
    student = member(school_a, Role.STUDENT)
    page = client_for(student, school_a).get("/accounts/").content.decode()
    assert "id_notify_absences_email" in page and "id_notify_timetable_email" in page
    for topic in ("grades", "homework", "messages"):
        assert f"id_notify_{topic}_" not in page
