"""Establishment creation rules, unknown hosts, suspended and archived establishments."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.school.models import SchoolClass
from tenants.models import EstablishmentKind, EstablishmentStatus
from tenants.provisioning.jobs import establishment_create
from tenants.provisioning.lifecycle import establishment_set_status
from tenants.uai import uai_check_letter, validate_uai
from tests.conftest import client_for
from tests.factories import member


@pytest.mark.parametrize("code", ["0671234C", "0671250V", "6200001G"[:7] + uai_check_letter("6200001")])
def test_valid_uai_codes_pass(code):
    validate_uai(code)


@pytest.mark.parametrize("code", ["0671234D", "067123C", "A671234C", ""])
def test_invalid_uai_codes_are_refused(code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_uai(code)


def _create(**overrides):
    fields = {
        "actor": None,
        "uai": "0670001M",
        "name": "Collège Gamma",
        "kind": EstablishmentKind.COLLEGE,
        "academie": "Strasbourg",
        "departement": "67",
        "subdomain": "gamma",
    }
    fields.update(overrides)
    return establishment_create(**fields)


def test_creating_an_establishment_gives_a_served_school_on_its_subdomain(db):
    school = _create()
    assert school.schema_name.startswith("t_") and "gamma" not in school.schema_name
    assert school.status == EstablishmentStatus.ACTIVE
    response = client_for(None, school).get("/")
    assert response.status_code == 200
    assert "Collège Gamma" in response.content.decode()


def test_a_second_establishment_with_the_same_uai_is_refused_with_a_clear_error(school_a):
    with pytest.raises(Conflict) as raised:
        _create(uai=school_a.uai, subdomain="other")
    assert "uai" in raised.value.fields


def test_bad_input_names_the_fields(db):
    with pytest.raises(ValidationFailed) as raised:
        _create(uai="0670001Z", departement="ABC", kind="university")
    assert {"uai", "departement", "kind"} <= set(raised.value.fields)


def test_an_unknown_subdomain_gets_a_clear_404_page(db):
    response = client_for().get("/", HTTP_HOST="nowhere.localhost")
    assert response.status_code == 404
    assert "nowhere.localhost" in response.content.decode()


def test_a_suspended_establishment_serves_the_maintenance_page_and_no_data(school_a):
    with schema_context(school_a.schema_name):
        SchoolClass.objects.create(name="Secret 3e", level="3e")
    head = member(school_a, Role.HEAD)
    establishment_set_status(actor=None, establishment=school_a, status=EstablishmentStatus.SUSPENDED)

    for path in ("/", "/api/v1/classes/", "/api/v1/establishment/"):
        response = client_for(head, school_a).get(path)
        assert response.status_code == 503
        assert "Secret 3e" not in response.content.decode()
    assert client_for(head, school_a).get("/healthz").status_code == 200


def test_an_archived_establishment_is_read_only(school_a):
    head = member(school_a, Role.HEAD)
    establishment_set_status(actor=None, establishment=school_a, status=EstablishmentStatus.ARCHIVED)
    client = client_for(head, school_a, api=True)
    assert client.get("/api/v1/establishment/").status_code == 200
    refused = client.post("/api/v1/classes/", {"name": "x"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "establishment_archived"
