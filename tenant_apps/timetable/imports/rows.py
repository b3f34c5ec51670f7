"""What every reader makes of a timetable file: lessons (``ImportRow``) with their line, and the
file's errors by line. Weeks are absolute (the Mondays of the weeks a lesson runs) or a rule
(``every``, ``A``, ``B``); ``plan.py`` turns them into a week set of the school year."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

DAY_NAMES = {
    "lundi": 0,
    "monday": 0,
    "mardi": 1,
    "tuesday": 1,
    "mercredi": 2,
    "wednesday": 2,
    "jeudi": 3,
    "thursday": 3,
    "vendredi": 4,
    "friday": 4,
    "samedi": 5,
    "saturday": 5,
}
#: At most this many lessons in one file (a lycée has about 1,000).
MAX_ROWS = 20_000


@dataclass
class ImportRow:
    """One weekly lesson of the file. ``teachers``: the first teaches, the others co-teach (names
    or identifiers as the file gives them); ``classes`` and ``groups``: every audience."""

    line: int
    weekday: int
    start: datetime.time
    end: datetime.time
    subject_code: str
    subject_name: str
    teachers: list[str]
    classes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    room: str = ""
    #: The week set as the school year counts weeks ("every", "A", "B", "1-7,10-16": ``weeks.py``)
    #: when the file says so; else "" and the Mondays of the weeks it runs.
    rule: str = ""
    mondays: list[datetime.date] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "weekday": self.weekday,
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "subject_code": self.subject_code,
            "subject_name": self.subject_name,
            "teachers": self.teachers,
            "classes": self.classes,
            "groups": self.groups,
            "room": self.room,
            "rule": self.rule,
            "mondays": [d.isoformat() for d in self.mondays],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportRow:
        return cls(
            line=int(data["line"]),
            weekday=int(data["weekday"]),
            start=datetime.time.fromisoformat(data["start"]),
            end=datetime.time.fromisoformat(data["end"]),
            subject_code=data["subject_code"],
            subject_name=data["subject_name"],
            teachers=list(data["teachers"]),
            classes=list(data["classes"]),
            groups=list(data["groups"]),
            room=data["room"],
            rule=data["rule"],
            mondays=[datetime.date.fromisoformat(d) for d in data["mondays"]],
        )


@dataclass(frozen=True)
class RowError:
    line: int | None
    field: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ParsedTimetable:
    """A file as read: its format, establishment (UAI, when it says), lessons and errors."""

    source_format: str
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    uai: str = ""

    def error(self, line: int | None, name: str, message: str) -> None:
        self.errors.append(RowError(line, name, message))


class ReadError(Exception):
    """The whole file cannot be read (its line when known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def plain(text: str) -> str:
    """For matching names: no accents, lower case, single spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().replace("-", " ").split())


_TIME = re.compile(r"^\s*(\d{1,2})\s*[:hH.]?\s*(\d{2})\s*$")


def parse_time(text: str) -> datetime.time:
    """ "08:00", "8h00", "08H00", "0800" → 08:00; ``ValueError`` otherwise."""
    match = _TIME.match(text or "")
    if not match:
        raise ValueError(_("“%(value)s” is not a time (e.g. 08:00).") % {"value": text})
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(_("“%(value)s” is not a time (e.g. 08:00).") % {"value": text})
    return datetime.time(hours, minutes)


def add_minutes(start: datetime.time, minutes: int) -> datetime.time:
    moment = datetime.datetime.combine(datetime.date(2000, 1, 3), start) + datetime.timedelta(minutes=minutes)
    if moment.date() != datetime.date(2000, 1, 3):
        raise ValueError(_("The lesson ends after midnight."))
    return moment.time()


def parse_day(text: str, *, first: int = 1) -> int:
    """A weekday (0 = Monday): a number (``first`` being Monday) or a French or English name."""
    value = plain(text)
    if value in DAY_NAMES:
        return DAY_NAMES[value]
    if value.isdigit() and 0 <= int(value) - first <= 5:
        return int(value) - first
    raise ValueError(_("“%(value)s” is not a day from Monday to Saturday.") % {"value": text})


def mondays_of_bits(bits: int, week1: datetime.date) -> list[datetime.date]:
    """EDT's ``Semaines``: bit n (value 2**n) set for week n, week 1 starting on ``week1``."""
    return [week1 + datetime.timedelta(days=7 * (n - 1)) for n in range(1, 64) if bits >> n & 1]
