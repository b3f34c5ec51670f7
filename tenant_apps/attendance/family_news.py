"""Attendance's item in the family view: a child's absences still to justify.

An absence is to justify when it is an "absent" mark of the current school year that no
declaration ahead and no pending or accepted justification covers (a refused one does not:
the guardian may send another). Counted in half-days, as the school counts them
(``halfdays.py``). Three queries for all the children of one establishment, in its schema.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import ngettext

from shared_apps.identity.family_news import FamilyChild, NewsItem, family_news_provider
from shared_apps.identity.models import User
from tenant_apps.attendance.halfdays import half_of
from tenant_apps.attendance.models import (
    AbsenceDeclaration,
    AttendanceMark,
    Justification,
    JustificationStatus,
    MarkStatus,
)
from tenant_apps.attendance.selectors import half_day_split
from tenant_apps.structure.selectors import current_school_year
from tenants.models import Establishment


def absences_to_justify_marks(*, student_ids: list[int]) -> list[tuple[int, datetime.date, datetime.time]]:
    """(student ``Member`` pk, date, start) of the absences still to justify (one query)."""
    year = current_school_year()
    declared = AbsenceDeclaration.objects.filter(
        student_id=OuterRef("student_id"), start__lte=OuterRef("date"), end__gte=OuterRef("date")
    )
    justified = Justification.objects.filter(
        student_id=OuterRef("student_id"),
        start__lte=OuterRef("date"),
        end__gte=OuterRef("date"),
        status__in=[JustificationStatus.PENDING, JustificationStatus.ACCEPTED],
    )
    marks = AttendanceMark.objects.filter(student_id__in=student_ids, status=MarkStatus.ABSENT).filter(
        ~Exists(declared), ~Exists(justified)
    )
    if year is not None:
        marks = marks.filter(date__gte=year.start)
    return list(marks.values_list("student_id", "date", "start_time"))


@family_news_provider
def absences_to_justify(
    *, establishment: Establishment, guardian: User, children: Sequence[FamilyChild]
) -> Mapping[int, Sequence[NewsItem]]:
    by_member = {child.member.pk: child for child in children if child.member is not None}
    if not by_member:
        return {}
    split = half_day_split()
    halves: dict[int, set[tuple[datetime.date, str]]] = {}
    latest: dict[int, datetime.datetime] = {}
    zone = ZoneInfo(settings.TIME_ZONE)
    for student_id, day, start in absences_to_justify_marks(student_ids=list(by_member)):
        halves.setdefault(student_id, set()).add((day, half_of(start, split)))
        at = datetime.datetime.combine(day, start, tzinfo=zone)
        latest[student_id] = max(latest.get(student_id, at), at)
    path = reverse("attendance-family", urlconf="mbn_platform.config.urls_tenant")
    items: dict[int, list[NewsItem]] = {}
    for member_pk, found in halves.items():
        child = by_member[member_pk]
        name = child.user.first_name or child.user.display_name
        items[child.user_id] = [
            NewsItem(
                text=ngettext(
                    "%(name)s has %(count)d half-day of absence to justify.",
                    "%(name)s has %(count)d half-days of absence to justify.",
                    len(found),
                )
                % {"name": name, "count": len(found)},
                url=path,
                kind="absence",
                at=latest[member_pk],
            )
        ]
    return items
