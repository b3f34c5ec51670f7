"""Reads of attendance, scoped to what the person may see: a teacher their own lessons' registers,
school-life staff everything, a guardian their children, a student themselves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.attendance.halfdays import Counts, MarkRow, count
from tenant_apps.attendance.models import (
    AbsenceDeclaration,
    AttendanceMark,
    AttendancePolicy,
    Justification,
    JustificationStatus,
    MarkStatus,
    NoticeState,
    Register,
)
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.permissions import SCHOOL_LIFE
from tenant_apps.timetable.selectors import (
    Occurrence,
    children_here,
    lesson_occurrence,
    occurrences,
    scope_all,
)


def register_students(*, occurrence: Occurrence) -> QuerySet[Member]:
    """The students expected at an occurrence (its class, or its group's members)."""
    students = Member.objects.filter(is_active=True, roles__contains=[Role.STUDENT])
    if occurrence.school_class_id:
        students = students.filter(school_class_id=occurrence.school_class_id)
    else:
        students = students.filter(teaching_groups=occurrence.group_id)
    return students.order_by("display_name", "pk")


def occurrence_for_register(
    *, user_id: int, roles: frozenset[str], lesson_id: int, day: datetime.date
) -> Occurrence | None:
    """The occurrence whose register this person may take: school-life staff any, a teacher only
    the lessons they teach (a replacement teacher: the occurrence they replace). None: 404."""
    occ = lesson_occurrence(lesson_id=lesson_id, day=day)
    if occ is None:
        return None
    if roles & SCHOOL_LIFE:
        return occ
    if Role.TEACHER in roles and Member.objects.filter(pk=occ.teacher_id, user_id=user_id).exists():
        return occ
    return None


@dataclass(frozen=True)
class RegisterSheet:
    occurrence: Occurrence
    register: Register | None
    rows: list[tuple[Member, AttendanceMark | None, bool]]  # student, mark, declared absent


def register_sheet(*, occurrence: Occurrence) -> RegisterSheet:
    """Everything the register page shows, in three queries whatever the class size."""
    assert occurrence.lesson_id is not None  # noqa: S101 (registers are of recurring lessons)
    students = list(register_students(occurrence=occurrence))
    register = (
        Register.objects.filter(lesson_id=occurrence.lesson_id, occurrence_date=occurrence.occurrence_date)
        .prefetch_related("marks")
        .first()
    )
    marks = {m.student_id: m for m in register.marks.all()} if register else {}
    declared = set(
        AbsenceDeclaration.objects.filter(
            student__in=[s.pk for s in students], start__lte=occurrence.date, end__gte=occurrence.date
        ).values_list("student_id", flat=True)
    )
    return RegisterSheet(
        occurrence=occurrence,
        register=register,
        rows=[(s, marks.get(s.pk), s.pk in declared) for s in students],
    )


def covered_student_ids(*, student_ids: list[int], day: datetime.date) -> set[int]:
    """Students whose absence that day was declared ahead or is justified (accepted or pending)."""
    declared = AbsenceDeclaration.objects.filter(student_id__in=student_ids, start__lte=day, end__gte=day)
    justified = Justification.objects.filter(
        student_id__in=student_ids, start__lte=day, end__gte=day
    ).exclude(status=JustificationStatus.REFUSED)
    return set(declared.values_list("student_id", flat=True)) | set(
        justified.values_list("student_id", flat=True)
    )


def registers_not_taken(*, day: datetime.date, until: datetime.time | None = None) -> list[Occurrence]:
    """Lessons of ``day`` that took place (started before ``until``) and have no register."""
    found = [
        o
        for o in occurrences(scope=scope_all(), start=day, end=day)
        if o.lesson_id is not None and o.takes_place and (until is None or o.start <= until)
    ]
    taken = set(
        Register.objects.filter(
            lesson_id__in=[o.lesson_id for o in found], occurrence_date__in={o.occurrence_date for o in found}
        ).values_list("lesson_id", "occurrence_date")
    )
    return [o for o in found if (o.lesson_id, o.occurrence_date) not in taken]


def held_notices() -> QuerySet[AttendanceMark]:
    return (
        AttendanceMark.objects.filter(notice=NoticeState.HELD, status=MarkStatus.ABSENT)
        .select_related("student", "register__lesson__subject")
        .order_by("date", "start_time", "student__display_name")
    )


def visible_students(*, user_id: int, roles: frozenset[str]) -> QuerySet[Member]:
    """Whose attendance a person may read: staff everyone, a guardian their children, a student
    themselves."""
    students = Member.objects.filter(roles__contains=[Role.STUDENT])
    if roles & STAFF_ROLES:
        return students
    condition = Q(pk__in=[])
    if Role.STUDENT in roles:
        condition |= Q(user_id=user_id)
    if Role.GUARDIAN in roles:
        condition |= Q(pk__in=[c.pk for c in children_here(guardian_user_id=user_id)])
    return students.filter(condition)


def justifications_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Justification]:
    queryset = Justification.objects.select_related("student").order_by("-submitted_at")
    if roles & SCHOOL_LIFE:
        return queryset
    return queryset.filter(student__in=visible_students(user_id=user_id, roles=roles - STAFF_ROLES))


def student_absences(*, student: Member) -> QuerySet[AttendanceMark]:
    return (
        AttendanceMark.objects.filter(student=student, status__in=[MarkStatus.ABSENT, MarkStatus.LATE])
        .select_related("register__lesson__subject")
        .order_by("-date", "-start_time")
    )


def _split() -> datetime.time:
    value = AttendancePolicy.objects.order_by("pk").values_list("half_day_split", flat=True).first()
    return value or datetime.time(12, 0)


def statistics(*, students: QuerySet[Member], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    """Half-days (justified / unjustified) and lateness per student ``Member`` pk, in three
    queries whatever the number of students."""
    marks = AttendanceMark.objects.filter(
        student__in=students, date__range=(start, end), status__in=[MarkStatus.ABSENT, MarkStatus.LATE]
    ).values_list("student_id", "date", "start_time", "status", "late_minutes")
    justified: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for student_id, j_start, j_end in Justification.objects.filter(
        student__in=students, status=JustificationStatus.ACCEPTED, start__lte=end, end__gte=start
    ).values_list("student_id", "start", "end"):
        justified.setdefault(student_id, []).append((j_start, j_end))
    return count(marks=[MarkRow(*row) for row in marks], split=_split(), justified=justified)


def class_statistics(
    *, school_class: SchoolClass, start: datetime.date, end: datetime.date
) -> list[tuple[Member, Counts]]:
    students = Member.objects.filter(
        school_class=school_class, roles__contains=[Role.STUDENT], is_active=True
    )
    counts = statistics(students=students, start=start, end=end)
    return [(s, counts.get(s.pk, Counts())) for s in students.order_by("display_name")]


def now_local_time() -> datetime.time:
    return timezone.localtime().time()
