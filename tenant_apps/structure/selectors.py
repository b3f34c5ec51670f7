"""Reads of the school's structure (every member of staff may read it)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mbn_platform.kernel.tenant_cache import tenant_cached
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


def school_years() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.all()


def school_years_with_periods() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.prefetch_related("periods")


#: The establishment's school years, cached in its schema (``mbn_platform.kernel.tenant_cache``);
#: forgotten on every save or delete of a year (``apps.py``) and after the bulk updates.
SCHOOL_YEARS_KEY = "structure:years"
PERIODS_KEY = "structure:periods"
#: What an update() of the years or periods (which sends no signal) must forget.
CALENDAR_KEYS = (SCHOOL_YEARS_KEY, PERIODS_KEY)


def school_years_cached() -> list[SchoolYear]:
    """Every school year of the establishment, latest first (one query, then the cache)."""
    return tenant_cached(SCHOOL_YEARS_KEY, lambda: list(SchoolYear.objects.all()), timeout=60 * 60)


def current_school_year(*, today: datetime.date | None = None) -> SchoolYear | None:
    """The current school year, as every app decides it: the year marked current, else the one
    that contains today, else the latest (None when there is no year). One query."""
    years = school_years_cached()  # latest first
    today = today or timezone.localdate()
    return (
        next((y for y in years if y.is_current), None)
        or next((y for y in years if y.start <= today <= y.end), None)
        or (years[0] if years else None)
    )


def year_of(day: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(start__lte=day, end__gte=day).first()


def periods(*, year_id: int | None = None) -> QuerySet[Period]:
    queryset = Period.objects.select_related("year")
    return queryset.filter(year_id=year_id) if year_id else queryset


def periods_cached() -> list[Period]:
    """Every period of every year with its year, by start (one query, then the cache; forgotten
    when a period or a year changes)."""
    found = Period.objects.select_related("year").order_by("start", "pk")
    return tenant_cached(PERIODS_KEY, lambda: list(found), timeout=60 * 60)


def periods_of_year(year: SchoolYear | None) -> list[Period]:
    return [p for p in periods_cached() if year is not None and p.year_id == year.pk]


def period_of(day: datetime.date) -> Period | None:
    return next((p for p in periods_cached() if p.start <= day <= p.end), None)


def subjects() -> QuerySet[Subject]:
    return Subject.objects.all()


def rooms() -> QuerySet[Room]:
    return Room.objects.all()


def groups() -> QuerySet[Group]:
    # Ordered explicitly: a model's default ordering does not apply to a grouped (annotated)
    # query, and the API pages this list.
    return Group.objects.annotate(headcount=Count("members")).order_by("name", "pk")


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
