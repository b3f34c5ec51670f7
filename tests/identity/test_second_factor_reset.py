"""A staff member who lost their authenticator gets back in through their establishment's
administrator or a support agent, after an identity check, audited (issue 13, hardening)."""

from __future__ import annotations

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.auth_models import RecoveryCode, TOTPDevice
from shared_apps.identity.models import Membership
from shared_apps.identity.roles import Role
from shared_apps.support.impersonation import impersonation_write_approve
from tests.conftest import client_for
from tests.factories import member
from tests.identity.helpers import sign_in, with_authenticator
from tests.support.helpers import impersonating_client, start, support_agent

CHECKED = {"identity_check": "in_person", "reason": "Téléphone perdu, vu en personne avec sa carte."}


def test_the_establishments_admin_resets_a_teachers_lost_authenticator(
    school_a, mailoutbox, django_capture_on_commit_callbacks
):
    teacher = member(school_a, Role.TEACHER, email="prof@example.org")
    with_authenticator(teacher)
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    membership = Membership.objects.get(user=teacher, establishment=school_a)
    web = client_for(admin, school_a)

    unchecked = web.post(f"/members/{membership.pk}/second-factor-reset/", {"reason": "x"})
    assert unchecked.status_code == 400 and TOTPDevice.objects.filter(user=teacher).exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = web.post(f"/members/{membership.pk}/second-factor-reset/", CHECKED)

    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not RecoveryCode.objects.filter(user=teacher).exists()
    [entry] = AuditEntry.objects.filter(action="auth.second_factor_reset", target_id=str(teacher.pk))
    assert (entry.actor_id, entry.establishment_id) == (admin.pk, school_a.pk)
    assert entry.details["identity_check"] == "in_person"
    assert [m.to for m in mailoutbox] == [["prof@example.org"]]
    # Signing in with the password leads to setting up a new authenticator.
    signed = sign_in(client_for(None, school_a), teacher.login)
    assert signed.status_code == 302 and "second-factor" in signed["Location"]


def test_a_support_agent_resets_it_from_the_portal_and_a_teacher_may_not(school_a):
    teacher = member(school_a, Role.TEACHER, login="prof.sans.telephone")
    with_authenticator(teacher)
    colleague = member(school_a, Role.TEACHER)
    membership = Membership.objects.get(user=teacher, establishment=school_a)
    refused = client_for(colleague, school_a).post(f"/members/{membership.pk}/second-factor-reset/", CHECKED)
    assert refused.status_code == 403

    agent = support_agent()
    done = client_for(agent, None).post(
        "/support/second-factor-reset/", {"uai": school_a.uai, "login": "prof.sans.telephone", **CHECKED}
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert AuditEntry.objects.filter(action="auth.second_factor_reset", actor_id=agent.pk).exists()


def test_never_while_impersonating_an_admin_even_with_approval(school_a):
    teacher = member(school_a, Role.TEACHER)
    with_authenticator(teacher)
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    agent = support_agent()
    impersonation = start(agent, admin, school_a)
    impersonation_write_approve(actor=support_agent(), impersonation=impersonation, reason="Approved, say.")
    membership = Membership.objects.get(user=teacher, establishment=school_a)

    answer = impersonating_client(agent, impersonation).post(
        f"/members/{membership.pk}/second-factor-reset/", CHECKED
    )

    assert answer.status_code == 403
    assert TOTPDevice.objects.filter(user=teacher).exists()
