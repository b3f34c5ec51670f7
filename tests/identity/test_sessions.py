"""The sessions list: each signed-in browser, sign out one or every other, never someone else's."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.auth_models import UserSession
from shared_apps.identity.roles import Role
from tests.conftest import client_for, host_of
from tests.factories import member
from tests.identity.helpers import sign_in


def _browser(establishment, user, agent: str) -> Client:
    client = Client(HTTP_HOST=host_of(establishment), HTTP_USER_AGENT=agent)
    assert sign_in(client, user.login).status_code == 302
    return client


def test_the_sessions_page_lists_each_signed_in_browser(school_a):
    student = member(school_a, Role.STUDENT)
    laptop = _browser(school_a, student, "Firefox on the laptop")
    _browser(school_a, student, "Chromium on the phone")

    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Firefox on the laptop" in page and "Chromium on the phone" in page
    assert page.count("(this session)") == 1
    listed = laptop.get("/api/v1/account/sessions/").json()["results"]
    assert sorted(s["user_agent"] for s in listed) == ["Chromium on the phone", "Firefox on the laptop"]
    assert [s["current"] for s in listed if s["user_agent"] == "Firefox on the laptop"] == [True]


def test_signing_out_another_session_signs_that_browser_out(school_a):
    student = member(school_a, Role.STUDENT)
    laptop = _browser(school_a, student, "laptop")
    phone = _browser(school_a, student, "phone")
    phone_session = UserSession.objects.get(user=student, user_agent="phone")
    phone_key = phone.cookies["sessionid"].value

    response = laptop.post(f"/accounts/sessions/{phone_session.pk}/sign-out/")
    assert response["Location"] == "/accounts/sessions/"

    assert phone.get("/api/v1/establishment/").status_code == 401
    assert not Session.objects.filter(session_key=phone_key).exists()  # deleted on its next request
    assert laptop.get("/api/v1/establishment/").status_code == 200
    phone_session.refresh_from_db()
    assert phone_session.end_reason == "revoked"
    entry = AuditEntry.objects.get(action="auth.session_revoked", actor=student)
    assert entry.details == {"scope": "one"} and entry.target_id == str(phone_session.pk)


def test_signing_out_everywhere_else_keeps_only_this_session(school_a):
    student = member(school_a, Role.STUDENT)
    laptop, phone, tablet = (_browser(school_a, student, name) for name in ("laptop", "phone", "tablet"))

    response = laptop.post("/api/v1/account/sessions/revoke-others/", content_type="application/json")
    assert response.json() == {"revoked": 2}
    assert phone.get("/api/v1/establishment/").status_code == 401
    assert tablet.get("/api/v1/establishment/").status_code == 401
    assert laptop.get("/api/v1/establishment/").status_code == 200
    assert [s["user_agent"] for s in laptop.get("/api/v1/account/sessions/").json()["results"]] == ["laptop"]


def test_someone_elses_session_is_not_found_and_stays_open(school_a, school_b):
    mine = member(school_a, Role.STUDENT)
    theirs = member(school_b, Role.STUDENT)
    me = _browser(school_a, mine, "mine")
    them = _browser(school_b, theirs, "theirs")
    their_session = UserSession.objects.get(user=theirs)

    assert "theirs" not in me.get("/accounts/sessions/").content.decode()
    assert me.delete(f"/api/v1/account/sessions/{their_session.pk}/").status_code == 404
    assert me.post(f"/accounts/sessions/{their_session.pk}/sign-out/").status_code == 404
    assert them.get("/api/v1/establishment/").status_code == 200
    their_session.refresh_from_db()
    assert their_session.ended_at is None


def test_the_sessions_list_runs_a_bounded_number_of_queries(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)

    def count(path: str) -> int:
        client.get(path)  # warm the per-process caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    few = (count("/accounts/sessions/"), count("/api/v1/account/sessions/"))
    for n in range(10):
        _browser(school_a, student, f"browser {n}")
    assert (count("/accounts/sessions/"), count("/api/v1/account/sessions/")) == few
    assert few[0] <= 8 and few[1] <= 6


def test_changing_the_password_signs_out_the_other_sessions(school_a):
    student = member(school_a, Role.STUDENT)
    laptop = _browser(school_a, student, "laptop")
    phone = _browser(school_a, student, "phone")

    weak = laptop.post(
        "/api/v1/account/password/",
        {"current_password": "correct-horse-battery", "new_password": "short"},
        content_type="application/json",
    )
    assert weak.status_code == 400
    assert "new_password" in weak.json()["error"]["fields"]
    wrong = laptop.post(
        "/api/v1/account/password/",
        {"current_password": "not-it", "new_password": "a much longer pass phrase"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "current_password" in wrong.json()["error"]["fields"]

    changed = laptop.post(
        "/api/v1/account/password/",
        {"current_password": "correct-horse-battery", "new_password": "a much longer pass phrase"},
        content_type="application/json",
    )
    assert changed.status_code == 204
    assert laptop.get("/api/v1/establishment/").status_code == 200
    assert phone.get("/api/v1/establishment/").status_code == 401
    open_sessions = UserSession.objects.filter(user=student, ended_at__isnull=True)
    assert [s.user_agent for s in open_sessions] == ["laptop"]
    assert AuditEntry.objects.filter(action="auth.password_changed", actor=student).count() == 1
