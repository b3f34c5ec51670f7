"""Reads of the school's structure (every member of staff may read it)."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet

from mbn_platform.kernel.errors import NotFound
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import (
    Enrolment,
    Group,
    Period,
    Room,
    SchoolYear,
    Subject,
    TeachingAssignment,
)

M = TypeVar("M", bound=Model)


def one(queryset: QuerySet[M], pk: Any) -> M:
    """The row of this id, or NotFound (an unknown id, or one of another establishment)."""
    found = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def school_years() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.all()


def school_years_with_periods() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.prefetch_related("periods")


def year_of(day: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(start__lte=day, end__gte=day).first()


def periods(*, year_id: int | None = None) -> QuerySet[Period]:
    queryset = Period.objects.select_related("year")
    return queryset.filter(year_id=year_id) if year_id else queryset


def period_of(day: datetime.date) -> Period | None:
    return Period.objects.filter(start__lte=day, end__gte=day).select_related("year").first()


def subjects() -> QuerySet[Subject]:
    return Subject.objects.all()


def rooms() -> QuerySet[Room]:
    return Room.objects.all()


def groups() -> QuerySet[Group]:
    return Group.objects.annotate(headcount=Count("members"))


def teaching_assignments() -> QuerySet[TeachingAssignment]:
    return TeachingAssignment.objects.select_related("teacher", "subject", "school_class", "group").order_by(
        "teacher__display_name", "subject__name", "school_class__name", "group__name", "pk"
    )


def classes() -> QuerySet[SchoolClass]:
    """The classes with their number of (active) students."""
    return SchoolClass.objects.annotate(
        headcount=Count("students", filter=Q(students__is_active=True))
    ).order_by("level", "name")


def students() -> QuerySet[Member]:
    """The establishment's active students, by class then name (those with no class last)."""
    return (
        Member.objects.filter(is_active=True, roles__contains=[Role.STUDENT])
        .select_related("school_class")
        .order_by("school_class__name", "display_name", "pk")
    )


def teachers() -> QuerySet[Member]:
    return Member.objects.filter(is_active=True, roles__contains=[Role.TEACHER]).order_by("display_name")


def enrolments(*, year_id: int) -> QuerySet[Enrolment]:
    """Who was in which class during a (past) school year."""
    return (
        Enrolment.objects.filter(year_id=year_id)
        .select_related("student", "school_class")
        .order_by("school_class__name", "student__display_name", "pk")
    )
