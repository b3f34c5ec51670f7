"""A support agent opens a request in the queue, impersonates the requester on the school's site
(banner, refused write), and stops — in a real browser."""

from __future__ import annotations

import re
import time
import uuid

from django.db import connection

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.support.models import Impersonation, ImpersonationEnd
from shared_apps.support.services import support_request_create
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.factories import PASSWORD, UserFactory, member
from tests.identity.helpers import with_authenticator


def _sign_in(page, base: str, login: str, code: str) -> None:
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")


def test_an_agent_impersonates_the_requester_read_only_and_stops(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    tag = uuid.uuid4().hex[:8]
    student = member(school, Role.STUDENT, login=f"req-{tag}", first_name="Inès", last_name=f"Durand{tag}")
    subject = f"My homework page is blank {tag}"
    support_request = support_request_create(
        actor=student, establishment=school, subject=subject, description="Nothing shows since Monday."
    )
    agent = UserFactory(login=f"agent-{tag}", first_name="Agathe", last_name="Support")
    RegionRoleAssignment.objects.create(user=agent, role=RegionRole.SUPPORT)
    totp = with_authenticator(agent)
    connection.set_schema_to_public()
    portal = f"http://localhost:{app_server}"
    school_site = f"http://{host_of(school)}:{app_server}"

    with browse() as page:
        # English pages whatever the browser's language (the assertions read the texts).
        page.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": url} for url in (portal, school_site)]
        )
        # The agent signs in on the portal (password, then a code) and opens the request.
        page.goto(f"{portal}/accounts/login/?next=/support/queue/")
        _sign_in(page, portal, agent.login, totp.now())
        page.wait_for_url(f"{portal}/support/queue/")
        page.click(f"text={subject}")
        page.wait_for_url(f"{portal}/support/requests/{support_request.pk}/")

        # Impersonate the requester: off to the school's site. (Its cookies are its own here,
        # as in the demo: the agent signs in there too, with the next code.)
        page.click("#impersonate-button")
        page.wait_for_url(re.compile(rf"{re.escape(school_site)}/accounts/login/\?next=.*"))
        _sign_in(page, school_site, agent.login, totp.at(time.time() + 30))
        page.wait_for_url(f"{school_site}/")

        banner = page.inner_text("#impersonation-banner")
        assert f"You are seeing MBN as Inès Durand{tag}" in banner
        assert "Read-only" in banner and "minutes left" in banner
        assert f"Durand{tag}" in page.inner_text("header")  # the site as the requester sees it

        # A write is refused, with a clear message; the banner stays.
        page.goto(f"{school_site}/accounts/")
        page.click("main form button.primary")
        page.wait_for_load_state()
        assert "Read-only impersonation: nothing can be changed." in page.inner_text("main")
        assert page.is_visible("#impersonation-banner")

        # Stop: back on the portal, on the request, as the agent.
        page.click("#impersonation-banner button[type=submit]")
        page.wait_for_url(f"{portal}/support/requests/{support_request.pk}/")
        assert subject in page.inner_text("main")
        assert not page.is_visible("#impersonation-banner")
        assert "Agathe Support" in page.inner_text("header")

    impersonation = Impersonation.objects.get(agent=agent)
    assert impersonation.target_id == student.pk
    assert impersonation.support_request_id == support_request.pk
    assert impersonation.ended_reason == ImpersonationEnd.STOPPED
    actions = list(
        AuditEntry.objects.filter(target_id=str(impersonation.pk), action__startswith="impersonation.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[0] == "impersonation.start"
    assert actions.count("impersonation.start") == actions.count("impersonation.stop") == 1
    refused = AuditEntry.objects.filter(
        target_id=str(impersonation.pk),
        action="impersonation.request",
        details__refused="impersonation_read_only",
    )
    assert refused.count() == 1
