"""Bad input on every page and API of the portal (the region's side: console, support desk, audit
log, account, activation) is answered, never a 500: NUL bytes and out-of-range values in query
parameters, form fields and path values, garbage and empty posts (issue 13, fault 3)."""

from __future__ import annotations

import pytest

from shared_apps.identity.roles import RegionRole, Role
from tests.bad_input import GARBAGE, HUGE_ID, HUGE_INPUT, NUL, NUL_INPUT, last, route_paths
from tests.conftest import client_for
from tests.factories import member
from tests.support.helpers import with_region_role

PUBLIC = "mbn_platform.config.urls_public"
SIGN_OUT = ("accounts/logout/",)


def _person(kind: str | None, school_a):  # type: ignore[no-untyped-def]
    if kind is None:
        return None
    if kind == "member":
        return member(school_a, Role.GUARDIAN)
    return with_region_role(kind)


@pytest.mark.parametrize("kind", [RegionRole.REGION_OPERATOR, RegionRole.SUPPORT, "member", None])
def test_no_portal_route_answers_a_500_to_bad_input(school_a, kind):
    person = _person(kind, school_a)
    page = client_for(person, None)
    api = client_for(person, None, api=True)
    paths = [
        *route_paths(PUBLIC),
        *route_paths(PUBLIC, text=f"a{NUL}b"),
        *route_paths(PUBLIC, text="9" * 30, missing=HUGE_ID),
    ]
    failed = []
    for path in last(dict.fromkeys(paths), *SIGN_OUT):
        client = api if path.startswith("/api/") else page
        for data in (GARBAGE, NUL_INPUT, HUGE_INPUT):
            if client.get(path, data).status_code >= 500:
                failed.append(("GET", path, data))
            options = {"format": "json"} if client is api else {}
            if client.post(path, data, **options).status_code >= 500:
                failed.append(("POST", path, data))
        if client.post(path, {}).status_code >= 500:
            failed.append(("POST", path, {}))
    assert failed == []


def test_the_reported_addresses_are_answered_400_or_404(school_a):
    operator = with_region_role(RegionRole.REGION_OPERATOR)
    agent = with_region_role(RegionRole.SUPPORT)
    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    for client, path in (
        (client_for(operator, None), "/console/?q=%00"),
        (client_for(operator, None), "/audit/?actor=%00"),
        (client_for(admin, school_a, api=True), "/api/v1/memberships/?q=%00"),
        (client_for(admin, school_a, api=True), "/api/v1/memberships/people/lookup/?identifier=%00"),
        (client_for(operator, None, api=True), "/api/v1/establishments/%00/"),
        (client_for(agent, None), "/support/queue/?uai=%00"),
    ):
        assert client.get(path).status_code in (400, 404), path
