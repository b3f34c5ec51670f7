"""Funders: the default one from an establishment's kind and département, the change by an
operator with its history and audit, the onboarded establishments attached at creation."""

from __future__ import annotations

import datetime

import pytest

from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.billing.funders import establishment_funder_assign, funder_default_for
from tests.billing.helpers import establishment, funder
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("kind", "departement", "code", "name"),
    [
        ("college", "67", "departement-67", "Conseil départemental du Bas-Rhin"),
        ("college", "2A", "departement-2a", "Conseil départemental (2A)"),
        ("lycee", "67", "region", "Région Grand Est"),
        ("lycee_pro", "54", "region", "Région Grand Est"),
        ("lycee_agricole", "88", "agriculture", "Ministère de l'Agriculture"),
    ],
)
def test_the_default_funder_follows_the_kind_and_the_departement(db, kind, departement, code, name):
    # Given an establishment of this kind in this département, with no funder yet
    school = establishment(None, kind=kind, departement=departement)
    # When it is attached to its default funder
    establishment_funder_assign(actor=None, establishment=school)
    # Then that is the département's council, the region or the ministry
    school.refresh_from_db()
    assert school.funded_by is not None
    assert (school.funded_by.code, school.funded_by.name) == (code, name)
    assert school.funder == name  # the former text column is kept in step
    assert funder_default_for(kind=kind, departement=departement) == school.funded_by


def test_onboarded_establishments_are_attached_to_their_default_funder(school_a, school_b):
    assert school_a.funded_by.code == "departement-67"  # a collège of the Bas-Rhin
    assert school_b.funded_by.code == "region"  # a lycée
    assert school_a.funder_assignments.count() == 1


def test_an_operator_changes_the_funder_with_history_and_audit(db):
    operator = UserFactory()
    first, second = funder(), funder()
    school = establishment(first, since=datetime.date(2024, 9, 1))

    establishment_funder_assign(
        actor=operator,
        establishment=school,
        funder=second,
        effective_from=datetime.date(2025, 1, 1),
        reason="Convention signed",
    )

    school.refresh_from_db()
    assert school.funded_by == second
    history = list(
        school.funder_assignments.order_by("effective_from").values_list("funder_id", "effective_from")
    )
    assert history == [(first.pk, datetime.date(2024, 9, 1)), (second.pk, datetime.date(2025, 1, 1))]
    entry = AuditEntry.objects.get(action="billing.funder_assigned", establishment_id=school.pk)
    assert entry.actor_id == operator.pk
    assert entry.details["changes"] == {"funder": {"from": first.code, "to": second.code}}
    assert entry.details["reason"] == "Convention signed"


def test_a_funder_change_cannot_take_effect_before_the_previous_one(db):
    school = establishment(funder(), since=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationFailed) as error:
        establishment_funder_assign(
            actor=None, establishment=school, funder=funder(), effective_from=datetime.date(2025, 2, 1)
        )
    assert "effective_from" in error.value.fields
