"""Reads of grades, scoped to what the person may see.

The leadership sees every assessment; a teacher the assessments they set; a student the
assessments of their class and groups once published (``published_on`` ≤ today), with their own
grade only; a guardian the same for each of their children here. Anything else is 404 upstream.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from mbn_platform.kernel.tenant_cache import tenant_cached
from shared_apps.identity.roles import Role
from tenant_apps.grades import averages
from tenant_apps.grades.models import Assessment, Grade, GradingPolicy, SubjectCoefficient
from tenant_apps.grades.permissions import GRADES_STAFF
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Group, TeachingAssignment
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.selectors import children_here

NOTHING = Q(pk__in=[])


def me(user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, is_active=True).select_related("school_class").first()


#: The establishment's grading policy (rounding, skills), read by every page that shows averages:
#: cached per schema, forgotten whenever a policy row is saved or deleted (``apps.py``).
GRADING_POLICY_KEY = "grades:policy"


def _policy() -> tuple[str, bool]:
    def load() -> tuple[str, bool]:
        policy = GradingPolicy.objects.first()
        return (policy.rounding, policy.skills_enabled) if policy else ("0.01", False)

    return tenant_cached(GRADING_POLICY_KEY, load, timeout=60 * 60)


def rounding_step() -> Decimal:
    return Decimal(_policy()[0])


def skills_enabled() -> bool:
    return _policy()[1]


SUBJECT_COEFFICIENTS_KEY = "grades:coefficients"


def subject_coefficients() -> dict[int, Decimal]:
    """Each subject's coefficient in the overall average (cached; forgotten when one changes)."""

    def load() -> dict[int, Decimal]:
        return dict(SubjectCoefficient.objects.values_list("subject_id", "coefficient"))

    return tenant_cached(SUBJECT_COEFFICIENTS_KEY, load, timeout=60 * 60)


def teaches(*, teacher: Member, subject_id: int, class_id: int | None, group_id: int | None) -> bool:
    """Whether a teacher teaches this subject to this class or group (an assignment or a
    recurring lesson)."""
    where = Q(teacher=teacher, subject_id=subject_id) & (
        Q(school_class_id=class_id) if class_id else Q(group_id=group_id)
    )
    return TeachingAssignment.objects.filter(where).exists() or Lesson.objects.filter(where).exists()


def teaching_choices(*, teacher: Member) -> list[tuple[int, int | None, int | None]]:
    """(subject, class, group) the teacher teaches, from assignments and lessons."""
    found: set[tuple[int, int | None, int | None]] = set()
    for source in (TeachingAssignment.objects, Lesson.objects):
        found |= set(source.filter(teacher=teacher).values_list("subject_id", "school_class_id", "group_id"))
    return sorted(found, key=lambda t: (t[0], t[1] or 0, t[2] or 0))


def roster(assessment: Assessment) -> QuerySet[Member]:
    """The students an assessment grades: its class's, or its group's members (active)."""
    students = Member.objects.filter(roles__contains=[Role.STUDENT], is_active=True)
    if assessment.school_class_id:
        students = students.filter(school_class_id=assessment.school_class_id)
    else:
        students = students.filter(
            pk__in=Group.members.through.objects.filter(group_id=assessment.group_id or 0).values("member_id")
        )
    return students.select_related("school_class").order_by("display_name", "pk")


def students_visible(*, user_id: int, roles: frozenset[str]) -> list[Member]:
    """Whose grades a family member may read: themselves, their children here."""
    found: list[Member] = []
    if Role.STUDENT in roles:
        own = me(user_id)
        if own is not None:
            found.append(own)
    if Role.GUARDIAN in roles:
        found.extend(children_here(guardian_user_id=user_id))
    return found


def published(today: datetime.date | None = None) -> Q:
    return Q(published_on__isnull=False, published_on__lte=today or timezone.localdate())


def assessments_for_student(student: Member, *, today: datetime.date | None = None) -> QuerySet[Assessment]:
    """The published assessments of a student's class and groups."""
    groups = Group.members.through.objects.filter(member_id=student.pk).values("group_id")
    where = Q(group_id__in=groups)
    if student.school_class_id:
        where |= Q(school_class_id=student.school_class_id)
    return (
        Assessment.objects.filter(where)
        .filter(published(today))
        .select_related("subject", "period", "teacher", "school_class", "group")
    )


def assessments_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Assessment]:
    """The assessments a person may open: the leadership all, a teacher theirs, a family the
    published ones of the students it may see."""
    found = Assessment.objects.select_related("subject", "period", "teacher", "school_class", "group")
    if roles & GRADES_STAFF:
        return found
    condition = NOTHING
    if Role.TEACHER in roles:
        condition |= Q(teacher__user_id=user_id)
    for student in students_visible(user_id=user_id, roles=roles):
        condition |= Q(pk__in=assessments_for_student(student).values("pk"))
    return found.filter(condition)


def grades_by_assessment(assessment_ids: Iterable[int]) -> dict[int, list[tuple[int, Decimal | None, str]]]:
    """(student pk, value, mark) of every grade of these assessments (one query)."""
    found: dict[int, list[tuple[int, Decimal | None, str]]] = defaultdict(list)
    for assessment_id, student_id, value, mark in Grade.objects.filter(
        assessment_id__in=list(assessment_ids)
    ).values_list("assessment_id", "student_id", "value", "mark"):
        found[assessment_id].append((student_id, value, mark))
    return found


def assessment_spreads(
    assessments: Iterable[Assessment], step: Decimal | None = None
) -> dict[int, averages.Spread]:
    """Class average, minimum, maximum of each assessment (one query for all)."""
    step = step if step is not None else rounding_step()
    rows = grades_by_assessment(a.pk for a in assessments)
    return {
        assessment_id: averages.spread((averages.assessment_value(v, m) for _s, v, m in found), step)
        for assessment_id, found in rows.items()
    }


def student_for(*, user_id: int, roles: frozenset[str], student_user_id: int) -> Member | None:
    """A student whose grades the person may read: the leadership any student here, a family its
    own (else None: 404 upstream)."""
    if roles & GRADES_STAFF:
        return (
            Member.objects.filter(user_id=student_user_id, roles__contains=[Role.STUDENT], is_active=True)
            .select_related("school_class")
            .first()
        )
    return next(
        (s for s in students_visible(user_id=user_id, roles=roles) if s.user_id == student_user_id), None
    )


def student_grades(
    student: Member, *, period_id: int | None, published_only: bool, today: datetime.date | None = None
) -> list[tuple[Assessment, Grade | None, averages.Spread]]:
    """A student's assessments (of a period), each with their own grade and the class's spread;
    two queries (the assessments, their grades)."""
    groups = Group.members.through.objects.filter(member_id=student.pk).values("group_id")
    where = Q(group_id__in=groups)
    if student.school_class_id:
        where |= Q(school_class_id=student.school_class_id)
    found = Assessment.objects.filter(where).select_related("subject", "period", "teacher")
    if published_only:
        found = found.filter(published(today))
    if period_id is not None:
        found = found.filter(period_id=period_id)
    assessments = list(found.order_by("subject__name", "date", "pk"))
    # Every grade of these assessments at once: the class's spread of each, and the student's own.
    values: dict[int, list[Decimal | None]] = defaultdict(list)
    own: dict[int, Grade] = {}
    for assessment_id, student_id, value, mark, comment in Grade.objects.filter(
        assessment__in=assessments
    ).values_list("assessment_id", "student_id", "value", "mark", "comment"):
        values[assessment_id].append(averages.assessment_value(value, mark))
        if student_id == student.pk:
            own[assessment_id] = Grade(
                assessment_id=assessment_id, student_id=student_id, value=value, mark=mark, comment=comment
            )
    step = rounding_step()
    empty = averages.Spread(None, None, None, 0)
    return [
        (a, own.get(a.pk), averages.spread(values[a.pk], step) if a.pk in values else empty)
        for a in assessments
    ]


def skills_summary(
    student: Member, *, period_id: int | None, published_only: bool, today: datetime.date | None = None
) -> list[tuple[str, str, Decimal, int]]:
    """A student's skills of a period: (domain, label, mean level to the tenth, ratings), per domain
    rated (one query). The mean is exact then rounded half up (2.25 → 2.3)."""
    from tenant_apps.grades.models import SkillDomain, SkillRating

    found = SkillRating.objects.filter(student=student)
    if published_only:
        found = found.filter(
            assessment__published_on__isnull=False,
            assessment__published_on__lte=today or timezone.localdate(),
        )
    if period_id is not None:
        found = found.filter(assessment__period_id=period_id)
    levels: dict[str, list[Decimal]] = defaultdict(list)
    for domain, level in found.values_list("domain", "level"):
        levels[domain].append(Decimal(level))
    labels = dict(SkillDomain.choices)
    return [
        (
            domain,
            str(labels.get(domain, domain)),
            averages.rounded(sum(values, start=Decimal(0)) / Decimal(len(values)), "0.1") or Decimal(0),
            len(values),
        )
        for domain, values in sorted(levels.items())
    ]
