"""Entering grades: a whole grid at once (the teacher's page, a column pasted from a
spreadsheet, or the API), each cell a value on the scale or a special mark."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from tenant_apps.grades.models import MARK_CODES, MARK_SHORT, Assessment, Grade
from tenant_apps.grades.permissions import GRADE_WRITERS
from tenant_apps.grades.selectors import roster
from tenant_apps.grades.services.common import acting_member, audit

MAX_CELL = 20


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    mark: str

    @property
    def empty(self) -> bool:
        return self.value is None and not self.mark

    def text(self) -> str:
        if self.mark:
            return MARK_SHORT[self.mark]
        return "" if self.value is None else f"{self.value:.2f}"


def cell_parse(text: str, *, scale: Decimal) -> Cell:
    """A cell as typed: "" (no grade), a value ("12,5" or "12.5", at most two decimals, from 0 to
    the scale) or a code ("Abs", "Disp", "NN", "NR"; English "ex", "ng", "nhi" too). Raises
    ``ValueError`` with the message to show."""
    cleaned = text.strip().lower().replace(",", ".")[:MAX_CELL]
    if not cleaned:
        return Cell(None, "")
    if cleaned in MARK_CODES:
        return Cell(None, MARK_CODES[cleaned])
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("A grade is a number or Abs, Disp, NN, NR.")) from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError(_("At most two decimals."))
    if not Decimal(0) <= value <= scale:
        raise ValueError(_("A grade is between 0 and %(scale)s.") % {"scale": f"{scale.normalize():f}"})
    return Cell(value.quantize(Decimal("0.01")), "")


@transaction.atomic
def grades_enter(*, actor: Actor | None, assessment: Assessment, cells: Mapping[int, str]) -> int:
    """The assessment's teacher enters grades: ``cells`` maps a student's user id to the cell's
    text (an empty cell removes the grade). Every cell is checked before anything is written
    (errors by field ``student_<user id>``). Returns how many grades changed. Changes to an
    assessment families already see are audited cell by cell, before → after."""
    teacher = acting_member(actor, GRADE_WRITERS)
    if assessment.teacher_id != teacher.pk:
        raise NotFound()
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    students = {s.user_id: s for s in roster(assessment)}
    errors: dict[str, list[str]] = {}
    parsed: dict[int, Cell] = {}
    for user_id, text in cells.items():
        if user_id not in students:
            errors[f"student_{user_id}"] = [_("This student is not graded in this assessment.")]
            continue
        try:
            parsed[user_id] = cell_parse(str(text), scale=assessment.scale)
        except ValueError as error:
            errors[f"student_{user_id}"] = [str(error)]
    if errors:
        raise ValidationFailed(fields=errors)
    existing = {g.student_id: g for g in Grade.objects.filter(assessment=assessment)}
    changes: dict[str, dict[str, str]] = {}
    to_create: list[Grade] = []
    to_update: list[Grade] = []
    to_delete: list[int] = []
    for user_id, cell in parsed.items():
        student = students[user_id]
        grade = existing.get(student.pk)
        before = Cell(grade.value, grade.mark) if grade else Cell(None, "")
        if before == cell:
            continue
        changes[str(user_id)] = {"from": before.text(), "to": cell.text()}
        if cell.empty:
            to_delete.append(grade.pk)  # type: ignore[union-attr]
        elif grade is None:
            to_create.append(Grade(assessment=assessment, student=student, value=cell.value, mark=cell.mark))
        else:
            grade.value, grade.mark, grade.updated_at = cell.value, cell.mark, timezone.now()
            to_update.append(grade)
    Grade.objects.filter(pk__in=to_delete).delete()
    Grade.objects.bulk_create(to_create)
    Grade.objects.bulk_update(to_update, ["value", "mark", "updated_at"])
    if changes:
        visible = assessment.published_on is not None and assessment.published_on <= timezone.localdate()
        if visible:
            audit(actor, "grades.grades_changed_after_publication", assessment, {"changes": changes})
        else:
            audit(actor, "grades.grades_entered", assessment, {"count": len(changes)})
    return len(changes)
