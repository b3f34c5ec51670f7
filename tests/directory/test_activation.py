"""Activation: codes by e-mail and on letters, once, with a valid password, before they expire."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.directory.activation_services import (
    account_activate,
    activation_codes_issue,
    activation_emails_send,
    activation_letters_pdf,
)
from shared_apps.directory.models import ActivationCode
from shared_apps.identity.models import User
from tenant_apps.school.models import SchoolClass
from tests.conftest import client_for
from tests.directory.data import csv_files, small_school
from tests.directory.helpers import import_files, student_user

PAGE_RE = re.compile(rb"/Type /Page\b(?!s)")


@pytest.fixture
def imported(school_a):
    students, guardians, staff = small_school()
    import_files(school_a, csv_files(school_a.uai, students, guardians, staff))
    return school_a


def _code_for(establishment, user) -> str:
    return activation_codes_issue(establishment=establishment, user_ids=[user.pk], channel="letter")[user.pk]


def test_imported_people_with_an_address_get_their_code_by_email_once(
    school_a, monkeypatch, django_capture_on_commit_callbacks
):
    from shared_apps.directory.tasks import activation_emails_task

    # The e-mails are a task queued once the import commits; here it runs in the process.
    monkeypatch.setattr(
        activation_emails_task, "apply_async", lambda args, **options: activation_emails_task.apply(args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_files(school_a, csv_files(school_a.uai, *small_school()))
    imported = school_a
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"sophie.martin@example.org", "claire.durand@example.org"}
    claire = User.objects.get(email="claire.durand@example.org")
    body = sent["claire.durand@example.org"].body
    assert claire.login in body and "/accounts/activate/" in body
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", body).group(0)
    assert not ActivationCode.objects.filter(code_hash__contains=code).exists()  # hashed at rest

    assert activation_emails_send(establishment=imported, user_ids=[claire.pk]) == 0  # already has one
    account_activate(login=claire.login, code=code, password="Un mot de passe solide 42")
    claire.refresh_from_db()
    assert claire.has_usable_password() and claire.check_password("Un mot de passe solide 42")


def test_a_code_works_once(imported):
    léa = student_user(imported, "E1")
    code = _code_for(imported, léa)

    account_activate(login=léa.login, code=code.lower().replace("-", " "), password="Vacances à la mer 2025")

    with pytest.raises(ValidationFailed) as again:
        account_activate(login=léa.login, code=code, password="Un autre mot de passe 7")
    assert again.value.code == "activation_used"
    assert AuditEntry.objects.filter(action="auth.account_activated", target_id=str(léa.pk)).count() == 1


def test_a_wrong_code_is_refused_with_a_clear_error(imported):
    léa = student_user(imported, "E1")
    _code_for(imported, léa)
    with pytest.raises(ValidationFailed) as refused:
        account_activate(login=léa.login, code="AAAA-BBBB-CCCC", password="Vacances à la mer 2025")
    assert refused.value.code == "activation_invalid" and "code" in refused.value.fields
    with pytest.raises(ValidationFailed):
        account_activate(login="nobody.here", code="AAAA-BBBB-CCCC", password="Vacances à la mer 2025")


def test_a_code_is_revoked_after_too_many_wrong_attempts(imported):
    léa = student_user(imported, "E1")
    code = _code_for(imported, léa)
    for _ in range(10):
        with pytest.raises(ValidationFailed):
            account_activate(login=léa.login, code="AAAA-BBBB-CCCC", password="Vacances à la mer 2025")
    with pytest.raises(ValidationFailed):
        account_activate(login=léa.login, code=code, password="Vacances à la mer 2025")


def test_a_weak_password_is_refused_on_its_field(imported):
    léa = student_user(imported, "E1")
    code = _code_for(imported, léa)
    with pytest.raises(ValidationFailed) as refused:
        account_activate(login=léa.login, code=code, password="123456")
    assert list(refused.value.fields) == ["password"]
    assert len(refused.value.fields["password"]) >= 2  # too short, too common, only digits
    account_activate(login=léa.login, code=code, password="Vacances à la mer 2025")  # the code still works


def test_an_expired_code_is_refused(imported):
    léa = student_user(imported, "E1")
    code = _code_for(imported, léa)
    ActivationCode.objects.filter(user=léa).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationFailed) as refused:
        account_activate(login=léa.login, code=code, password="Vacances à la mer 2025")
    assert refused.value.code == "activation_expired"


def test_a_new_code_revokes_the_previous_one(imported):
    léa = student_user(imported, "E1")
    first = _code_for(imported, léa)
    second = _code_for(imported, léa)
    with pytest.raises(ValidationFailed):
        account_activate(login=léa.login, code=first, password="Vacances à la mer 2025")
    account_activate(login=léa.login, code=second, password="Vacances à la mer 2025")


def test_class_letters_have_one_page_per_student_and_guardian_not_yet_activated(imported):
    with schema_context(imported.schema_name):
        class_4b = SchoolClass.objects.get(name="4e B")
    léa = student_user(imported, "E1")
    account_activate(login=léa.login, code=_code_for(imported, léa), password="Vacances à la mer 2025")

    pdf = activation_letters_pdf(establishment=imported, school_class=class_4b)

    assert pdf.startswith(b"%PDF")
    # 4e B: Léa (activated: no letter), Hugo, Sophie (Léa's mother), Marc (Hugo's father).
    assert len(PAGE_RE.findall(pdf)) == 3
    hugo = student_user(imported, "E2")
    assert hugo.login.encode() in pdf
    assert (
        ActivationCode.objects.filter(user=hugo, used_at__isnull=True, revoked_at__isnull=True).count() == 1
    )


def test_staff_letters(imported):
    pdf = activation_letters_pdf(establishment=imported, school_class=None)
    assert len(PAGE_RE.findall(pdf)) == 2


def test_the_activation_page_works_on_the_portal_and_on_school_hosts(imported, school_b):
    léa, hugo = student_user(imported, "E1"), student_user(imported, "E2")
    page = client_for(None, None).get(f"/accounts/activate/?login={léa.login}")
    assert page.status_code == 200 and léa.login in page.content.decode()

    weak = client_for(None, imported).post(
        "/accounts/activate/",
        {"login": léa.login, "code": _code_for(imported, léa), "password": "abc", "password2": "abc"},
    )
    assert weak.status_code == 400 and 'aria-invalid="true"' in weak.content.decode()

    code = _code_for(imported, hugo)
    done = client_for(None, school_b).post(
        "/accounts/activate/",
        {
            "login": hugo.login,
            "code": code,
            "password": "Vacances à la mer 2025",
            "password2": "Vacances à la mer 2025",
        },
    )
    assert done.status_code == 302
    hugo.refresh_from_db()
    assert hugo.check_password("Vacances à la mer 2025")


def test_the_activation_api_is_anonymous_and_throttled(imported):
    léa = student_user(imported, "E1")
    code = _code_for(imported, léa)
    api = client_for(None, imported, api=True)

    wrong = api.post(
        "/api/v1/account/activate/", {"login": léa.login, "code": "AAAA-AAAA-AAAA", "password": "x"}
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "activation_invalid"
    ok = api.post(
        "/api/v1/account/activate/", {"login": léa.login, "code": code, "password": "Vacances à la mer 2025"}
    )
    assert ok.status_code == 200 and ok.json() == {"login": léa.login}

    statuses = [
        api.post("/api/v1/account/activate/", {"login": "x", "code": "y", "password": "z"}).status_code
        for _ in range(10)
    ]
    assert statuses[-1] == 429
