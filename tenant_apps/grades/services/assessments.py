"""Setting an assessment and changing it (its publication date included)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_values
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from tenant_apps.grades.models import Assessment, AssessmentKind
from tenant_apps.grades.permissions import GRADE_WRITERS
from tenant_apps.grades.selectors import teaches
from tenant_apps.grades.services.common import acting_member, audit
from tenant_apps.grades.services.skills import skill_domains_check
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group, Period, Subject

MAX_SCALE = Decimal(100)
MAX_COEFFICIENT = Decimal(100)
EDITABLE = ("title", "date", "scale", "coefficient", "kind", "published_on")


def _check(values: dict[str, Any], period: Period) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = [_("Give the assessment a title.")]
    day: datetime.date = values["date"]
    if not period.start <= day <= period.end:
        errors["date"] = [
            _("The date must be within the period (%(start)s to %(end)s).")
            % {"start": period.start, "end": period.end}
        ]
    scale: Decimal = values["scale"]
    if not Decimal(1) <= scale <= MAX_SCALE or scale != scale.quantize(Decimal("0.01")):
        errors["scale"] = [_("The scale is a number from 1 to 100.")]
    coefficient: Decimal = values["coefficient"]
    if not Decimal(0) < coefficient <= MAX_COEFFICIENT or coefficient != coefficient.quantize(
        Decimal("0.01")
    ):
        errors["coefficient"] = [_("The coefficient is a number above 0, at most 100.")]
    if values["kind"] not in AssessmentKind.values:
        errors["kind"] = [_("Unknown kind.")]
    if errors:
        raise ValidationFailed(fields=errors)


@transaction.atomic
def assessment_create(
    *,
    actor: Actor | None,
    title: str,
    date: datetime.date,
    subject: Subject,
    period: Period,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
    scale: Decimal = Decimal(20),
    coefficient: Decimal = Decimal(1),
    kind: str = AssessmentKind.NORMAL,
    published_on: datetime.date | None = None,
    skill_domains: list[str] | None = None,
) -> Assessment:
    """A teacher sets an assessment for a class or a group they teach in that subject."""
    teacher = acting_member(actor, GRADE_WRITERS)
    if (school_class is None) == (group is None):
        raise ValidationFailed(fields={"school_class": [_("Choose a class or a group.")]})
    values = {"title": title, "date": date, "scale": scale, "coefficient": coefficient, "kind": kind}
    _check(values, period)
    if not teaches(
        teacher=teacher,
        subject_id=subject.pk,
        class_id=school_class.pk if school_class else None,
        group_id=group.pk if group else None,
    ):
        raise ValidationFailed(
            fields={"subject": [_("You do not teach this subject to this class or group.")]}
        )
    domains = skill_domains_check(skill_domains or [])
    assessment = Assessment.objects.create(
        title=title.strip()[:120],
        date=date,
        subject=subject,
        period=period,
        school_class=school_class,
        group=group,
        teacher=teacher,
        scale=scale,
        coefficient=coefficient,
        kind=kind,
        published_on=published_on,
        skill_domains=domains,
    )
    audit(
        actor, "grades.assessment_created", assessment, audit_values({**values, "published_on": published_on})
    )
    return assessment


@transaction.atomic
def assessment_update(*, actor: Actor | None, assessment: Assessment, **changes: Any) -> Assessment:
    """The teacher who set it changes an assessment (title, date, scale, coefficient, kind, the
    publication date: ``None`` hides it again). The scale cannot drop below a grade entered."""
    teacher = acting_member(actor, GRADE_WRITERS)
    if assessment.teacher_id != teacher.pk:
        raise NotFound()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )
    assessment = Assessment.objects.select_for_update().select_related("period").get(pk=assessment.pk)
    before = {name: getattr(assessment, name) for name in EDITABLE}
    after = {**before, **changes}
    _check(after, assessment.period)
    top = assessment.grades.exclude(value=None).order_by("-value").values_list("value", flat=True).first()
    if top is not None and top > after["scale"]:
        raise ValidationFailed(fields={"scale": [_("A grade entered is above this scale.")]})
    for name, value in changes.items():
        setattr(assessment, name, value)
    assessment.title = assessment.title.strip()[:120]
    assessment.save()
    changed = audit_changes(before, after)
    if changed:
        audit(actor, "grades.assessment_changed", assessment, {"changes": changed})
    return assessment
