"""Identity fields are never writable while impersonating, approval or not (issue 13, fault 2):
with a second agent's approval an agent could change the person's e-mail address, then have a
password reset sent there. Pages, API and services all refuse."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from mbn_platform.kernel.audit import acting_agent_var
from shared_apps.identity.auth_services import password_change
from shared_apps.identity.locks import IdentityLocked
from shared_apps.identity.profile import profile_update
from shared_apps.identity.roles import Role
from shared_apps.support.impersonation import impersonation_write_approve
from tests.factories import PASSWORD, member
from tests.support.helpers import impersonating_client, start, support_agent


@pytest.fixture
def approved(school_a):
    """An impersonation of a teacher with a second agent's approval to change things."""
    agent = support_agent()
    teacher = member(school_a, Role.TEACHER, email="vraie.prof@example.org")
    impersonation = start(agent, teacher, school_a)
    impersonation_write_approve(
        actor=support_agent(), impersonation=impersonation, reason="The profile must be fixed."
    )
    return agent, teacher, impersonation


def test_an_approved_impersonation_cannot_change_the_email_address_on_the_page_or_the_api(approved):
    agent, teacher, impersonation = approved
    page = impersonating_client(agent, impersonation)
    api = impersonating_client(agent, impersonation, api=True)

    form = page.get("/accounts/").content.decode()
    assert 'name="email"' in form and "disabled" in form.split('name="email"')[1].split(">")[0]
    page.post("/accounts/", {"email": "pirate@example.org", "language": "fr"})
    patched = api.patch("/api/v1/account/profile/", {"email": "pirate@example.org"}, format="json")
    reset = page.post("/accounts/password-reset/", {"email": "pirate@example.org"})

    assert patched.status_code == 403 and reset.status_code == 403
    teacher.refresh_from_db()
    assert teacher.email == "vraie.prof@example.org"


@pytest.mark.parametrize("page", ["/accounts/password/", "/accounts/sessions/sign-out-others/"])
def test_an_approved_impersonation_cannot_reach_the_password_or_the_sessions(approved, page):
    agent, _teacher, impersonation = approved
    assert impersonating_client(agent, impersonation).post(page, {}).status_code == 403


def test_the_services_refuse_identity_changes_whoever_calls_them(school_a):
    agent = support_agent()
    teacher = member(school_a, Role.TEACHER, email="vraie.prof@example.org")
    request = RequestFactory().post("/", HTTP_HOST="alpha.localhost")
    request.session = {}  # type: ignore[assignment]
    token = acting_agent_var.set((agent.pk, teacher.pk))
    try:
        with pytest.raises(IdentityLocked):
            profile_update(request=request, user=teacher, email="pirate@example.org")
        with pytest.raises(IdentityLocked):
            password_change(
                request=request, user=teacher, current_password=PASSWORD, new_password="Un autre mot 42!"
            )
        # What is not an identity field may still change (with approval, checked by the middleware).
        profile_update(request=request, user=teacher, language="en")
    finally:
        acting_agent_var.reset(token)
    teacher.refresh_from_db()
    assert (teacher.email, teacher.language) == ("vraie.prof@example.org", "en")
