"""The establishment's grading policy: the rounding of averages, the subjects' coefficients (the
leadership's)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import ValidationFailed
from tenant_apps.grades.models import GradingPolicy, Rounding, SubjectCoefficient
from tenant_apps.grades.permissions import GRADES_STAFF
from tenant_apps.grades.services.common import acting_member, audit
from tenant_apps.structure.models import Subject


@transaction.atomic
def grading_policy_set(
    *, actor: Actor | None, rounding: str, skills_enabled: bool | None = None
) -> GradingPolicy:
    acting_member(actor, GRADES_STAFF)
    if rounding not in Rounding.values:
        raise ValidationFailed(fields={"rounding": [_("Unknown rounding.")]})
    policy = GradingPolicy.objects.select_for_update().first() or GradingPolicy()
    before = policy.rounding if policy.pk else "0.01"
    skills_before = policy.skills_enabled
    policy.rounding = rounding
    if skills_enabled is not None:
        policy.skills_enabled = skills_enabled
    policy.save()
    audit(
        actor,
        "grades.policy_changed",
        policy,
        {
            "rounding": {"from": before, "to": rounding},
            "skills_enabled": {"from": skills_before, "to": policy.skills_enabled},
        },
    )
    return policy


@transaction.atomic
def subject_coefficient_set(
    *, actor: Actor | None, subject: Subject, coefficient: Decimal
) -> SubjectCoefficient:
    acting_member(actor, GRADES_STAFF)
    if not Decimal(0) <= coefficient <= Decimal(100) or coefficient != coefficient.quantize(Decimal("0.01")):
        raise ValidationFailed(fields={"coefficient": [_("The coefficient is a number from 0 to 100.")]})
    row, _created = SubjectCoefficient.objects.select_for_update().get_or_create(subject=subject)
    before = row.coefficient
    row.coefficient = coefficient
    row.save()
    audit(
        actor,
        "grades.subject_coefficient_set",
        subject,
        {"coefficient": {"from": str(before), "to": str(coefficient)}},
    )
    return row
