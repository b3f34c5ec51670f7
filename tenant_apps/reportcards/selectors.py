"""Reads of report cards, scoped: the leadership every card (every version); a student their own
current cards, of every year they were here; a guardian their children's; a head teacher their
classes' council; a teacher the appraisals of the classes and groups they teach."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shared_apps.identity.roles import Role
from tenant_apps.grades.selectors import students_visible
from tenant_apps.reportcards.models import Appraisal, CouncilDecision, HeadTeacher, Publication, ReportCard
from tenant_apps.reportcards.permissions import REPORT_CARD_PUBLISHERS
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period


def report_cards_visible(
    *, user_id: int, roles: frozenset[str], all_versions: bool = False
) -> QuerySet[ReportCard]:
    found = ReportCard.objects.select_related("period__year", "student")
    if roles & REPORT_CARD_PUBLISHERS:
        return found if all_versions else found.filter(is_current=True)
    students = [s.pk for s in students_visible(user_id=user_id, roles=roles)]
    return found.filter(student_id__in=students, is_current=True)


def classes_led(*, user_id: int, roles: frozenset[str]) -> QuerySet[SchoolClass]:
    """The classes whose council a person prepares: the leadership all, a head teacher theirs."""
    if roles & REPORT_CARD_PUBLISHERS:
        return SchoolClass.objects.order_by("name")
    if Role.TEACHER in roles:
        return SchoolClass.objects.filter(head_teachers__teacher__user_id=user_id).order_by("name")
    return SchoolClass.objects.none()


def head_teacher_of(school_class: SchoolClass) -> Member | None:
    row = HeadTeacher.objects.filter(school_class=school_class).select_related("teacher").first()
    return row.teacher if row else None


def class_students(school_class: SchoolClass) -> list[Member]:
    return list(
        Member.objects.filter(
            school_class=school_class, is_active=True, roles__contains=[Role.STUDENT]
        ).order_by("display_name", "pk")
    )


def appraisals(*, period: Period, students: list[Member]) -> dict[tuple[int, int], Appraisal]:
    """(student pk, subject pk) → appraisal (one query)."""
    return {
        (a.student_id, a.subject_id): a
        for a in Appraisal.objects.filter(period=period, student__in=students).select_related("teacher")
    }


def council_decisions(*, period: Period, students: list[Member]) -> dict[int, CouncilDecision]:
    return {d.student_id: d for d in CouncilDecision.objects.filter(period=period, student__in=students)}


def latest_publication(*, period: Period, school_class: SchoolClass) -> Publication | None:
    return Publication.objects.filter(period=period, school_class=school_class).order_by("-pk").first()


def publications_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Publication]:
    found = Publication.objects.select_related("period", "school_class")
    if roles & REPORT_CARD_PUBLISHERS:
        return found
    return found.filter(Q(school_class__in=classes_led(user_id=user_id, roles=roles)))
