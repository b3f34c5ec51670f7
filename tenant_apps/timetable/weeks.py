"""Which weeks of the school year a recurring lesson runs: a week set.

A week set is written as text, the one representation stored (``Lesson.weeks``) and accepted by
the services, the pages and the API:

- ``every``: every school week;
- ``A`` / ``B``: week A or week B, as the school calendar counts them (``calendar.YearCalendar``:
  the alternation skips the weeks all of holidays, so it follows holiday changes by itself);
- a list of week numbers and ranges, e.g. ``1-7,10-16,19-25``: the calendar weeks of the school
  year, week 1 being the week (Monday to Sunday) of the year's first day, holiday weeks counted
  as the timetable software counts them (EDT's ``Semaines``). A lesson never takes place on a
  holiday, whatever its weeks.

The canonical text (``str(week_set)``) sorts the weeks and merges the ranges, so that two equal
sets are written alike (an import compares them as text).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

EVERY, WEEK_A, WEEK_B, CHOSEN = "every", "A", "B", "chosen"
RULES = (EVERY, WEEK_A, WEEK_B)
#: A school year has at most 53 calendar weeks (a few more allowed for long years).
MAX_WEEK = 60


@dataclass(frozen=True)
class WeekSet:
    """``rule``: ``every``, ``A``, ``B`` or ``chosen`` (then ``weeks``: the week numbers)."""

    rule: str
    weeks: frozenset[int] = frozenset()

    def __str__(self) -> str:
        if self.rule != CHOSEN:
            return self.rule
        return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges(self.weeks))

    @property
    def is_rule(self) -> bool:
        return self.rule != CHOSEN

    def label(self) -> str:
        """For people: "Every week", "Week A", "Weeks 1 to 7, 10 to 16"."""
        if self.rule == EVERY:
            return _("Every week")
        if self.rule in (WEEK_A, WEEK_B):
            return _("Week %(letter)s") % {"letter": self.rule}
        dash = "\N{EN DASH}"
        text = ", ".join(f"{a}{dash}{b}" if a != b else str(a) for a, b in ranges(self.weeks))
        return _("Weeks %(weeks)s") % {"weeks": text}


def ranges(weeks: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted numbers as (first, last) runs: {1,2,3,5} → [(1, 3), (5, 5)]."""
    found: list[tuple[int, int]] = []
    for week in sorted(set(weeks)):
        if found and week == found[-1][1] + 1:
            found[-1] = (found[-1][0], week)
        else:
            found.append((week, week))
    return found


@functools.lru_cache(maxsize=4096)
def week_set_parse(text: str) -> WeekSet:
    """The week set written ``text`` (``every``, ``A``, ``B`` or numbers and ranges); a
    ``ValueError`` naming the problem otherwise."""
    value = (text or "").strip()
    if value in ("", EVERY):
        return WeekSet(EVERY)
    if value.upper() in (WEEK_A, WEEK_B):
        return WeekSet(value.upper())
    weeks: set[int] = set()
    for part in value.replace(" ", "").split(","):
        first, sep, last = part.partition("-")
        if not first.isdigit() or (sep and not last.isdigit()):
            raise ValueError(_("Write the weeks as numbers and ranges, e.g. 1-7,10-16."))
        low, high = int(first), int(last or first)
        if not (1 <= low <= high <= MAX_WEEK):
            raise ValueError(
                _("Week numbers go from 1 to %(max)s, a range from low to high.") % {"max": MAX_WEEK}
            )
        weeks.update(range(low, high + 1))
    return WeekSet(CHOSEN, frozenset(weeks))


def week_set_of_numbers(weeks: Iterable[int]) -> WeekSet:
    chosen = frozenset(w for w in weeks if 1 <= w <= MAX_WEEK)
    return WeekSet(CHOSEN, chosen)
