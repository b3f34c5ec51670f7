"""The public apps reach each establishment's schema only through hooks the tenant apps register at
start-up (``AppConfig.ready()``): they are registered, and used where the public apps write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tenants.utils import schema_context

from shared_apps.directory import school_roll, structure_store
from shared_apps.identity import local_members
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_end, membership_grant
from tenant_apps.school.hooks import SchoolClassesRoll, SchoolMembers, school_defaults
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.directory_store import ImportStructureStore
from tenants.provisioning import defaults
from tests.factories import UserFactory


def test_the_tenant_apps_register_their_hooks_at_start_up():
    assert isinstance(local_members.local_members(), SchoolMembers)
    assert isinstance(school_roll.school_roll(), SchoolClassesRoll)
    assert isinstance(structure_store.structure_store(), ImportStructureStore)
    assert school_defaults in defaults._seeds


def test_without_a_registered_app_identity_refuses_to_skip_the_member_rows(monkeypatch):
    monkeypatch.setattr(local_members, "_registered", [])
    with pytest.raises(ImproperlyConfigured):
        local_members.local_members()


def test_a_membership_and_its_member_row_change_together(school_a):
    with schema_context(school_a.schema_name):
        school_class_ensure(name="5e H", level="5e")
    person = UserFactory()

    membership_grant(actor=None, user=person, establishment=school_a, role=Role.STUDENT, class_name="5e H")
    with schema_context(school_a.schema_name):
        row = Member.objects.select_related("school_class").get(user_id=person.pk)
        assert (row.roles, row.is_active, row.school_class.name) == ([Role.STUDENT], True, "5e H")

    membership_end(actor=None, user=person, establishment=school_a, role=Role.STUDENT)
    with schema_context(school_a.schema_name):
        row = Member.objects.get(user_id=person.pk)
        assert (row.roles, row.is_active) == ([], False)
