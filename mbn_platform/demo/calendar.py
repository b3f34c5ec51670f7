"""The demo's school calendar, relative to today: the school year that contains today (September
to early July; in the summer, the coming one), its periods, the holidays of zone B (académie de
Strasbourg) and the public holidays, and which days are school days.

The official dates are used where the demo knows them (``OFFICIAL_ZONE_B``); other years follow
the official pattern: the autumn and Christmas holidays end on the first Monday after 1 November
and 1 January, zone B's winter holidays start on the second Saturday of February and its spring
holidays eight weeks later, the summer on the first Saturday of July.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

DAY = datetime.timedelta(days=1)

#: Official zone B dates (first and last day without lessons), by the year the school year starts.
OFFICIAL_ZONE_B: dict[int, dict[str, tuple[datetime.date, datetime.date]]] = {
    2025: {
        "Vacances de la Toussaint": (datetime.date(2025, 10, 18), datetime.date(2025, 11, 2)),
        "Vacances de Noël": (datetime.date(2025, 12, 20), datetime.date(2026, 1, 4)),
        "Vacances d'hiver": (datetime.date(2026, 2, 14), datetime.date(2026, 3, 1)),
        "Vacances de printemps": (datetime.date(2026, 4, 11), datetime.date(2026, 4, 26)),
    },
}


@dataclass(frozen=True)
class DemoYear:
    name: str
    start: datetime.date
    end: datetime.date
    holidays: tuple[tuple[str, datetime.date, datetime.date], ...]

    @property
    def week_a_monday(self) -> datetime.date:
        return self.start - datetime.timedelta(days=self.start.weekday())

    def is_school_day(self, day: datetime.date) -> bool:
        return (
            self.start <= day <= self.end
            and day.weekday() < 5
            and not any(first <= day <= last for _name, first, last in self.holidays)
        )

    def school_day_on_or_after(self, day: datetime.date) -> datetime.date:
        """``day`` if lessons take place on it, else the next day they do (at most the year's end)."""
        while not self.is_school_day(day) and day < self.end:
            day += DAY
        return day

    def school_days_between(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        days, day = [], first
        while day <= last:
            if self.is_school_day(day):
                days.append(day)
            day += DAY
        return days

    def periods(self, *, semesters: bool) -> list[tuple[str, datetime.date, datetime.date]]:
        """Trimesters (to the end of November, to mid-March, to the end), or two semesters."""
        if semesters:
            split = datetime.date(self.end.year, 1, 31)
            return [("Semestre 1", self.start, split), ("Semestre 2", split + DAY, self.end)]
        first_end = datetime.date(self.start.year, 11, 30)
        second_end = datetime.date(self.end.year, 3, 15)
        return [
            ("Trimestre 1", self.start, first_end),
            ("Trimestre 2", first_end + DAY, second_end),
            ("Trimestre 3", second_end + DAY, self.end),
        ]


def _first_weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def easter(year: int) -> datetime.date:
    """Easter Sunday (the Gregorian computus, "anonymous" algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def _holidays(start_year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    end_year = start_year + 1
    official = OFFICIAL_ZONE_B.get(start_year)
    if official is not None:
        found = [(name, first, last) for name, (first, last) in official.items()]
    else:
        autumn_back = _first_weekday_on_or_after(datetime.date(start_year, 11, 2), 0)
        christmas_back = _first_weekday_on_or_after(datetime.date(end_year, 1, 2), 0)
        winter = _first_weekday_on_or_after(datetime.date(end_year, 2, 1), 5) + datetime.timedelta(days=7)
        spring = winter + datetime.timedelta(weeks=8)
        found = [
            ("Vacances de la Toussaint", autumn_back - datetime.timedelta(days=16), autumn_back - DAY),
            ("Vacances de Noël", christmas_back - datetime.timedelta(days=16), christmas_back - DAY),
            ("Vacances d'hiver", winter, winter + datetime.timedelta(days=15)),
            ("Vacances de printemps", spring, spring + datetime.timedelta(days=15)),
        ]
    pascha = easter(end_year)
    ascension = pascha + datetime.timedelta(days=39)
    singles = [
        ("Armistice", datetime.date(start_year, 11, 11)),
        ("Lundi de Pâques", pascha + DAY),
        ("Fête du Travail", datetime.date(end_year, 5, 1)),
        ("Victoire 1945", datetime.date(end_year, 5, 8)),
        ("Lundi de Pentecôte", pascha + datetime.timedelta(days=50)),
    ]
    found.append(("Pont de l'Ascension", ascension, ascension + datetime.timedelta(days=3)))
    for name, day in singles:
        if day.weekday() < 5 and not any(first <= day <= last for _n, first, last in found):
            found.append((name, day, day))
    return sorted(found, key=lambda h: h[1])


def demo_year(today: datetime.date) -> DemoYear:
    """The school year containing ``today`` (from September to the first Saturday of July; in
    July after it and in August, the coming one)."""
    start_year = today.year if today.month >= 8 else today.year - 1
    summer = _first_weekday_on_or_after(datetime.date(start_year + 1, 7, 1), 5)
    if today.month == 7 and today >= summer:
        start_year += 1
        summer = _first_weekday_on_or_after(datetime.date(start_year + 1, 7, 1), 5)
    start = datetime.date(start_year, 9, 1)
    if start.weekday() >= 5:
        start = _first_weekday_on_or_after(start, 0)
    return DemoYear(
        name=f"{start_year}-{start_year + 1}", start=start, end=summer, holidays=tuple(_holidays(start_year))
    )
