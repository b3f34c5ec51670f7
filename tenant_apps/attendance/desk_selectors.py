"""Reads of school life's daily desk: the absences recorded without a register, the EPS
exemptions (school-life staff all; a teacher those of the students they may see), the
infirmary visits."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from shared_apps.identity.roles import Role
from tenant_apps.attendance.models import AbsencePeriod, InfirmaryVisit, SportExemption
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF
from tenant_apps.attendance.statistics import students_for_statistics
from tenant_apps.school.models import Member


def desk_students() -> QuerySet[Member]:
    """The active students, by class and name (the desk's student lists)."""
    return (
        Member.objects.filter(roles__contains=[Role.STUDENT], is_active=True)
        .select_related("school_class")
        .order_by("school_class__name", "display_name", "pk")
    )


def absence_periods(*, since: datetime.date | None = None) -> QuerySet[AbsencePeriod]:
    found = AbsencePeriod.objects.select_related("student__school_class").order_by("-start", "-pk")
    return found.filter(end__gte=since) if since is not None else found


def sport_exemptions_visible(
    *, user_id: int, roles: frozenset[str], current_on: datetime.date | None = None
) -> QuerySet[SportExemption]:
    found = SportExemption.objects.select_related("student__school_class").order_by("-start", "-pk")
    if current_on is not None:
        found = found.filter(start__lte=current_on, end__gte=current_on)
    if roles & ATTENDANCE_STAFF:
        return found
    return found.filter(student__in=students_for_statistics(user_id=user_id, roles=roles).values("pk"))


def infirmary_visits(*, day: datetime.date | None = None) -> QuerySet[InfirmaryVisit]:
    found = InfirmaryVisit.objects.select_related("student__school_class").order_by("-arrived_at", "-pk")
    return found.filter(arrived_at__date=day) if day is not None else found
