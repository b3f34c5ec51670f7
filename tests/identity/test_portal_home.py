"""The portal's home page links each role's entry points; pages promise only what exists; every
host serves a favicon (issue 12)."""

from __future__ import annotations

from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.identity.services import guardian_link_create
from tests.conftest import client_for
from tests.factories import UserFactory, member


def test_an_operators_home_links_the_console_and_the_audit_log(db):
    operator = UserFactory()
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)
    html = client_for(operator).get("/").content.decode()
    for path in ('href="/console/"', 'href="/console/bulk/"', 'href="/audit/"'):
        assert path in html
    assert 'href="/support/queue/"' not in html
    assert client_for(operator).get("/console/").status_code == 200


def test_a_support_agents_home_links_the_queue(db):
    agent = UserFactory()
    RegionRoleAssignment.objects.create(user=agent, role=RegionRole.SUPPORT)
    html = client_for(agent).get("/").content.decode()
    assert 'href="/support/queue/"' in html
    assert 'href="/console/"' not in html and 'href="/audit/"' not in html
    assert client_for(agent).get("/support/queue/").status_code == 200


def test_a_guardians_home_links_no_region_page(school_a):
    guardian = member(school_a, Role.GUARDIAN)
    html = client_for(guardian).get("/").content.decode()
    assert 'href="/console/"' not in html and 'href="/support/queue/"' not in html
    assert 'href="/support/requests/"' in html  # their own requests for help


def test_pages_promise_only_what_exists_today(school_a):
    texts = [
        client_for(None).get("/").content.decode(),
        client_for(None, school_a).get("/").content.decode(),
    ]
    child = member(school_a, Role.STUDENT)
    guardian = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=guardian, child=child)
    child_page = client_for(guardian, school_a).get(f"/children/{child.pk}/")
    assert child_page.status_code == 200
    texts.append(child_page.content.decode())
    for text in texts:
        # Grades, homework, messages and forms exist now (issues 16, 17, 19); signing is not.
        for word in ("sign a form",):
            assert word not in text, word


def test_every_host_serves_a_favicon(school_a):
    for client in (client_for(None), client_for(None, school_a)):
        response = client.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
