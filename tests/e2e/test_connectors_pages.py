"""axe-core scans of the connectors' pages in a real browser: the consent page of a connected
application (a guardian on the portal), their connected applications, the resources page, and the register of
applications (an establishment admin with their second factor). No WCAG 2.1 A/AA violation."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.db import connection

from shared_apps.connectors.services import app_grant_record
from shared_apps.identity.roles import Role
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.connectors.helpers import REDIRECT_URI, registered_app
from tests.e2e.test_accessibility_help_and_privacy import _violations
from tests.e2e.test_support_impersonation import _sign_in
from tests.factories import PASSWORD, member
from tests.identity.helpers import with_authenticator


def test_the_connectors_pages_have_no_accessibility_violation(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    tag = uuid.uuid4().hex[:8]
    guardian = member(school, Role.GUARDIAN, login=f"a11y-apps-parent-{tag}")
    admin = member(school, Role.ESTABLISHMENT_ADMIN, login=f"a11y-apps-admin-{tag}")
    admin_totp = with_authenticator(admin)
    connected, _secret = registered_app(
        establishments=[school], name=f"Manuel {tag}", launch_url="https://manuel.example.test/"
    )
    app_grant_record(
        user=guardian, application=connected.application, scope="openid read", second_factor=False
    )
    connection.set_schema_to_public()
    portal = f"http://localhost:{app_server}"
    site = f"http://{host_of(school)}:{app_server}"
    authorize = "/o/authorize/?" + urlencode(
        {
            "response_type": "code",
            "client_id": connected.application.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid read",
            "state": "s",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
        }
    )
    found: dict[str, list[str]] = {}

    with browse() as page:
        page.goto(f"{portal}/accounts/login/?{urlencode({'next': authorize})}")
        page.fill("#id_username", guardian.login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_selector("#authorizationForm")
        found["consent"] = _violations(page)
        page.goto(f"{portal}/accounts/connected-apps/")
        assert connected.application.name in page.content()
        found["connected-apps"] = _violations(page)
        page.goto(f"{site}/accounts/login/?next=/resources/")
        page.fill("#id_username", guardian.login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{site}/resources/")
        assert connected.application.name in page.content()
        found["resources"] = _violations(page)
    with browse() as page:
        page.goto(f"{site}/accounts/login/?next=/connectors/apps/")
        _sign_in(page, site, admin.login, admin_totp.now())
        page.wait_for_url(f"{site}/connectors/apps/")
        found["apps-admin"] = _violations(page)

    assert {name: v for name, v in found.items() if v} == {}
