"""Registers of past lessons written at once: a school's history (the demo seed; an import from a
previous software). One transaction, a fixed number of queries whatever the number of registers,
one audit entry for the batch.

The same rules as ``register_save`` for what a mark is (statuses, minutes late, the students of
the lesson), with one difference, since the lessons are past: no same-day notice is due any more.
An absence that no declaration or justification covers is held for school life's review where the
establishment reviews notices (school life then sends or drops it), and marked "nothing to send"
elsewhere. A register that exists already is left as it is (running it again adds nothing).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.attendance.models import (
    AbsenceDeclaration,
    AttendanceMark,
    Justification,
    JustificationStatus,
    MarkStatus,
    NoticeState,
    Register,
)
from tenant_apps.attendance.services.registers import MarkIn
from tenant_apps.school.models import Member, SchoolSettings
from tenant_apps.structure.models import Group
from tenant_apps.timetable.occurrences import Occurrence


@dataclass(frozen=True)
class PastRegister:
    """One past lesson's register: who took it (a region-wide user id) and the marks by student
    ``Member`` pk (a student not given was present)."""

    occurrence: Occurrence
    taken_by_id: int
    marks: Mapping[int, MarkIn] = field(default_factory=dict)


def _students_of(registers: Sequence[PastRegister]) -> dict[tuple[str, int], list[int]]:
    """The students of each class and group these lessons are for (two queries)."""
    class_ids = {r.occurrence.school_class_id for r in registers if r.occurrence.school_class_id}
    group_ids = {r.occurrence.group_id for r in registers if r.occurrence.group_id}
    found: dict[tuple[str, int], list[int]] = {}
    students = Member.objects.filter(is_active=True, roles__contains=[Role.STUDENT])
    for pk, class_id in students.filter(school_class_id__in=class_ids).values_list("pk", "school_class_id"):
        found.setdefault(("class", class_id), []).append(pk)
    through = Group.members.through
    for group_id, member_id in through.objects.filter(
        group_id__in=group_ids, member__in=students
    ).values_list("group_id", "member_id"):
        found.setdefault(("group", group_id), []).append(member_id)
    return found


def _covered(registers: Sequence[PastRegister]) -> set[tuple[int, datetime.date]]:
    """(student, day) of the absences a declaration or a pending/accepted justification covers."""
    absent = {
        (pk, r.occurrence.date)
        for r in registers
        for pk, mark in r.marks.items()
        if mark.status == MarkStatus.ABSENT
    }
    if not absent:
        return set()
    student_ids = {pk for pk, _day in absent}
    first, last = min(day for _pk, day in absent), max(day for _pk, day in absent)
    spans = list(
        AbsenceDeclaration.objects.filter(
            student_id__in=student_ids, start__lte=last, end__gte=first
        ).values_list("student_id", "start", "end")
    ) + list(
        Justification.objects.filter(student_id__in=student_ids, start__lte=last, end__gte=first)
        .exclude(status=JustificationStatus.REFUSED)
        .values_list("student_id", "start", "end")
    )
    return {(pk, day) for pk, day in absent if any(s == pk and a <= day <= b for s, a, b in spans)}


def _check(register: PastRegister, students: list[int], today: datetime.date) -> None:
    occ = register.occurrence
    if occ.lesson_id is None or not occ.takes_place or occ.date >= today:
        raise ValidationFailed(fields={"registers": [str(_("Only past lessons that took place."))]})
    if set(register.marks) - set(students):
        raise ValidationFailed(fields={"marks": [str(_("These students are not in this lesson."))]})
    for mark in register.marks.values():
        if mark.status not in MarkStatus.values:
            raise ValidationFailed(fields={"marks": [str(_("Unknown status."))]})
        if mark.status == MarkStatus.LATE and not 0 < mark.late_minutes <= 240:
            raise ValidationFailed(fields={"late_minutes": [str(_("Give the minutes late (1 to 240)."))]})


@transaction.atomic
def registers_bulk_take(*, actor: Actor | None, registers: Sequence[PastRegister]) -> int:
    """Write the registers of past lessons (of recurring lessons) that have none yet, with their
    marks; returns how many were written."""
    today = timezone.localdate()
    wanted = {(r.occurrence.lesson_id, r.occurrence.occurrence_date): r for r in registers}
    if not wanted:
        return 0
    existing = set(
        Register.objects.filter(
            lesson_id__in={lesson_id for lesson_id, _day in wanted},
            occurrence_date__range=(min(d for _l, d in wanted), max(d for _l, d in wanted)),
        ).values_list("lesson_id", "occurrence_date")
    )
    todo = [r for key, r in wanted.items() if key not in existing]
    students_of = _students_of(todo)

    def students(occ: Occurrence) -> list[int]:
        key = ("class", occ.school_class_id) if occ.school_class_id else ("group", occ.group_id or 0)
        return students_of.get(key, [])

    for register in todo:
        _check(register, students(register.occurrence), today)
    review = SchoolSettings.objects.filter(absence_notification_review=True).exists()
    covered = _covered(todo)
    now = timezone.now()
    rows = Register.objects.bulk_create(
        [
            Register(
                lesson_id=r.occurrence.lesson_id,
                occurrence_date=r.occurrence.occurrence_date,
                date=r.occurrence.date,
                start_time=r.occurrence.start,
                end_time=r.occurrence.end,
                teacher_id=r.occurrence.teacher_id,
                taken_by_id=r.taken_by_id,
                taken_at=timezone.make_aware(
                    datetime.datetime.combine(r.occurrence.date, r.occurrence.start)
                ),
            )
            for r in todo
        ],
        batch_size=500,
    )
    marks = []
    for row, register in zip(rows, todo, strict=True):
        for pk in students(register.occurrence):
            mark = register.marks.get(pk, MarkIn())
            notice = NoticeState.NONE
            if mark.status == MarkStatus.ABSENT and review and (pk, row.date) not in covered:
                notice = NoticeState.HELD
            marks.append(
                AttendanceMark(
                    register=row,
                    student_id=pk,
                    status=mark.status,
                    late_minutes=mark.late_minutes if mark.status == MarkStatus.LATE else 0,
                    date=row.date,
                    start_time=row.start_time,
                    notice=notice,
                    updated_at=now,
                )
            )
    AttendanceMark.objects.bulk_create(marks, batch_size=2000)
    if todo:
        audit_record(
            actor=actor,
            action="attendance.registers_taken_in_bulk",
            establishment=schema_establishment(),
            details={
                "registers": len(todo),
                "marks": len(marks),
                "first": min(r.occurrence.date for r in todo).isoformat(),
                "last": max(r.occurrence.date for r in todo).isoformat(),
            },
        )
    return len(todo)
