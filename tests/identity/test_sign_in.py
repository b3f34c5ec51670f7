"""Signing in: every attempt audited, lockout after repeated failures, accessible pages."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client, override_settings
from django.utils import timezone

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.auth_models import SignInFailure, SignInLockout, UserSession
from shared_apps.identity.roles import Role
from tests.conftest import client_for, host_of
from tests.factories import member
from tests.identity.helpers import alert_text, next_code, sign_in, with_authenticator

LOCKED = "Too many failed attempts"


def _audited(user, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_id=str(user.pk)).order_by("pk"))


def test_every_sign_in_and_every_failure_is_audited(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(None, school_a)

    assert sign_in(client, student.login, "wrong-password").status_code == 200
    assert sign_in(client, student.login)["Location"] == "/"

    [failure] = _audited(student, "auth.sign_in_failed")
    assert failure.details == {"reason": "bad_credentials"}
    assert failure.actor_id is None and failure.establishment_id == school_a.pk
    assert failure.ip_address == "127.0.0.1"
    [success] = _audited(student, "auth.sign_in")
    assert success.actor_id == student.pk and success.details == {"method": "password"}


def test_five_failures_lock_the_account_even_for_the_right_password(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(None, school_a)

    for attempt in range(4):
        assert LOCKED not in alert_text(sign_in(client, student.login, f"wrong-{attempt}"))
    assert LOCKED in alert_text(sign_in(client, student.login, "wrong-5"))

    locked = sign_in(client, student.login)  # the right password, now refused
    assert locked.status_code == 200
    assert LOCKED in alert_text(locked)
    assert client.get("/api/v1/establishment/").status_code == 401
    assert len(_audited(student, "auth.lockout")) == 1
    reasons = [e.details["reason"] for e in _audited(student, "auth.sign_in_failed")]
    assert reasons == ["bad_credentials"] * 5 + ["locked"]


def test_an_unknown_account_gets_the_same_answers_as_a_real_one(school_a):
    student = member(school_a, Role.STUDENT)
    known, unknown = client_for(None, school_a), client_for(None, school_a)

    answers = []
    for attempt in range(6):
        answers.append(
            (
                alert_text(sign_in(known, student.login, f"wrong-{attempt}")),
                alert_text(sign_in(unknown, "nobody.here", f"wrong-{attempt}")),
            )
        )
    assert all(mine == theirs for mine, theirs in answers)
    assert LOCKED in answers[-1][0]


def test_the_lock_ends_after_fifteen_minutes(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(None, school_a)
    for attempt in range(5):
        sign_in(client, student.login, f"wrong-{attempt}")
    assert LOCKED in alert_text(sign_in(client, student.login))

    later = timezone.now() - timedelta(minutes=16)
    SignInLockout.objects.update(locked_until=later)
    SignInFailure.objects.update(created_at=later)
    assert sign_in(client, student.login)["Location"] == "/"


def test_a_successful_sign_in_clears_the_earlier_failures(school_a):
    student = member(school_a, Role.STUDENT)
    for attempt in range(4):
        sign_in(client_for(None, school_a), student.login, f"wrong-{attempt}")
    assert sign_in(client_for(None, school_a), student.login).status_code == 302
    for attempt in range(4):
        sign_in(client_for(None, school_a), student.login, f"wrong-{attempt}")
    assert sign_in(client_for(None, school_a), student.login).status_code == 302


def test_wrong_codes_count_towards_the_lockout(school_a):
    teacher = member(school_a, Role.TEACHER)
    with_authenticator(teacher)
    client = client_for(None, school_a)
    sign_in(client, teacher.login)
    for _ in range(4):
        assert "not valid" in alert_text(client.post("/accounts/login/second-factor/", {"code": "000000"}))
    assert LOCKED in alert_text(client.post("/accounts/login/second-factor/", {"code": "000000"}))

    again = client_for(None, school_a)
    assert LOCKED in alert_text(sign_in(again, teacher.login))
    assert len(_audited(teacher, "auth.lockout")) == 1


@override_settings(SIGN_IN_MAX_FAILURES_PER_IP=3)
def test_one_address_with_many_failures_is_throttled(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(None, school_a)
    for name in ("ghost.a", "ghost.b", "ghost.c"):
        sign_in(client, name, "whatever")
    assert LOCKED in alert_text(sign_in(client, student.login))
    other_address = Client(HTTP_HOST=host_of(school_a), REMOTE_ADDR="10.1.2.3")
    assert sign_in(other_address, student.login).status_code == 302


def test_the_next_page_must_be_on_the_same_host(school_a):
    student = member(school_a, Role.STUDENT)
    assert sign_in(client_for(None, school_a), student.login, next="/classes/1/")["Location"] == "/classes/1/"
    outside = sign_in(client_for(None, school_a), student.login, next="https://evil.example/")
    assert outside["Location"] == "/"


def test_the_sign_in_page_is_labelled_and_announces_errors(school_a):
    html = client_for(None, school_a).get("/accounts/login/").content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    # The login comes first and has the focus; then the password, then the button.
    assert (
        html.index('id="id_username"')
        < html.index('id="id_password"')
        < html.index('type="submit"', html.index('id="id_password"'))
    )
    assert "autofocus" in html[html.index('id="id_username"') - 200 : html.index('id="id_username"') + 200]

    empty = client_for(None, school_a).post("/accounts/login/", {"username": "", "password": ""})
    page = empty.content.decode()
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_username-error"' in page
    assert 'id="id_username-error"' in page


def test_the_admin_sites_own_sign_in_form_is_not_served():
    response = client_for(None).get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_signing_out_ends_the_session(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(None, school_a)
    sign_in(client, student.login)
    assert UserSession.objects.filter(user=student, ended_at__isnull=True).count() == 1

    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/api/v1/establishment/").status_code == 401
    assert UserSession.objects.get(user=student).end_reason == "signed_out"
    assert AuditEntry.objects.filter(action="auth.sign_out", actor=student).count() == 1


def test_the_two_steps_use_the_same_next_page(school_a):
    teacher = member(school_a, Role.TEACHER)
    totp = with_authenticator(teacher)
    client = client_for(None, school_a)
    first = sign_in(client, teacher.login, next="/classes/7/")
    assert first["Location"] == "/accounts/login/second-factor/?next=%2Fclasses%2F7%2F"
    second = client.post(first["Location"], {"code": next_code(totp), "next": "/classes/7/"})
    assert second["Location"] == "/classes/7/"
