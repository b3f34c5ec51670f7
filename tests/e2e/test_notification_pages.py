"""axe-core scans of the notifications' pages in a real browser: the centre (a guardian with
notifications of two schools), the preferences, and the caught mail (a region operator, with
their second factor). No violation of WCAG 2.1 A/AA rules."""

from __future__ import annotations

import uuid

from axe_playwright_python.sync_playwright import Axe
from django.core.mail import EmailMultiAlternatives
from django.db import connection

from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.identity.services import membership_grant
from shared_apps.notify.service import notify
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS
from tests.e2e.test_support_impersonation import _sign_in
from tests.factories import PASSWORD, UserFactory, member
from tests.identity.helpers import with_authenticator

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    results = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def test_the_notification_pages_have_no_accessibility_violation(
    browse, app_server, committed, settings, tmp_path
):
    school_a = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    school_b = Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])
    tag = uuid.uuid4().hex[:8]
    guardian = member(school_a, Role.GUARDIAN, login=f"a11y-notif-{tag}")
    membership_grant(actor=None, user=guardian, establishment=school_b, role=Role.GUARDIAN)
    for school, title in ((school_a, "Léa: French moved to Friday"), (school_b, "Tom: maths cancelled")):
        notify(
            actor=None,
            type="lesson_change",
            recipients=[guardian.pk],
            title=title,
            link="/",
            establishment=school,
        )
    operator = UserFactory(login=f"a11y-operator-{tag}")
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)
    operator_totp = with_authenticator(operator)
    settings.MAIL_CATCHER_DIR = str(tmp_path)
    message = EmailMultiAlternatives(
        "[Collège Alpha] Absence of Léa", "Hello,\nLéa was absent.", to=["p@example.org"]
    )
    message.attach_alternative("<p>Hello</p>", "text/html")
    (tmp_path / "1-000001.eml").write_bytes(message.message().as_bytes())
    connection.set_schema_to_public()
    portal = f"http://localhost:{app_server}"
    found: dict[str, list[str]] = {}

    with browse() as page:
        page.goto(f"{portal}/accounts/login/?next=/notifications/")
        page.fill("#id_username", guardian.login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{portal}/notifications/")
        assert "Tom: maths cancelled" in page.content() and "Léa: French moved to Friday" in page.content()
        found["centre"] = _violations(page)
        page.goto(f"{portal}/notifications/preferences/")
        found["preferences"] = _violations(page)
    with browse() as page:
        page.goto(f"{portal}/accounts/login/?next=/notifications/caught-mail/")
        _sign_in(page, portal, operator.login, operator_totp.now())
        page.wait_for_url(f"{portal}/notifications/caught-mail/")
        assert "Absence of Léa" in page.content()
        found["caught-mail"] = _violations(page)

    assert {url: v for url, v in found.items() if v} == {}
