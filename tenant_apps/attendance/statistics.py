"""Reads of the statistics pages, scoped to what the person may see: school-life staff (and the
head) every class and student; a teacher the classes they teach (a teaching assignment or a
recurring lesson of that class: a group's teacher does not get its members' whole classes); a
student themselves; a guardian their children. Counting itself is ``selectors.statistics``
(half-days, ``halfdays.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.errors import NotFound
from shared_apps.identity.roles import Role
from tenant_apps.attendance.halfdays import Counts
from tenant_apps.attendance.models import AttendanceMark, MarkStatus
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF
from tenant_apps.attendance.selectors import REGISTER_SUBJECT, statistics
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period, TeachingAssignment
from tenant_apps.structure.selectors import current_school_year, periods_cached
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.selectors import children_here


def classes_for_statistics(*, user_id: int, roles: frozenset[str]) -> QuerySet[SchoolClass]:
    """The classes whose statistics a person may read (school-life staff: all; a teacher: theirs)."""
    if roles & ATTENDANCE_STAFF:
        return SchoolClass.objects.order_by("name")
    if Role.TEACHER not in roles:
        return SchoolClass.objects.none()
    assigned = TeachingAssignment.objects.filter(teacher__user_id=user_id, school_class__isnull=False).values(
        "school_class_id"
    )
    taught = Lesson.objects.filter(teacher__user_id=user_id, school_class__isnull=False).values(
        "school_class_id"
    )
    return SchoolClass.objects.filter(Q(pk__in=assigned) | Q(pk__in=taught)).order_by("name")


def students_for_statistics(*, user_id: int, roles: frozenset[str]) -> QuerySet[Member]:
    """Whose attendance page a person may open: school-life staff any student, a teacher the
    students of the classes they teach, a student themselves, a guardian their children."""
    students = Member.objects.filter(roles__contains=[Role.STUDENT]).select_related("school_class")
    if roles & ATTENDANCE_STAFF:
        return students
    condition = Q(pk__in=[])
    if Role.TEACHER in roles:
        condition |= Q(school_class__in=classes_for_statistics(user_id=user_id, roles=roles))
    if Role.STUDENT in roles:
        condition |= Q(user_id=user_id)
    if Role.GUARDIAN in roles:
        condition |= Q(pk__in=[c.pk for c in children_here(guardian_user_id=user_id)])
    return students.filter(condition)


@dataclass(frozen=True)
class Span:
    """The dates counted: a period of the school year (``period_id``), or the whole current year
    (``structure.selectors.current_school_year``) when the establishment has no period."""

    label: str
    start: datetime.date
    end: datetime.date
    period_id: int | None = None


def periods() -> list[Period]:
    return list(periods_cached())


def span_for(*, choices: list[Period], period_id: str | None, today: datetime.date | None = None) -> Span:
    """The period asked for (``period_id``; unknown: 404), by default the one of today (else the
    last one begun, else the first)."""
    today = today or timezone.localdate()
    if period_id:
        chosen = next((p for p in choices if str(p.pk) == period_id), None)
        if chosen is None:
            raise NotFound()
    else:
        chosen = next((p for p in choices if p.start <= today <= p.end), None)
        chosen = chosen or next((p for p in reversed(choices) if p.start <= today), None)
        chosen = chosen or (choices[0] if choices else None)
    if chosen is not None:
        return Span(label=str(chosen), start=chosen.start, end=chosen.end, period_id=chosen.pk)
    year = current_school_year(today=today)
    if year is not None:
        return Span(label=year.name, start=year.start, end=year.end)
    return Span(label=_("The last twelve months"), start=today - datetime.timedelta(days=365), end=today)


@dataclass(frozen=True)
class ClassStatistics:
    rows: list[tuple[Member, Counts]]
    total: Counts


def class_statistics_table(*, school_class: SchoolClass, span: Span) -> ClassStatistics:
    """Each active student of the class with their counts, and the class's totals (four queries)."""
    students = Member.objects.filter(
        school_class=school_class, roles__contains=[Role.STUDENT], is_active=True
    ).order_by("display_name", "pk")
    listed = list(students)
    counts = statistics(students=students, start=span.start, end=span.end)
    rows = [(s, counts.get(s.pk, Counts())) for s in listed]
    total = Counts()
    for _student, c in rows:
        total.half_days += c.half_days
        total.justified += c.justified
        total.unjustified += c.unjustified
        total.late += c.late
        total.late_minutes += c.late_minutes
    return ClassStatistics(rows=rows, total=total)


def student_marks(*, student: Member, span: Span, limit: int = 300) -> list[AttendanceMark]:
    """The student's absences and lateness over the span, newest first (one query)."""
    return list(
        AttendanceMark.objects.filter(
            student=student,
            date__range=(span.start, span.end),
            status__in=[MarkStatus.ABSENT, MarkStatus.LATE],
        )
        .select_related(*REGISTER_SUBJECT)
        .order_by("-date", "-start_time")[:limit]
    )


def student_counts(*, students: list[Member], span: Span) -> dict[int, Counts]:
    """Counts of several students (``Member`` pk), in three queries whatever their number."""
    if not students:
        return {}
    counts = statistics(
        students=Member.objects.filter(pk__in=[s.pk for s in students]), start=span.start, end=span.end
    )
    return {s.pk: counts.get(s.pk, Counts()) for s in students}
