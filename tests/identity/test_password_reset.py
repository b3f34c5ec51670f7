"""Password reset by e-mail: the same answer for any address, a one-time link, strong passwords."""

from __future__ import annotations

import re

from django.core import mail

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import PASSWORD, member
from tests.identity.helpers import alert_text, sign_in

NEW_PASSWORD = "violet-tramway-under-snow"


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_reset_link_is_sent_and_sets_a_new_password(school_a):
    student = member(school_a, Role.STUDENT, email="anouk@example.org")
    client = client_for(None, school_a)

    known = client.post("/accounts/password-reset/", {"email": "ANOUK@example.org"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _main(known) == _main(unknown)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anouk@example.org"]
    link = re.search(r"http://alpha\.localhost/accounts/password-reset/\S+/", mail.outbox[0].body).group(0)

    # The token moves from the address to the session, then the form asks for the new password.
    opened = client.get(link)
    assert opened["Location"].endswith("/set-password/")
    form_page = client.get(opened["Location"]).content.decode()
    assert 'autocomplete="new-password"' in form_page and '<label for="id_new_password">' in form_page

    for weak in ("short", "password1234", "123456789012"):
        refused = client.post(opened["Location"], {"new_password": weak, "new_password_again": weak})
        assert refused.status_code == 200
        assert 'role="alert"' in refused.content.decode(), weak
        assert 'aria-invalid="true"' in refused.content.decode()
    done = client.post(opened["Location"], {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert "Your password was changed" in done.content.decode()

    assert sign_in(client_for(None, school_a), student.login, NEW_PASSWORD).status_code == 302
    assert sign_in(client_for(None, school_a), student.login, PASSWORD).status_code == 200
    assert "not valid any more" in alert_text(client_for(None, school_a).get(link))  # used once
    assert AuditEntry.objects.filter(action="auth.password_reset", actor=student).count() == 1
    assert (
        AuditEntry.objects.filter(action="auth.password_reset_requested", target_id=str(student.pk)).count()
        == 1
    )


def test_the_reset_api_answers_the_same_and_enforces_the_password_rules(school_a):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    student = member(school_a, Role.STUDENT, email="tom@example.org")
    client = client_for(None, api=True)
    for email in ("tom@example.org", "nobody@example.org"):
        response = client.post("/api/v1/account/password-reset/", {"email": email}, format="json")
        assert response.status_code == 202
    assert len(mail.outbox) == 1
    bad_email = client.post("/api/v1/account/password-reset/", {"email": "not an address"}, format="json")
    assert bad_email.status_code == 400 and "email" in bad_email.json()["error"]["fields"]

    uid = urlsafe_base64_encode(force_bytes(student.pk))
    token = default_token_generator.make_token(student)
    weak = client.post(
        "/api/v1/account/password-reset/confirm/",
        {"uid": uid, "token": token, "new_password": "tom"},
        format="json",
    )
    assert weak.status_code == 400
    assert weak.json()["error"]["fields"]["new_password"]
    wrong_token = client.post(
        "/api/v1/account/password-reset/confirm/",
        {"uid": uid, "token": "nope", "new_password": NEW_PASSWORD},
        format="json",
    )
    assert wrong_token.status_code == 400
    assert wrong_token.json()["error"]["code"] == "invalid_reset_link"
    ok = client.post(
        "/api/v1/account/password-reset/confirm/",
        {"uid": uid, "token": token, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert ok.status_code == 204
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)
