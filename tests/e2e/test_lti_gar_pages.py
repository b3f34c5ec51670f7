"""axe-core scans of the LTI tools' pages (an establishment admin with their second factor: the
register and a tool's page) and of the GAR exports' console (a region operator, a failed night
shown with its error). No WCAG 2.1 A/AA violation."""

from __future__ import annotations

import datetime
import uuid

from django.db import connection

from shared_apps.connectors.lti_services import lti_tool_register
from shared_apps.connectors.models import GarExport, GarExportStatus
from shared_apps.identity.roles import Role
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.connectors.lti_tool import TOOL, key_pair
from tests.e2e.test_accessibility_help_and_privacy import _violations
from tests.e2e.test_support_impersonation import _sign_in
from tests.factories import member
from tests.identity.helpers import with_authenticator
from tests.support.helpers import operator


def test_the_lti_and_gar_pages_have_no_accessibility_violation(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    tag = uuid.uuid4().hex[:8]
    admin = member(school, Role.ESTABLISHMENT_ADMIN, login=f"a11y-lti-admin-{tag}")
    admin_totp = with_authenticator(admin)
    boss = operator(login=f"a11y-gar-operator-{tag}")
    boss_totp = with_authenticator(boss)
    tool = lti_tool_register(
        actor=None,
        owner_establishment=school,
        name=f"Manuel numérique {tag}",
        login_url=f"{TOOL}/login",
        launch_url=f"{TOOL}/launch",
        redirect_uris=[f"{TOOL}/launch"],
        public_key=key_pair()[1],
    )
    night = datetime.date(2001, 1, 1) + datetime.timedelta(days=int(tag, 16) % 9000)
    GarExport.objects.get_or_create(
        night=night,
        defaults={"status": GarExportStatus.FAILED, "error": "AuthenticationException", "attempts": 2},
    )
    connection.set_schema_to_public()
    portal = f"http://localhost:{app_server}"
    site = f"http://{host_of(school)}:{app_server}"
    found: dict[str, list[str]] = {}

    with browse() as page:
        page.goto(f"{site}/accounts/login/?next=/connectors/lti-tools/")
        _sign_in(page, site, admin.login, admin_totp.now())
        page.wait_for_url(f"{site}/connectors/lti-tools/")
        assert tool.name in page.content()
        found["lti-tools"] = _violations(page)
        page.goto(f"{site}/connectors/lti-tools/{tool.pk}/")
        found["lti-tool"] = _violations(page)
    with browse() as page:
        page.goto(f"{portal}/accounts/login/?next=/connectors/gar-exports/")
        _sign_in(page, portal, boss.login, boss_totp.now())
        page.wait_for_url(f"{portal}/connectors/gar-exports/")
        assert "AuthenticationException" in page.content()
        found["gar-exports"] = _violations(page)

    assert {name: v for name, v in found.items() if v} == {}
