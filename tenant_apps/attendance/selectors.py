"""Reads of attendance, scoped to what the person may see: a teacher their own lessons' registers,
school-life staff everything, a guardian their children, a student themselves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from mbn_platform.kernel.collation import sorted_french
from mbn_platform.kernel.tenant_cache import tenant_cached
from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.attendance.halfdays import Counts, MarkRow, count
from tenant_apps.attendance.models import (
    AbsenceDeclaration,
    AbsencePeriod,
    AttendanceMark,
    AttendancePolicy,
    Justification,
    JustificationStatus,
    LateArrival,
    MarkStatus,
    NoticeState,
    Register,
)
from tenant_apps.attendance.periods import periods_halves_between
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF
from tenant_apps.attendance.rules import register_is_open
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group
from tenant_apps.timetable.models import ExceptionalLesson
from tenant_apps.timetable.occurrences import Occurrence, occurrence_of_exceptional, occurrences
from tenant_apps.timetable.selectors import children_here, lesson_occurrence, scope_all, scope_student

#: What reading a register's subject needs (recurring or exceptional lesson).
REGISTER_SUBJECT = ("register__lesson__subject", "register__exceptional_lesson__subject")


def register_students(*, occurrence: Occurrence) -> QuerySet[Member]:
    """The students expected at an occurrence (its classes and its groups' members)."""
    students = Member.objects.filter(is_active=True, roles__contains=[Role.STUDENT])
    class_ids = occurrence.class_ids or ((occurrence.school_class_id,) if occurrence.school_class_id else ())
    group_ids = occurrence.group_ids or ((occurrence.group_id,) if occurrence.group_id else ())
    if len(class_ids) + len(group_ids) == 1:  # the usual case: one class or one group
        if class_ids:
            return students.filter(school_class_id=class_ids[0]).order_by("display_name", "pk")
        return students.filter(teaching_groups=group_ids[0]).order_by("display_name", "pk")
    in_groups = Group.members.through.objects.filter(group_id__in=group_ids).values("member_id")
    return students.filter(Q(school_class_id__in=class_ids) | Q(pk__in=in_groups)).order_by(
        "display_name", "pk"
    )


def occurrence_for_register(
    *, user_id: int, roles: frozenset[str], lesson_id: int, day: datetime.date
) -> Occurrence | None:
    """The occurrence whose register this person may take: school-life staff any, a teacher only
    the lessons they teach (a replacement teacher: the occurrence they replace). None: 404."""
    occ = lesson_occurrence(lesson_id=lesson_id, day=day)
    return _may_take(occ, user_id=user_id, roles=roles)


def exceptional_occurrence(*, exceptional_id: int) -> Occurrence | None:
    """The occurrence of an exceptional lesson (it has one, on its date), or None."""
    exc = (
        ExceptionalLesson.objects.select_related("subject", "teacher", "room", "school_class", "group")
        .filter(pk=exceptional_id)
        .first()
    )
    return occurrence_of_exceptional(exc) if exc is not None else None


def exceptional_occurrence_for_register(
    *, user_id: int, roles: frozenset[str], exceptional_id: int
) -> Occurrence | None:
    """The exceptional lesson whose register this person may take (same rule as for a lesson:
    school-life staff any, a teacher the ones they teach). None: 404."""
    return _may_take(exceptional_occurrence(exceptional_id=exceptional_id), user_id=user_id, roles=roles)


def _may_take(occ: Occurrence | None, *, user_id: int, roles: frozenset[str]) -> Occurrence | None:
    if occ is None:
        return None
    if roles & ATTENDANCE_STAFF:
        return occ
    if Role.TEACHER in roles and Member.objects.filter(pk__in=occ.teacher_ids, user_id=user_id).exists():
        return occ
    return None


def register_of(occurrence: Occurrence) -> QuerySet[Register]:
    """The register of an occurrence (at most one row), recurring or exceptional lesson."""
    if occurrence.exceptional_id is not None:
        return Register.objects.filter(exceptional_lesson_id=occurrence.exceptional_id)
    return Register.objects.filter(
        lesson_id=occurrence.lesson_id or 0, occurrence_date=occurrence.occurrence_date
    )


def late_arrivals_of(occurrence: Occurrence) -> QuerySet[LateArrival]:
    """The late arrivals school-life staff recorded for an occurrence."""
    if occurrence.exceptional_id is not None:
        return LateArrival.objects.filter(exceptional_lesson_id=occurrence.exceptional_id)
    return LateArrival.objects.filter(
        lesson_id=occurrence.lesson_id or 0, occurrence_date=occurrence.occurrence_date
    )


@dataclass(frozen=True)
class RegisterRow:
    student: Member
    mark: AttendanceMark | None
    declared: bool  # absence declared ahead by a guardian
    late_minutes: int  # a late arrival recorded by school-life staff (0: none)

    @property
    def status(self) -> str:
        """What the register shows: the mark; else late (recorded), absent (declared), present."""
        if self.mark is not None:
            return self.mark.status
        if self.late_minutes:
            return MarkStatus.LATE
        return MarkStatus.ABSENT if self.declared else MarkStatus.PRESENT

    @property
    def minutes(self) -> int:
        return self.mark.late_minutes if self.mark is not None else self.late_minutes


@dataclass(frozen=True)
class RegisterSheet:
    occurrence: Occurrence
    register: Register | None
    rows: list[RegisterRow]

    @property
    def is_open(self) -> bool:
        """Whether the register may be taken now (from the day of its lesson on)."""
        return register_is_open(self.occurrence)


def register_sheet(*, occurrence: Occurrence) -> RegisterSheet:
    """Everything the register page shows, in five queries whatever the class size; students in
    French alphabetical order."""
    students = sorted_french(register_students(occurrence=occurrence), key=lambda m: m.display_name)
    register = register_of(occurrence).prefetch_related("marks").first()
    marks = {m.student_id: m for m in register.marks.all()} if register else {}
    ids, day = [s.pk for s in students], occurrence.date
    declared = set(  # declared ahead by a guardian, or recorded by school-life staff (one query)
        AbsenceDeclaration.objects.filter(student__in=ids, start__lte=day, end__gte=day)
        .values_list("student_id", flat=True)
        .union(
            AbsencePeriod.objects.filter(student__in=ids, start__lte=day, end__gte=day).values_list(
                "student_id", flat=True
            )
        )
    )
    late = dict(late_arrivals_of(occurrence).values_list("student_id", "minutes"))
    return RegisterSheet(
        occurrence=occurrence,
        register=register,
        rows=[RegisterRow(s, marks.get(s.pk), s.pk in declared, late.get(s.pk, 0)) for s in students],
    )


def covered_student_ids(*, student_ids: list[int], day: datetime.date) -> set[int]:
    """Students whose absence that day was declared ahead, recorded by school-life staff, or is
    justified (accepted or pending)."""
    declared = AbsenceDeclaration.objects.filter(student_id__in=student_ids, start__lte=day, end__gte=day)
    recorded = AbsencePeriod.objects.filter(student_id__in=student_ids, start__lte=day, end__gte=day)
    justified = Justification.objects.filter(
        student_id__in=student_ids, start__lte=day, end__gte=day
    ).exclude(status=JustificationStatus.REFUSED)
    return set(  # one query
        declared.values_list("student_id", flat=True).union(
            recorded.values_list("student_id", flat=True), justified.values_list("student_id", flat=True)
        )
    )


def registers_not_taken(*, day: datetime.date, until: datetime.time | None = None) -> list[Occurrence]:
    """Lessons of ``day`` that took place (started before ``until``) and have no register."""
    found = [
        o
        for o in occurrences(scope=scope_all(), start=day, end=day)
        if (o.lesson_id is not None or o.exceptional_id is not None)
        and o.takes_place
        and (until is None or o.start <= until)
    ]
    lessons = [o for o in found if o.lesson_id is not None]
    exceptional = [o.exceptional_id for o in found if o.exceptional_id is not None]
    taken = (
        set(
            Register.objects.filter(
                lesson_id__in=[o.lesson_id for o in lessons],
                occurrence_date__in={o.occurrence_date for o in lessons},
            ).values_list("lesson_id", "occurrence_date")
        )
        if lessons
        else set()
    )
    taken_exceptional = (
        set(
            Register.objects.filter(exceptional_lesson_id__in=exceptional).values_list(
                "exceptional_lesson_id", flat=True
            )
        )
        if exceptional
        else set()
    )
    return [
        o
        for o in found
        if (o.lesson_id, o.occurrence_date) not in taken and o.exceptional_id not in taken_exceptional
    ]


def class_students_now(*, school_class: SchoolClass) -> QuerySet[Member]:
    """The current students of a class, by name (the late-arrival desk's list)."""
    return Member.objects.filter(
        school_class=school_class, is_active=True, roles__contains=[Role.STUDENT]
    ).order_by("display_name", "pk")


def late_arrivals_on(*, day: datetime.date, limit: int = 200) -> list[LateArrival]:
    """The late arrivals recorded for ``day``, latest first."""
    return list(
        LateArrival.objects.filter(date=day)
        .select_related("student", "lesson__subject", "exceptional_lesson__subject")
        .order_by("-recorded_at")[:limit]
    )


def lessons_today(*, student: Member) -> list[Occurrence]:
    """The lessons of today a student attends that take place (recurring or exceptional): where
    school-life staff may record their late arrival."""
    today = timezone.localdate()
    return [
        o
        for o in occurrences(scope=scope_student(student), start=today, end=today)
        if o.takes_place and (o.lesson_id is not None or o.exceptional_id is not None)
    ]


def held_notices() -> QuerySet[AttendanceMark]:
    return (
        AttendanceMark.objects.filter(notice=NoticeState.HELD, status=MarkStatus.ABSENT)
        .select_related("student", *REGISTER_SUBJECT)
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
    if roles & ATTENDANCE_STAFF:
        return queryset
    return queryset.filter(student__in=visible_students(user_id=user_id, roles=roles - STAFF_ROLES))


def student_absences(*, student: Member) -> QuerySet[AttendanceMark]:
    return (
        AttendanceMark.objects.filter(student=student, status__in=[MarkStatus.ABSENT, MarkStatus.LATE])
        .select_related(*REGISTER_SUBJECT)
        .order_by("-date", "-start_time")
    )


#: The policy's half-day split, cached in the establishment's schema; forgotten on every save or
#: delete of the policy (``apps.py``).
HALF_DAY_SPLIT_KEY = "attendance:half_day_split"


def half_day_split() -> datetime.time:
    def load() -> datetime.time:
        value = AttendancePolicy.objects.order_by("pk").values_list("half_day_split", flat=True).first()
        return value or datetime.time(12, 0)

    return tenant_cached(HALF_DAY_SPLIT_KEY, load, timeout=60 * 60)


def statistics(*, students: QuerySet[Member], start: datetime.date, end: datetime.date) -> dict[int, Counts]:
    """Half-days (justified / unjustified) and lateness per student ``Member`` pk, the absences
    recorded without a register included, in four queries whatever the number of students (a
    fifth, the holidays, when such an absence meets the range)."""
    marks = AttendanceMark.objects.filter(
        student__in=students, date__range=(start, end), status__in=[MarkStatus.ABSENT, MarkStatus.LATE]
    ).values_list("student_id", "date", "start_time", "status", "late_minutes")
    justified: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for student_id, j_start, j_end in Justification.objects.filter(
        student__in=students, status=JustificationStatus.ACCEPTED, start__lte=end, end__gte=start
    ).values_list("student_id", "start", "end"):
        justified.setdefault(student_id, []).append((j_start, j_end))
    recorded = [
        (h.student_id, h.date, h.half, h.justified)
        for h in periods_halves_between(students=students, start=start, end=end)
    ]
    return count(
        marks=[MarkRow(*row) for row in marks], split=half_day_split(), justified=justified, recorded=recorded
    )


def class_statistics(
    *, school_class: SchoolClass, start: datetime.date, end: datetime.date
) -> list[tuple[Member, Counts]]:
    students = Member.objects.filter(
        school_class=school_class, roles__contains=[Role.STUDENT], is_active=True
    )
    counts = statistics(students=students, start=start, end=end)
    return [(s, counts.get(s.pk, Counts())) for s in sorted_french(students, key=lambda m: m.display_name)]


def now_local_time() -> datetime.time:
    return timezone.localtime().time()
