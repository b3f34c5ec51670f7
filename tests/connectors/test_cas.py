"""The CAS server, validated by a real CAS client (python-cas) against the running server:
protocol 3.0 with attributes and 2.0; a ticket works once, for its service only; a service of
one establishment is refused to another's members; staff give their second factor first."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cas import CASClientV2, CASClientV3

from shared_apps.connectors.models import CasService
from shared_apps.connectors.policy import pairwise_subject
from shared_apps.connectors.services import cas_service_register
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tests.connectors.test_oidc_flow import _browser, _person, _portal, _school


@pytest.fixture
def made(committed: None) -> Iterator[dict[str, list[Any]]]:
    created: dict[str, list[Any]] = {"users": [], "apps": [], "services": []}
    yield created
    CasService.objects.filter(pk__in=[s.pk for s in created["services"]]).delete()
    User.objects.filter(pk__in=[u.pk for u in created["users"]]).delete()


def _service(made: dict[str, list[Any]], school: Any, **options: Any) -> CasService:
    prefix = f"https://edt.example.test/cas/{uuid.uuid4().hex[:6]}/"
    service = cas_service_register(
        actor=None, name="Emploi du temps", service_prefix=prefix, owner_establishment=school, **options
    )
    made["services"].append(service)
    return service


def _ticket(port: str, user: User, service_url: str, *, second_factor: bool = True) -> Any:
    browser = _browser(port, user, second_factor=second_factor)
    return browser.get(
        f"{_portal(port)}/cas/login", params={"service": service_url}, allow_redirects=False, timeout=10
    )


def test_a_cas_ticket_is_validated_by_a_real_cas_client_with_attributes(app_server, made):
    school = _school("school_a")
    teacher = _person(made, school, Role.TEACHER)
    service = _service(made, school, share_name=True)
    service_url = f"{service.service_prefix}callback?next=/planning"

    answer = _ticket(app_server, teacher, service_url)

    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(service_url + "&ticket=ST-")
    ticket = parse_qs(urlsplit(location).query)["ticket"][0]
    client = CASClientV3(service_url=service_url, server_url=f"{_portal(app_server)}/cas/")
    user, attributes, _pgtiou = client.verify_ticket(ticket)
    assert user == pairwise_subject(user_id=teacher.pk, client_id=service.client_key)
    assert attributes["uai"] == school.uai
    assert attributes["role"] == Role.TEACHER
    assert attributes["roleInEstablishment"] == f"{school.uai}:{Role.TEACHER}"
    assert attributes["family_name"] == teacher.last_name
    assert "email" not in attributes

    again, _attrs, _pgt = client.verify_ticket(ticket)
    assert again is None  # a ticket works once


def test_cas_2_validation_and_a_ticket_only_for_its_service(app_server, made):
    school = _school("school_a")
    student = _person(made, school, Role.STUDENT)
    service = _service(made, school)
    service_url = f"{service.service_prefix}home"
    ticket = parse_qs(urlsplit(_ticket(app_server, student, service_url).headers["Location"]).query)[
        "ticket"
    ][0]

    other = CASClientV2(
        service_url=f"{service.service_prefix}elsewhere", server_url=f"{_portal(app_server)}/cas/"
    )
    assert other.verify_ticket(ticket)[0] is None

    second = parse_qs(urlsplit(_ticket(app_server, student, service_url).headers["Location"]).query)[
        "ticket"
    ][0]
    user, _attributes, _pgt = CASClientV2(
        service_url=service_url, server_url=f"{_portal(app_server)}/cas/"
    ).verify_ticket(second)
    assert user == pairwise_subject(user_id=student.pk, client_id=service.client_key)


def test_cas_refuses_other_establishments_unknown_services_and_staff_without_code(app_server, made):
    service = _service(made, _school("school_a"))
    service_url = f"{service.service_prefix}home"
    student_of_b = _person(made, _school("school_b"), Role.STUDENT)
    assert _ticket(app_server, student_of_b, service_url).status_code == 403
    assert _ticket(app_server, student_of_b, "https://unknown.example.test/").status_code == 404

    from tests.identity.helpers import with_authenticator

    teacher = _person(made, _school("school_a"), Role.TEACHER)
    with_authenticator(teacher)
    answer = _ticket(app_server, teacher, service_url, second_factor=False)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/accounts/second-factor/")
