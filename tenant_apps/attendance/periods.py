"""The half-days of the absences school-life staff record without a register
(``AbsencePeriod``): every school day of the period (Monday to Friday, holidays left out: the
school's own and its zone's), morning and afternoon, less the morning of a first day from the
afternoon and the afternoon of a last day until the morning."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from tenant_apps.attendance.halfdays import AFTERNOON, MORNING
from tenant_apps.attendance.models import AbsencePeriod
from tenant_apps.school.models import Member
from tenant_apps.timetable.calendar import DayOff, days_between, holidays_around


@dataclass(frozen=True)
class PeriodHalf:
    student_id: int
    date: datetime.date
    half: str
    justified: bool  # by the period itself (an accepted justification is checked by the caller)


def period_halves(
    periods: Iterable[AbsencePeriod], *, start: datetime.date, end: datetime.date, days_off: list[DayOff]
) -> Iterator[PeriodHalf]:
    """The half-days of these periods within [start, end]."""
    for period in periods:
        for day in days_between(max(period.start, start), min(period.end, end)):
            if day.weekday() > 4 or any(d.start <= day <= d.end for d in days_off):
                continue
            for half in (MORNING, AFTERNOON):
                if day == period.start and period.start_half == AFTERNOON and half == MORNING:
                    continue
                if day == period.end and period.end_half == MORNING and half == AFTERNOON:
                    continue
                yield PeriodHalf(period.student_id, day, half, period.justified)


def periods_halves_between(
    *, students: QuerySet[Member], start: datetime.date, end: datetime.date
) -> list[PeriodHalf]:
    """The recorded periods' half-days of these students (a queryset of ``Member``) in [start,
    end]: one query, and one more for the holidays only when some period meets the range."""
    periods = list(AbsencePeriod.objects.filter(student__in=students, start__lte=end, end__gte=start))
    if not periods:
        return []
    return list(period_halves(periods, start=start, end=end, days_off=holidays_around([], start, end)))
