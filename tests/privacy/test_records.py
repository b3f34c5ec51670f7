"""The records of processing (registre des traitements), generated from each app's declaration,
for the region's operators and its data protection officer only."""

from __future__ import annotations

import html

from mbn_platform.kernel.privacy import privacy_declarations
from shared_apps.identity.roles import RegionRole, Role
from tests.conftest import client_for
from tests.factories import member
from tests.support.helpers import text, with_region_role


def test_the_dpo_and_operators_read_the_records_generated_from_every_apps_declaration(school_a):
    keys = {d.key for d in privacy_declarations()}
    assert {
        "identity.accounts",
        "support.requests",
        "audit.log",
        "school.members",
        "attendance.absences",
    } <= keys
    for role in (RegionRole.DATA_PROTECTION_OFFICER, RegionRole.REGION_OPERATOR):
        page = client_for(with_region_role(role), None).get("/privacy/records/")
        assert page.status_code == 200
        body = html.unescape(text(page))
        for declaration in privacy_declarations():
            assert str(declaration.name) in body and str(declaration.retention) in body
    assert client_for(with_region_role(RegionRole.SUPPORT), None).get("/privacy/records/").status_code == 403
    assert client_for(member(school_a, Role.HEAD), None).get("/privacy/records/").status_code == 403
