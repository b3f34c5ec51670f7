"""Security-relevant writes leave exactly one audit entry; entries cannot be changed."""

from __future__ import annotations

import pytest

from shared_apps.audit.models import AuditEntry, AuditLogIsAppendOnly
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_end, membership_grant
from tenants.models import EstablishmentStatus
from tenants.provisioning.lifecycle import establishment_set_status
from tests.factories import UserFactory


def test_granting_and_ending_a_role_leave_one_entry_each(school_a):
    head = UserFactory()
    person = UserFactory()
    membership_grant(actor=head, user=person, establishment=school_a, role=Role.TEACHER)
    membership_grant(actor=head, user=person, establishment=school_a, role=Role.TEACHER)  # no change
    membership_end(actor=head, user=person, establishment=school_a, role=Role.TEACHER)

    entries = list(
        AuditEntry.objects.filter(establishment=school_a, details__user_id=person.pk).order_by("pk")
    )
    assert [e.action for e in entries] == ["membership.grant", "membership.end"]
    assert all(e.actor_id == head.pk for e in entries)


def test_a_status_change_leaves_one_entry(school_a):
    establishment_set_status(actor=None, establishment=school_a, status=EstablishmentStatus.SUSPENDED)
    entries = AuditEntry.objects.filter(establishment=school_a, action="establishment.status")
    assert [e.details for e in entries] == [{"from": "active", "to": "suspended"}]


def test_audit_entries_cannot_be_updated_or_deleted_through_the_orm(school_a):
    entry = AuditEntry.objects.create(action="probe", establishment=school_a)
    entry.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "probe"


def test_audit_entries_cannot_be_updated_or_deleted_in_the_database_either(school_a):
    from django.db import InternalError, ProgrammingError, connection, transaction

    entry = AuditEntry.objects.create(action="probe", establishment=school_a)
    for statement in (
        "UPDATE audit_auditentry SET action = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError), match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "probe"
