"""axe-core scans of the pages issue 13 added, in a real browser: the help centre, a guide, the
help request form (signed out), the sign-in page that links to them, one's data (a guardian),
the records of processing and the transfers page (staff, with their second factor). No
violation of WCAG 2.1 A/AA rules."""

from __future__ import annotations

import uuid

from axe_playwright_python.sync_playwright import Axe
from django.db import connection

from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.e2e.test_support_impersonation import _sign_in
from tests.factories import PASSWORD, UserFactory, member
from tests.identity.helpers import with_authenticator

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    results = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def test_the_new_pages_have_no_accessibility_violation(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    tag = uuid.uuid4().hex[:8]
    guardian = member(school, Role.GUARDIAN, login=f"a11y-parent-{tag}")
    admin = member(school, Role.ESTABLISHMENT_ADMIN, login=f"a11y-admin-{tag}")
    admin_totp = with_authenticator(admin)
    dpo = UserFactory(login=f"a11y-dpo-{tag}")
    RegionRoleAssignment.objects.create(user=dpo, role=RegionRole.DATA_PROTECTION_OFFICER)
    dpo_totp = with_authenticator(dpo)
    connection.set_schema_to_public()
    portal = f"http://localhost:{app_server}"
    site = f"http://{host_of(school)}:{app_server}"
    found: dict[str, list[str]] = {}

    with browse() as page:
        for url in (
            f"{site}/accounts/login/",
            f"{site}/help/",
            f"{site}/help/guides/se-connecter/",
            f"{portal}/help/contact/",
        ):
            page.goto(url)
            found[url] = _violations(page)
        page.goto(f"{portal}/accounts/login/?next=/privacy/my-data/")
        page.fill("#id_username", guardian.login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{portal}/privacy/my-data/")
        found["my-data"] = _violations(page)
    with browse() as page:
        page.goto(f"{portal}/accounts/login/?next=/privacy/records/")
        _sign_in(page, portal, dpo.login, dpo_totp.now())
        page.wait_for_url(f"{portal}/privacy/records/")
        found["records"] = _violations(page)
    with browse() as page:
        page.goto(f"{site}/accounts/login/?next=/members/transfers/")
        _sign_in(page, site, admin.login, admin_totp.now())
        page.wait_for_url(f"{site}/members/transfers/")
        found["transfers"] = _violations(page)

    assert {url: v for url, v in found.items() if v} == {}
