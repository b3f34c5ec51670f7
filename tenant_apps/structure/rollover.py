"""Year rollover: a dry run says which student moves to which class, then the same plan is applied.

Each class moves to the class of the next level with the same suffix ("6e A" → "5e A", "2de 3" →
"1re 3"); the last level ("3e", "Tle") leaves. ``class_map`` overrides any class (a name, or None:
the students leave). Applying keeps the past year's class of each student (``Enrolment``) and its
lessons and registers (they belong to that year), creates the missing classes, moves the students
and makes the new year current.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.tenant_cache import tenant_cache_forget
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.services import class_level, school_classes_ensure
from tenant_apps.structure.models import Enrolment, SchoolYear
from tenant_apps.structure.selectors import CALENDAR_KEYS

NEXT_LEVEL = {"6e": "5e", "5e": "4e", "4e": "3e", "2de": "1re", "1re": "Tle"}


def default_next_class(name: str) -> str | None:
    """The class a class moves to by default: the next level, same suffix; None when leaving."""
    level = class_level(name)
    following = NEXT_LEVEL.get(level)
    if following is None:
        return None
    text = name.strip()
    if text.startswith(level):
        return following + text[len(level) :]
    if text[:1] == level[:1]:  # the short form: "4B" → "3B", "1S" → "TS"
        return following[:1] + text[1:]
    return None


@dataclass(frozen=True)
class Move:
    student_id: int  # Member pk
    user_id: int
    display_name: str
    from_class: str
    to_class: str | None  # None: leaves the establishment at the end of the year


def rollover_plan(*, class_map: dict[str, str | None] | None = None) -> list[Move]:
    """The dry run: every current student and where they go (nothing is written)."""
    class_map = class_map or {}
    students = (
        Member.objects.filter(is_active=True, roles__contains=[Role.STUDENT], school_class__isnull=False)
        .select_related("school_class")
        .order_by("school_class__name", "display_name")
    )
    moves = []
    for student in students:
        current = student.school_class.name  # type: ignore[union-attr]
        target = class_map[current] if current in class_map else default_next_class(current)
        moves.append(Move(student.pk, student.user_id, student.display_name, current, target or None))
    return moves


@transaction.atomic
def rollover_apply(
    *,
    actor: Actor | None,
    from_year: SchoolYear,
    to_year: SchoolYear,
    class_map: dict[str, str | None] | None = None,
) -> list[Move]:
    if from_year.pk == to_year.pk:
        raise ValidationFailed(fields={"to_year_id": [str(_("Choose two different years."))]})
    if to_year.start <= from_year.start:
        raise ValidationFailed(fields={"to_year_id": [str(_("The new year must come after the old one."))]})
    # One rollover of a year at a time: a second submit waits, then finds it done.
    SchoolYear.objects.select_for_update().filter(pk=from_year.pk).first()
    if Enrolment.objects.filter(year=from_year).exists():
        raise ValidationFailed(fields={"from_year_id": [str(_("This year was already rolled over."))]})
    moves = rollover_plan(class_map=class_map)
    classes = {c.name: c for c in SchoolClass.objects.all()}
    Enrolment.objects.bulk_create(
        [
            Enrolment(year=from_year, student_id=m.student_id, school_class=classes[m.from_class])
            for m in moves
        ]
    )
    targets = school_classes_ensure(names={m.to_class for m in moves if m.to_class})
    members = {m.pk: m for m in Member.objects.filter(pk__in=[m.student_id for m in moves])}
    for move in moves:
        target = targets.get(move.to_class) if move.to_class else None
        members[move.student_id].school_class = target
    Member.objects.bulk_update(members.values(), ["school_class"], batch_size=1000)
    SchoolYear.objects.filter(is_current=True).update(is_current=False)
    SchoolYear.objects.filter(pk=to_year.pk).update(is_current=True)
    tenant_cache_forget(*CALENDAR_KEYS)  # an update() sends no signal
    audit_record(
        actor=actor,
        action="structure.rollover_applied",
        establishment=schema_establishment(),
        target=to_year,
        details={
            "from_year": from_year.name,
            "to_year": to_year.name,
            "students": len(moves),
            "leaving": sum(1 for m in moves if m.to_class is None),
            "class_map": dict(sorted((class_map or {}).items())),
        },
    )
    return moves
