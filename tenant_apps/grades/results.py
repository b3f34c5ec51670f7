"""A class's results of a period: each student's subject averages and overall average, with the
class's average, minimum and maximum per subject (rules in ``averages.py``). Five queries for a
whole class, whatever its size: the students, their groups, the assessments, the grades, the
subjects' coefficients (plus the policy)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from shared_apps.identity.roles import Role
from tenant_apps.grades import averages
from tenant_apps.grades.models import Assessment, Grade
from tenant_apps.grades.selectors import published, rounding_step, subject_coefficients
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Period, Subject


@dataclass
class SubjectLine:
    subject: Subject
    coefficient: Decimal
    average: Decimal | None = None
    class_average: Decimal | None = None
    class_minimum: Decimal | None = None
    class_maximum: Decimal | None = None
    teachers: list[str] = field(default_factory=list)


@dataclass
class StudentResults:
    student: Member
    lines: list[SubjectLine]
    overall: Decimal | None = None
    class_overall: Decimal | None = None


def class_results(
    *, period: Period, school_class: SchoolClass, published_only: bool, today: datetime.date | None = None
) -> dict[int, StudentResults]:
    """Every active student of the class, by ``Member`` pk."""
    step = rounding_step()
    students = list(
        Member.objects.filter(
            school_class=school_class, is_active=True, roles__contains=[Role.STUDENT]
        ).order_by("display_name", "pk")
    )
    ids = [s.pk for s in students]
    groups_of: dict[int, set[int]] = defaultdict(set)
    for member_id, group_id in Group.members.through.objects.filter(member_id__in=ids).values_list(
        "member_id", "group_id"
    ):
        groups_of[member_id].add(group_id)
    all_groups = set().union(*groups_of.values()) if groups_of else set()
    found = Assessment.objects.filter(period=period).filter(
        Q(school_class=school_class) | Q(group_id__in=all_groups)
    )
    if published_only:
        found = found.filter(published(today))
    assessments = {a.pk: a for a in found.select_related("subject", "teacher")}
    grades: dict[tuple[int, int], list[averages.Counted]] = defaultdict(list)
    for assessment_id, student_id, value, mark in Grade.objects.filter(
        assessment_id__in=list(assessments), student_id__in=ids
    ).values_list("assessment_id", "student_id", "value", "mark"):
        a = assessments[assessment_id]
        grades[(student_id, a.subject_id)].append(
            averages.Counted(averages.on_twenty(value, a.scale, mark), a.coefficient, a.kind)
        )
    coefficients = subject_coefficients()
    subjects: dict[int, Subject] = {}
    teachers: dict[int, set[str]] = defaultdict(set)
    for a in assessments.values():
        subjects[a.subject_id] = a.subject
        teachers[a.subject_id].add(a.teacher.display_name)
    ordered = sorted(subjects.values(), key=lambda s: (s.name, s.pk))
    results: dict[int, StudentResults] = {}
    for student in students:
        taking = {
            a.subject_id
            for a in assessments.values()
            if a.school_class_id == school_class.pk or a.group_id in groups_of.get(student.pk, set())
        }
        lines = [
            SubjectLine(
                subject=s,
                coefficient=coefficients.get(s.pk, Decimal(1)),
                average=averages.subject_average(grades.get((student.pk, s.pk), []), step),
                teachers=sorted(teachers[s.pk]),
            )
            for s in ordered
            if s.pk in taking
        ]
        overall = averages.overall_average(((line.average, line.coefficient) for line in lines), step)
        results[student.pk] = StudentResults(student=student, lines=lines, overall=overall)
    by_subject: dict[int, list[Decimal | None]] = defaultdict(list)
    for r in results.values():
        for line in r.lines:
            by_subject[line.subject.pk].append(line.average)
    spreads = {pk: averages.spread(values, step) for pk, values in by_subject.items()}
    overall_spread = averages.spread((r.overall for r in results.values()), step)
    for r in results.values():
        r.class_overall = overall_spread.average
        for line in r.lines:
            s = spreads[line.subject.pk]
            line.class_average, line.class_minimum, line.class_maximum = s.average, s.minimum, s.maximum
    return results
