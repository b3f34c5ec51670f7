"""The establishment switcher in the header: every establishment of the person, on its own host,
with the port the browser uses; one session for all of them."""

from __future__ import annotations

import re

from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tests.conftest import client_for
from tests.factories import member


def _switcher(html: str) -> str:
    match = re.search(r'<details class="switcher" id="establishment-switcher">(.*?)</details>', html, re.S)
    assert match, "no switcher in the header"
    return match.group(1)


def test_the_switcher_lists_each_establishment_once_and_marks_the_current_one(school_a, school_b):
    teacher = member(school_a, Role.TEACHER)
    membership_grant(actor=None, user=teacher, establishment=school_a, role=Role.HEAD)
    membership_grant(actor=None, user=teacher, establishment=school_b, role=Role.TEACHER)

    switcher = _switcher(client_for(teacher, school_a).get("/").content.decode())
    assert switcher.count('href="http://alpha.localhost/"') == 1
    assert '<a href="http://alpha.localhost/" aria-current="page">Collège Alpha</a>' in switcher
    assert '<a href="http://beta.localhost/">Lycée Bêta</a>' in switcher
    assert 'href="http://localhost/"' in switcher  # the regional portal


def test_the_switcher_keeps_the_port_the_browser_uses(school_a, school_b):
    parent = member(school_a, Role.GUARDIAN)
    membership_grant(actor=None, user=parent, establishment=school_b, role=Role.GUARDIAN)
    client = client_for(parent, school_a)

    on_dev_server = _switcher(client.get("/", HTTP_HOST="alpha.localhost:8000").content.decode())
    assert 'href="http://beta.localhost:8000/"' in on_dev_server
    assert 'href="http://localhost:8000/"' in on_dev_server

    # Behind the load balancer the server listens on 8000 but the browser talks to 443/80:
    # the links follow the Host header, not the server's own port.
    behind_proxy = _switcher(
        client.get("/", HTTP_HOST="alpha.localhost", SERVER_PORT="8000").content.decode()
    )
    assert 'href="http://beta.localhost/"' in behind_proxy and ":8000" not in behind_proxy


def test_one_session_works_on_every_establishment_of_the_person(school_a, school_b):
    parent = member(school_a, Role.GUARDIAN)
    membership_grant(actor=None, user=parent, establishment=school_b, role=Role.GUARDIAN)
    client = client_for(parent, school_a)

    assert client.get("/").status_code == 200
    on_b = client.get("/", HTTP_HOST="beta.localhost")  # the same session cookie, another host
    assert on_b.status_code == 200 and parent.display_name in on_b.content.decode()
    portal = client.get("/", HTTP_HOST="localhost")
    assert portal.status_code == 200 and parent.display_name in portal.content.decode()
