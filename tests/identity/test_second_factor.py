"""A staff member without a verified second factor cannot reach staff pages or the API."""

from __future__ import annotations

import re

import pyotp
from django.utils import timezone

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.auth_models import TOTPDevice
from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from tests.conftest import client_for
from tests.factories import UserFactory, member
from tests.identity.helpers import alert_text, next_code, sign_in, with_authenticator


def test_a_teacher_without_an_authenticator_app_is_sent_to_set_it_up_and_refused_by_the_api(school_a):
    teacher = member(school_a, Role.TEACHER)

    page = client_for(teacher, school_a, second_factor=False).get("/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/second-factor/setup/?next=%2F"

    api = client_for(teacher, school_a, api=True, second_factor=False).get("/api/v1/classes/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_required"


def test_a_student_needs_no_second_factor(school_a):
    student = member(school_a, Role.STUDENT)
    assert client_for(student, school_a, second_factor=False).get("/").status_code == 200
    api = client_for(student, school_a, api=True, second_factor=False).get("/api/v1/establishment/")
    assert api.status_code == 200


def test_a_teacher_sets_up_the_app_after_signing_in_and_then_gets_in(school_a):
    teacher = member(school_a, Role.TEACHER)
    client = client_for(None, school_a)

    # Signing in with the password alone leads straight to the set-up page.
    response = sign_in(client, teacher.login)
    assert response["Location"] == "/accounts/second-factor/setup/"
    assert client.get("/").status_code == 302

    setup = client.get("/accounts/second-factor/setup/")
    html = setup.content.decode()
    assert setup.status_code == 200
    assert "<svg" in html  # the QR code, inline
    assert re.search(r'<label for="id_code">', html)
    assert 'autocomplete="one-time-code"' in html
    pending = TOTPDevice.objects.get(user=teacher)
    assert pending.confirmed_at is None
    assert client.get("/accounts/second-factor/setup/").status_code == 200
    pending.refresh_from_db()
    totp = pyotp.TOTP(pending.pending_secret)  # a reload keeps the secret already scanned

    wrong = client.post("/accounts/second-factor/setup/", {"code": "000000"})
    assert wrong.status_code == 200 and "not valid" in alert_text(wrong)

    done = client.post("/accounts/second-factor/setup/", {"code": totp.now()})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.totp_enabled", actor=teacher).count() == 1


def test_a_teacher_with_an_app_signs_in_in_two_steps(school_a):
    teacher = member(school_a, Role.TEACHER)
    totp = with_authenticator(teacher)
    client = client_for(None, school_a)

    first = sign_in(client, teacher.login)
    assert first["Location"] == "/accounts/login/second-factor/"
    assert client.get("/api/v1/establishment/").status_code == 401  # not signed in yet
    step = client.get("/accounts/login/second-factor/").content.decode()
    assert 'autocomplete="one-time-code"' in step and 'for="id_recovery-code"' in step

    second = client.post("/accounts/login/second-factor/", {"method": "totp", "code": next_code(totp)})
    assert second.status_code == 302
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(action="auth.sign_in", actor=teacher)
    assert entry.details == {"method": "password+totp"}
    assert entry.establishment_id == school_a.pk


def test_a_code_works_only_once(school_a):
    teacher = member(school_a, Role.TEACHER)
    totp = with_authenticator(teacher)
    code = next_code(totp)

    first = client_for(None, school_a)
    sign_in(first, teacher.login)
    assert first.post("/accounts/login/second-factor/", {"code": code}).status_code == 302

    replay = client_for(None, school_a)
    sign_in(replay, teacher.login)
    refused = replay.post("/accounts/login/second-factor/", {"code": code})
    assert refused.status_code == 200
    assert "not valid" in alert_text(refused)
    assert replay.get("/api/v1/establishment/").status_code == 401


def test_a_recovery_code_works_once(school_a):
    from shared_apps.identity.second_factor import _recovery_codes_generate

    head = member(school_a, Role.HEAD)
    with_authenticator(head)
    code = _recovery_codes_generate(user=head)[0]

    client = client_for(None, school_a)
    sign_in(client, head.login)
    used = client.post(
        "/accounts/login/second-factor/", {"method": "recovery", "recovery-code": code.upper()}
    )
    assert used.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.get(action="auth.recovery_code_used", actor=head).details == {"remaining": 9}

    again = client_for(None, school_a)
    sign_in(again, head.login)
    refused = again.post("/accounts/login/second-factor/", {"method": "recovery", "recovery-code": code})
    assert refused.status_code == 200 and "not valid" in alert_text(refused)


def test_a_region_operator_needs_the_second_factor_on_the_portal(db):
    operator = UserFactory()
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)

    api = client_for(operator, api=True, second_factor=False).get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_required"
    page = client_for(operator, second_factor=False).get("/accounts/sessions/")
    assert page["Location"].startswith("/accounts/second-factor/setup/")

    assert client_for(operator, api=True).get("/api/v1/me/").status_code == 200
    assert client_for(operator).get("/accounts/sessions/").status_code == 200


def test_a_staff_account_needs_the_second_factor_for_its_settings_on_any_host(school_a):
    teacher = member(school_a, Role.TEACHER)
    portal = client_for(teacher, second_factor=False)
    assert portal.get("/").status_code == 200  # no staff role on the portal itself
    assert portal.get("/accounts/password/")["Location"].startswith("/accounts/second-factor/setup/")
    api = client_for(teacher, api=True, second_factor=False).patch(
        "/api/v1/account/profile/", {"email": "someone@example.org"}, format="json"
    )
    assert api.status_code == 403


def test_a_session_without_the_code_is_asked_for_it_then_gets_in(school_a):
    teacher = member(school_a, Role.TEACHER)
    totp = with_authenticator(teacher)
    client = client_for(teacher, school_a, second_factor=False)

    assert client.get("/")["Location"] == "/accounts/second-factor/?next=%2F"
    # Replacing the app needs the current one first.
    assert client.get("/accounts/second-factor/setup/?replace=1")["Location"].startswith(
        "/accounts/second-factor/"
    )
    verified = client.post("/accounts/second-factor/?next=/", {"code": next_code(totp), "next": "/"})
    assert verified["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.second_factor_verified", actor=teacher).exists()


def test_the_api_sets_up_and_verifies_the_app(school_a):
    teacher = member(school_a, Role.TEACHER)
    client = client_for(teacher, school_a, api=True, second_factor=False)

    status = client.get("/api/v1/account/second-factor/").json()
    assert status == {
        "enabled": False,
        "required_for_account": True,
        "session_verified": False,
        "recovery_codes_remaining": 0,
    }
    setup = client.post("/api/v1/account/second-factor/setup/").json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/")
    bad = client.post("/api/v1/account/second-factor/confirm/", {"code": "12"}, format="json")
    assert bad.status_code == 400 and "code" in bad.json()["error"]["fields"]
    done = client.post(
        "/api/v1/account/second-factor/confirm/", {"code": pyotp.TOTP(setup["secret"]).now()}, format="json"
    )
    assert len(done.json()["recovery_codes"]) == 10
    assert client.get("/api/v1/classes/").status_code == 200
    assert TOTPDevice.objects.get(user=teacher).confirmed_at <= timezone.now()
