"""Reads of the school's structure (every member of staff may read it)."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet

from tenant_apps.structure.models import Group, Period, Room, SchoolYear, Subject, TeachingAssignment


def school_years() -> QuerySet[SchoolYear]:
    return SchoolYear.objects.all()


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
    return TeachingAssignment.objects.select_related("teacher", "subject", "school_class", "group")
