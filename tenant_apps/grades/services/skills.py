"""Rating skills of the common base in an assessment (when the establishment uses them): the
assessment names its domains; its teacher rates each student on the four levels."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from tenant_apps.grades.models import Assessment, GradingPolicy, SkillDomain, SkillLevel, SkillRating
from tenant_apps.grades.permissions import GRADE_WRITERS
from tenant_apps.grades.selectors import roster
from tenant_apps.grades.services.common import acting_member, audit


def skill_domains_check(domains: list[str]) -> list[str]:
    """The domains an assessment rates: known ones, each once, only if the establishment uses skills."""
    if not domains:
        return []
    policy = GradingPolicy.objects.first()
    if policy is None or not policy.skills_enabled:
        raise ValidationFailed(fields={"skill_domains": [_("The establishment does not rate skills.")]})
    if any(d not in SkillDomain.values for d in domains):
        raise ValidationFailed(fields={"skill_domains": [_("Unknown skill domain.")]})
    return sorted(set(domains))


@transaction.atomic
def skills_rate(
    *, actor: Actor | None, assessment: Assessment, ratings: Mapping[int, Mapping[str, int | None]]
) -> int:
    """The assessment's teacher rates students (by user id) in its domains: a level from 1 to 4,
    or None to remove. Everything is checked before anything is written (errors by field
    ``student_<user id>``). Returns how many ratings changed."""
    teacher = acting_member(actor, GRADE_WRITERS)
    if assessment.teacher_id != teacher.pk:
        raise NotFound()
    students = {s.user_id: s for s in roster(assessment)}
    errors: dict[str, list[str]] = {}
    for user_id, levels in ratings.items():
        if user_id not in students:
            errors[f"student_{user_id}"] = [_("This student is not graded in this assessment.")]
        elif any(d not in assessment.skill_domains for d in levels):
            errors[f"student_{user_id}"] = [_("This assessment does not rate this skill.")]
        elif any(v is not None and v not in SkillLevel.values for v in levels.values()):
            errors[f"student_{user_id}"] = [_("A level is 1, 2, 3 or 4.")]
    if errors:
        raise ValidationFailed(fields=errors)
    existing = {
        (r.student_id, r.domain): r
        for r in SkillRating.objects.filter(assessment=assessment, student__user_id__in=list(ratings))
    }
    changed = 0
    for user_id, levels in ratings.items():
        student = students[user_id]
        for domain, level in levels.items():
            row = existing.get((student.pk, domain))
            if level is None:
                if row is not None:
                    row.delete()
                    changed += 1
            elif row is None:
                SkillRating.objects.create(assessment=assessment, student=student, domain=domain, level=level)
                changed += 1
            elif row.level != level:
                row.level = level
                row.save(update_fields=["level"])
                changed += 1
    if changed:
        audit(actor, "grades.skills_rated", assessment, {"count": changed})
    return changed
