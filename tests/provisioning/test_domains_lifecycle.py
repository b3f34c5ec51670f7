"""Changing a school's subdomain (the old one redirects), aliases, and the lifecycle actions."""

from __future__ import annotations

import pytest

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenants.models import EstablishmentStatus
from tenants.provisioning.domains import (
    establishment_alias_add,
    establishment_alias_remove,
    establishment_subdomain_change,
)
from tenants.provisioning.lifecycle import establishment_lifecycle
from tests.conftest import client_for
from tests.factories import member


def test_a_new_subdomain_serves_the_school_and_the_old_one_redirects_to_it(school_a):
    establishment_subdomain_change(actor=None, establishment=school_a, subdomain="alpha-neuf")

    served = client_for(None, school_a).get("/")  # client_for uses the primary domain
    assert served.status_code == 200
    old = client_for().get("/classes/3/?x=1", HTTP_HOST="alpha.localhost")
    assert old.status_code == 301
    assert old["Location"] == "http://alpha-neuf.localhost/classes/3/?x=1"
    assert (
        AuditEntry.objects.filter(establishment=school_a, action="establishment.domain_change").count() == 1
    )


def test_an_alias_serves_the_school_without_redirect_and_can_be_removed(school_a):
    establishment_alias_add(actor=None, establishment=school_a, subdomain="college-alpha")
    assert client_for().get("/", HTTP_HOST="college-alpha.localhost").status_code == 200
    establishment_alias_remove(actor=None, establishment=school_a, host="college-alpha.localhost")
    assert client_for().get("/", HTTP_HOST="college-alpha.localhost").status_code == 404
    with pytest.raises(ValidationFailed):
        establishment_alias_remove(actor=None, establishment=school_a, host="alpha.localhost")


def test_another_schools_subdomain_cannot_be_taken(school_a, school_b):
    with pytest.raises(Conflict) as raised:
        establishment_subdomain_change(actor=None, establishment=school_a, subdomain="beta")
    assert "subdomain" in raised.value.fields
    with pytest.raises(Conflict):
        establishment_alias_add(actor=None, establishment=school_a, subdomain="beta")


def test_suspend_reactivate_archive(school_a):
    head = member(school_a, Role.HEAD)
    establishment_lifecycle(actor=None, establishment=school_a, action="suspend")
    assert client_for(head, school_a).get("/").status_code == 503
    establishment_lifecycle(actor=None, establishment=school_a, action="reactivate")
    assert client_for(head, school_a).get("/").status_code == 200
    establishment_lifecycle(actor=None, establishment=school_a, action="archive")
    assert school_a.status == EstablishmentStatus.ARCHIVED
    assert client_for(head, school_a).get("/").status_code == 200


def test_a_lifecycle_action_from_the_wrong_status_is_refused(school_a):
    school_a.status = EstablishmentStatus.PROVISIONING
    with pytest.raises(Conflict):
        establishment_lifecycle(actor=None, establishment=school_a, action="archive")
    with pytest.raises(ValidationFailed):
        establishment_lifecycle(actor=None, establishment=school_a, action="explode")
