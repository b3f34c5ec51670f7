"""The file's names resolved against the establishment, in a fixed number of queries: teachers
(by name, first and last in either order), classes and groups (by name, "6A" finding "6e A"),
subjects (by code, else by name; unknown ones are created), rooms (by name; created when
unknown); and each row's weeks as a week set of the school year."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.timetable.calendar import YearCalendar
from tenant_apps.timetable.imports.rows import ImportRow, plain
from tenant_apps.timetable.weeks import CHOSEN, EVERY, WEEK_A, WEEK_B, WeekSet, week_set_parse

_SUNDAY = datetime.timedelta(days=6)
_ORDINAL = re.compile(r"^(\d+)(e|eme|de|nde|nd|re|ere|er)(?=\D|$)")


def _compact(name: str) -> str:
    text = plain(name).replace(" ", "").replace("_", "").replace(".", "")
    return _ORDINAL.sub(r"\1", text)


def _tokens(name: str) -> frozenset[str]:
    return frozenset(plain(name).split())


@dataclass
class Names:
    """What the establishment has, indexed for matching the file's names."""

    teachers: dict[frozenset[str], Member | None] = field(default_factory=dict)  # None: ambiguous
    classes: dict[str, SchoolClass] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    subjects_by_code: dict[str, Subject] = field(default_factory=dict)
    subjects_by_name: dict[str, Subject] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Names:
        names = cls()
        for member in Member.objects.filter(is_active=True, roles__contains=[Role.TEACHER]):
            key = _tokens(member.display_name)
            names.teachers[key] = None if key in names.teachers else member
        for school_class in SchoolClass.objects.all():
            names.classes.setdefault(_compact(school_class.name), school_class)
        for group in Group.objects.all():
            names.groups.setdefault(_compact(group.name), group)
        for subject in Subject.objects.all():
            names.subjects_by_code[subject.code.upper()] = subject
            names.subjects_by_name.setdefault(plain(subject.name), subject)
        for room in Room.objects.all():
            names.rooms[plain(room.name)] = room
        return names

    def teacher(self, name: str) -> Member | None:
        return self.teachers.get(_tokens(name))

    def school_class(self, name: str) -> SchoolClass | None:
        return self.classes.get(_compact(name))

    def group(self, name: str) -> Group | None:
        return self.groups.get(_compact(name))

    def subject(self, code: str, name: str) -> Subject | None:
        return self.subjects_by_code.get(code.upper()) or self.subjects_by_name.get(plain(name))

    def room(self, name: str) -> Room | None:
        return self.rooms.get(plain(name))


@dataclass
class Resolved:
    """A row with what it names here (``subject``/``room`` None: to create, named by the row)."""

    row: ImportRow
    teachers: list[Member]
    classes: list[SchoolClass]
    groups: list[Group]
    subject: Subject | None
    room: Room | None
    weeks: WeekSet

    @property
    def key(self) -> tuple[object, ...]:
        """What makes it the same lesson: day, times, subject, teachers, audience."""
        subject = self.subject.pk if self.subject is not None else f"new:{self.row.subject_code.upper()}"
        return (
            self.row.weekday,
            self.row.start,
            self.row.end,
            subject,
            tuple(sorted(t.pk for t in self.teachers)),
            tuple(sorted(c.pk for c in self.classes)),
            tuple(sorted(g.pk for g in self.groups)),
        )

    @property
    def room_key(self) -> str:
        return plain(self.room.name if self.room is not None else self.row.room)


class WeekSets:
    """Week sets normalised on the school year's calendar: the school weeks a set runs (holiday
    weeks left out), written ``every``, ``A`` or ``B`` when it is exactly one of those."""

    def __init__(self, calendar: YearCalendar) -> None:
        self.calendar = calendar
        self.rules = {
            rule: frozenset(calendar.school_weeks(WeekSet(rule))) for rule in (EVERY, WEEK_A, WEEK_B)
        }

    def normal(self, school_weeks: frozenset[int]) -> WeekSet:
        for rule in (EVERY, WEEK_A, WEEK_B):
            if school_weeks == self.rules[rule]:
                return WeekSet(rule)
        return WeekSet(CHOSEN, school_weeks)

    def of_set(self, week_set: WeekSet) -> WeekSet:
        if week_set.is_rule:
            return week_set
        return self.normal(frozenset(week_set.weeks) & self.rules[EVERY])

    def of_row(self, row: ImportRow, year: SchoolYear) -> WeekSet:
        """The row's weeks (``ValueError`` when it runs in no school week of the year)."""
        if row.rule:
            found = self.of_set(week_set_parse(row.rule))
        else:
            numbers = {
                self.calendar.week_number(m)
                for m in row.mondays
                if year.start <= m + _SUNDAY and m <= year.end
            }
            found = self.normal(frozenset(numbers) & self.rules[EVERY])
        if found.rule == CHOSEN and not found.weeks:
            raise ValueError(_("The lesson runs in no school week of the year."))
        return found
