"""Who impersonated whom is visible to the person and their establishment's admins, to nobody of
another establishment."""

from __future__ import annotations

import pytest

from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member
from tests.support.helpers import REASON, impersonating_client, start, support_agent, text


@pytest.fixture
def visited(school_a):
    """An impersonation of a student of school A: two pages viewed, then stopped."""
    agent = support_agent(first_name="Agathe", last_name="Support")
    student = member(school_a, Role.STUDENT, first_name="Zoé", last_name="Martin")
    impersonation = start(agent, student, school_a)
    client = impersonating_client(agent, impersonation)
    client.get("/")
    client.get("/support/requests/")
    client.post("/support/impersonation/stop/")
    return student


def test_the_person_sees_every_impersonation_of_their_account(visited, school_a):
    page = client_for(visited, school_a).get("/accounts/impersonations/")

    assert page.status_code == 200
    body = text(page)
    assert "Agathe Support" in body
    assert REASON in body
    assert "3 pages" in body  # the two pages and stopping
    assert "/support/requests/" in body
    # The same page on the portal.
    assert "Agathe Support" in text(client_for(visited, None).get("/accounts/impersonations/"))


def test_the_establishments_admins_and_head_see_it(visited, school_a):
    for role in (Role.ESTABLISHMENT_ADMIN, Role.HEAD):
        page = client_for(member(school_a, role), school_a).get("/support/impersonations/")
        assert page.status_code == 200
        assert "Agathe Support" in text(page) and "Zoé Martin" in text(page)


def test_a_teacher_cannot_see_the_establishments_impersonations(visited, school_a):
    response = client_for(member(school_a, Role.TEACHER), school_a).get("/support/impersonations/")
    assert response.status_code == 403


def test_nobody_of_another_establishment_sees_it(visited, school_a, school_b):
    admin_of_b = member(school_b, Role.ESTABLISHMENT_ADMIN)
    own_page = client_for(admin_of_b, school_b).get("/support/impersonations/")
    assert own_page.status_code == 200
    assert "Agathe Support" not in text(own_page)
    assert client_for(admin_of_b, school_a).get("/support/impersonations/").status_code == 403
    someone_else = member(school_a, Role.STUDENT)
    assert "Agathe Support" not in text(client_for(someone_else, school_a).get("/accounts/impersonations/"))


def test_the_establishments_page_costs_the_same_queries_for_one_or_many(
    school_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = member(school_a, Role.ESTABLISHMENT_ADMIN)
    client = client_for(admin, school_a)

    def impersonate_and_view() -> None:
        agent = support_agent()
        impersonation = start(agent, member(school_a, Role.STUDENT), school_a)
        impersonating_client(agent, impersonation).get("/")

    impersonate_and_view()
    client.get("/support/impersonations/")
    with CaptureQueriesContext(connection) as one:
        client.get("/support/impersonations/")
    for _ in range(4):
        impersonate_and_view()
    with CaptureQueriesContext(connection) as five:
        page = client.get("/support/impersonations/")
    assert page.status_code == 200
    assert len(five.captured_queries) == len(one.captured_queries)


def test_impersonating_a_head_the_audit_log_hides_the_impersonations_as_their_pages_do(visited, school_a):
    agent = support_agent(first_name="Basile", last_name="Curieux")
    head = member(school_a, Role.HEAD)
    impersonation = start(agent, head, school_a)
    page = impersonating_client(agent, impersonation)
    api = impersonating_client(agent, impersonation, api=True)

    log = page.get("/audit/")
    entries = api.get("/api/v1/audit/entries/").json()["results"]

    assert log.status_code == 200
    assert "impersonation.started" not in log.content.decode() and "Curieux" not in text(log)
    assert entries and not [e for e in entries if e["action"].startswith("impersonation.") or e["acting_as"]]
    # The head themselves, signed in, still sees them.
    own = client_for(head, school_a, api=True).get("/api/v1/audit/entries/", {"action": "impersonation."})
    assert own.json()["results"]
