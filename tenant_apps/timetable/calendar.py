"""The school calendar: holidays and the A/B week alternation, and whether a recurring lesson is
planned on a day. Domain rules, not reads: ``year_calendar`` and ``calendars_between`` load what
the rules need (the years, their holidays) in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tenant_apps.structure.models import SchoolYear
from tenant_apps.timetable.models import Holiday, Lesson, WeekParity


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week of ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def days_between(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """Every day from ``start`` to ``end``, both included."""
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


@dataclass
class YearCalendar:
    """A school year with its holidays: which days are holidays, and week A or B.

    The A/B alternation starts with week A in the week of ``year.week_a_monday`` and advances
    only over weeks that have at least one school day: a week whose every weekday (Monday to
    Friday) is within holidays does not count, so the week after the autumn holidays continues
    the alternation from the week before them (as French schools count it)."""

    year: SchoolYear
    holidays: list[Holiday]
    _holiday_mondays: list[datetime.date] | None = field(default=None, repr=False)

    def is_holiday(self, day: datetime.date) -> bool:
        return any(h.start <= day <= h.end for h in self.holidays)

    def is_holiday_week(self, day: datetime.date) -> bool:
        """Whether every weekday (Monday to Friday) of the week of ``day`` is a holiday."""
        monday = week_start(day)
        return all(self.is_holiday(monday + datetime.timedelta(days=i)) for i in range(5))

    def holiday_mondays(self) -> list[datetime.date]:
        if self._holiday_mondays is None:
            found: set[datetime.date] = set()
            for holiday in self.holidays:
                monday = week_start(holiday.start)
                while monday <= holiday.end:
                    if self.is_holiday_week(monday):
                        found.add(monday)
                    monday += datetime.timedelta(days=7)
            self._holiday_mondays = sorted(found)
        return self._holiday_mondays

    def is_week_a(self, day: datetime.date) -> bool:
        """Week A or B (a holiday week has the parity of the school week before it)."""
        reference, target = week_start(self.year.week_a_monday), week_start(day)
        if target >= reference:
            skipped = sum(1 for m in self.holiday_mondays() if reference < m <= target)
            weeks = (target - reference).days // 7
        else:
            skipped = sum(1 for m in self.holiday_mondays() if target <= m < reference)
            weeks = (reference - target).days // 7
        return (weeks - skipped) % 2 == 0


def holidays_around(years: Iterable[SchoolYear], start: datetime.date, end: datetime.date) -> list[Holiday]:
    """The holidays of these years and of [start, end] (one query)."""
    first, last = start, end
    for year in years:
        first = min(first, year.start, week_start(year.week_a_monday))
        last = max(last, year.end)
    return list(Holiday.objects.filter(start__lte=last, end__gte=first))


def year_calendar(year: SchoolYear) -> YearCalendar:
    """One year's calendar (one query: its holidays)."""
    return YearCalendar(year=year, holidays=holidays_around([year], year.start, year.end))


def school_years_between(start: datetime.date, end: datetime.date) -> dict[int, SchoolYear]:
    return {y.pk: y for y in SchoolYear.objects.filter(start__lte=end, end__gte=start)}


def calendars_between(
    start: datetime.date, end: datetime.date, years: dict[int, SchoolYear] | None = None
) -> dict[int, YearCalendar]:
    """The calendars of the school years overlapping [start, end] (two queries)."""
    if years is None:
        years = school_years_between(start, end)
    holidays = holidays_around(years.values(), start, end)
    return {pk: YearCalendar(year=year, holidays=holidays) for pk, year in years.items()}


def lesson_runs_on(lesson: Lesson, calendar: YearCalendar, day: datetime.date) -> bool:
    """Whether a recurring lesson is planned on ``day``: its weekday, within its year and its own
    first/last days, not a holiday, and its week (A/B) as the calendar counts them."""
    year = calendar.year
    if lesson.weekday != day.weekday() or not (year.start <= day <= year.end):
        return False
    if (lesson.starts_on and day < lesson.starts_on) or (lesson.ends_on and day > lesson.ends_on):
        return False
    if calendar.is_holiday(day):
        return False
    if lesson.week == WeekParity.EVERY:
        return True
    return (lesson.week == WeekParity.A) == calendar.is_week_a(day)
