"""The school calendar: holidays and the A/B week alternation, and whether a recurring lesson is
planned on a day. Domain rules, not reads: ``year_calendar`` and ``calendars_between`` load what
the rules need (the years, their holidays) in a fixed number of queries.

The holidays of an establishment are its zone's official days off, entered once by the region
(``shared_apps.schoolcalendar``: school holidays of zone A, B or C and the bank holidays, read
from a region-wide cache), and its own days (``Holiday``: a bridge day, exam days)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mbn_platform.kernel.db import tenant_db
from shared_apps.schoolcalendar.selectors import region_days_off
from tenant_apps.structure.models import SchoolYear
from tenant_apps.timetable.models import Holiday, Lesson
from tenant_apps.timetable.weeks import CHOSEN, EVERY, WEEK_A, WeekSet


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week of ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def days_between(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """Every day from ``start`` to ``end``, both included."""
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


@dataclass(frozen=True)
class DayOff:
    """Days off (first and last day included): the region's (``region``) or the school's own
    (``local``)."""

    name: str
    start: datetime.date
    end: datetime.date
    source: str = "local"


@dataclass
class YearCalendar:
    """A school year with its holidays: which days are holidays, and week A or B.

    The A/B alternation starts with week A in the week of ``year.week_a_monday`` and advances
    only over weeks that have at least one school day: a week whose every weekday (Monday to
    Friday) is within holidays does not count, so the week after the autumn holidays continues
    the alternation from the week before them (as French schools count it)."""

    year: SchoolYear
    holidays: list[DayOff]
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

    def week_number(self, day: datetime.date) -> int:
        """The calendar week of the school year of ``day``: 1 for the week of the year's first
        day, holiday weeks counted (as the timetable software numbers them)."""
        return (week_start(day) - week_start(self.year.start)).days // 7 + 1

    def monday_of_week(self, number: int) -> datetime.date:
        return week_start(self.year.start) + datetime.timedelta(days=7 * (number - 1))

    def in_weeks(self, week_set: WeekSet, day: datetime.date) -> bool:
        """Whether the week of ``day`` is one of the set's (holidays aside)."""
        if week_set.rule == EVERY:
            return True
        if week_set.rule == CHOSEN:
            return self.week_number(day) in week_set.weeks
        return (week_set.rule == WEEK_A) == self.is_week_a(day)

    def school_weeks(self, week_set: WeekSet) -> set[int]:
        """The numbers of the school weeks (not all of holidays) of the year that the set runs."""
        last = self.week_number(self.year.end)
        return {
            n
            for n in range(1, last + 1)
            if not self.is_holiday_week(self.monday_of_week(n))
            and self.in_weeks(week_set, self.monday_of_week(n))
        }

    def weeks_meet(self, first: WeekSet, second: WeekSet) -> bool:
        """Whether two week sets share a school week ("every" meets any; A never meets B)."""
        if EVERY in (first.rule, second.rule):
            return True
        if first.is_rule and second.is_rule:
            return first.rule == second.rule
        return bool(self.school_weeks(first) & self.school_weeks(second))

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


def holidays_around(years: Iterable[SchoolYear], start: datetime.date, end: datetime.date) -> list[DayOff]:
    """The holidays of these years and of [start, end]: the school's own (one query) and its
    zone's (the region calendar, cached)."""
    first, last = start, end
    for year in years:
        first = min(first, year.start, week_start(year.week_a_monday))
        last = max(last, year.end)
    local = [DayOff(h.name, h.start, h.end) for h in Holiday.objects.filter(start__lte=last, end__gte=first)]
    region = region_days_off(schema_name=tenant_db().schema_name, start=first, end=last)
    return [DayOff(d.name, d.start, d.end, "region") for d in region] + local


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
    first/last days, not a holiday, and one of its weeks (``Lesson.week_set``: every week, A or B
    as the calendar counts them, or chosen weeks of the year)."""
    year = calendar.year
    if lesson.weekday != day.weekday() or not (year.start <= day <= year.end):
        return False
    if (lesson.starts_on and day < lesson.starts_on) or (lesson.ends_on and day > lesson.ends_on):
        return False
    if calendar.is_holiday(day):
        return False
    return calendar.in_weeks(lesson.week_set, day)
