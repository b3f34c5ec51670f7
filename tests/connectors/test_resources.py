"""The resources page: the tools a person may open from their establishment, each with single
sign-on; CAS services registered like applications."""

from __future__ import annotations

import pytest

from shared_apps.connectors.services import cas_service_register
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.connectors.helpers import registered_app
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_the_resources_are_those_open_to_the_person_here(school_a, school_b, django_assert_max_num_queries):
    student = member(school_a, Role.STUDENT)
    registered_app(
        establishments=[school_a], name="Moodle A", launch_url="https://moodle.a.test/auth/oauth2/"
    )
    registered_app(
        establishments=[school_a],
        name="Pour les profs",
        launch_url="https://profs.test/",
        allowed_roles=[Role.TEACHER],
    )
    registered_app(establishments=[school_b], name="Moodle B", launch_url="https://moodle.b.test/")
    registered_app(establishments=[school_a], name="Sans tuile")
    cas_service_register(
        actor=None,
        name="Emploi du temps",
        service_prefix="https://edt.a.test/",
        launch_url="https://edt.a.test/eleve",
        owner_establishment=school_a,
    )
    client = client_for(student, school_a, api=True)

    with django_assert_max_num_queries(18):  # whatever the number of applications
        rows = client.get("/api/v1/resources/").json()["results"]

    assert [(r["name"], r["protocol"]) for r in rows] == [("Emploi du temps", "cas"), ("Moodle A", "oidc")]
    assert rows[0]["url"] == "http://localhost/cas/login?service=https%3A%2F%2Fedt.a.test%2Feleve"
    assert rows[1]["url"] == "https://moodle.a.test/auth/oauth2/"
    page = client_for(student, school_a).get("/resources/").content.decode()
    assert "Moodle A" in page and "Moodle B" not in page and "Pour les profs" not in page


def test_the_portal_has_no_resources_page(db):
    from tests.factories import UserFactory

    person = UserFactory()
    assert client_for(person, api=True).get("/api/v1/resources/").status_code == 404


def test_leaders_register_cas_services_and_bad_input_is_400(school_a):
    head = member(school_a, Role.HEAD)
    client = client_for(head, school_a, api=True)

    made = client.post(
        "/api/v1/connectors/cas-services/",
        {"name": "Vie scolaire", "service_prefix": "https://vs.a.test/"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["establishments"] == [school_a.uai]
    assert client.get("/api/v1/connectors/cas-services/").json()["count"] == 1
    bad = client.post(
        "/api/v1/connectors/cas-services/", {"name": "x", "service_prefix": "javascript:x"}, format="json"
    )
    assert bad.status_code == 400 and "service_prefix" in bad.json()["error"]["fields"]
    teacher = member(school_a, Role.TEACHER)
    assert client_for(teacher, school_a, api=True).get("/api/v1/connectors/cas-services/").status_code == 403


def test_the_gar_opens_from_the_resources_of_people_with_a_gar_profile(school_a, settings):
    settings.GAR_ENTRY_URL = "https://gar.example.test/entree"
    student = member(school_a, Role.STUDENT)
    guardian = member(school_a, Role.GUARDIAN)

    rows = client_for(student, school_a, api=True).get("/api/v1/resources/").json()["results"]
    assert rows[0] == {"name": "Digital textbooks (GAR)", "url": settings.GAR_ENTRY_URL, "protocol": "saml"}
    assert client_for(guardian, school_a, api=True).get("/api/v1/resources/").json()["results"] == []
