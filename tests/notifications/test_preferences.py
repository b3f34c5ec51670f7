"""Preferences through the API and the page: defaults per role, partial changes, a 400 naming
each bad field, an audit row; and the caught-mail page for operators only."""

from __future__ import annotations

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from tests.conftest import client_for
from tests.factories import UserFactory, member

API = "/api/v1/notifications/preferences/"


def test_defaults_follow_the_role(school_a):
    guardian = client_for(member(school_a, Role.GUARDIAN), school_a, api=True).get(API).json()
    teacher = client_for(member(school_a, Role.TEACHER), school_a, api=True).get(API).json()
    assert guardian["email_mode"] == "digest" and teacher["email_mode"] == "immediate"
    assert guardian["types"]["absence"] == {"email": True, "sms": True, "push": True}
    # Staff get by push what is addressed to them, not the school-wide flow of absences.
    assert teacher["types"]["absence"]["push"] is False and teacher["types"]["message"]["push"] is True
    assert (guardian["quiet_start"], guardian["quiet_end"]) == ("20:00", "07:00")
    assert "account" not in guardian["types"]


def test_a_person_changes_their_preferences_through_the_api(school_a):
    parent = member(school_a, Role.GUARDIAN)
    client = client_for(parent, api=True)
    changed = client.put(
        API,
        {
            "types": {"absence": {"email": False}},
            "email_mode": "immediate",
            "quiet_start": "21:30",
            "phone": "06 12 34 56 78",
        },
        format="json",
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["types"]["absence"] == {"email": False, "sms": True, "push": True}
    assert (body["email_mode"], body["quiet_start"], body["phone"]) == ("immediate", "21:30", "+33612345678")
    assert client.patch(API, {"types": {"grade": {"sms": False}}}, format="json").json()["types"][
        "absence"
    ] == {"email": False, "sms": True, "push": True}
    assert AuditEntry.objects.filter(action="notifications.preferences_updated", actor=parent).count() == 2


def test_bad_preferences_are_a_400_naming_each_field(school_a):
    client = client_for(member(school_a, Role.GUARDIAN), api=True)
    for body, field in (
        ({"types": {"weather": {"email": True}}}, "types"),
        ({"types": {"absence": {"email": "yes"}}}, "types"),
        ({"types": []}, "types"),
        ({"email_mode": "weekly"}, "email_mode"),
        ({"quiet_start": "25:00"}, "quiet_start"),
        ({"phone": "12"}, "phone"),
    ):
        answer = client.put(API, body, format="json")
        assert answer.status_code == 400, body
        assert field in answer.json()["error"]["fields"], body
    assert client_for(None, api=True).get(API).status_code in {401, 403}


def test_the_preferences_page_saves(school_a):
    parent = member(school_a, Role.GUARDIAN)
    client = client_for(parent, school_a)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'for="id_absence__email"' in page
    saved = client.post(
        "/notifications/preferences/",
        {
            "email_mode": "digest",
            "quiet_start": "20:00",
            "quiet_end": "07:00",
            "phone": "",
            "grade__email": "on",
        },
    )
    assert saved.status_code == 302
    prefs = client_for(parent, api=True).get(API).json()
    assert prefs["types"]["grade"]["email"] is True and prefs["types"]["absence"]["email"] is False
    bad = client.post("/notifications/preferences/", {"email_mode": "x", "quiet_start": "", "quiet_end": ""})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()


def test_the_caught_mail_page_is_for_region_operators_only(school_a, settings, tmp_path):
    settings.MAIL_CATCHER_DIR = str(tmp_path)
    operator = UserFactory()
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)
    assert client_for(operator).get("/notifications/caught-mail/").status_code == 200
    assert client_for(member(school_a, Role.HEAD)).get("/notifications/caught-mail/").status_code == 403
    settings.MAIL_CATCHER_DIR = ""
    assert client_for(operator).get("/notifications/caught-mail/").status_code == 404
