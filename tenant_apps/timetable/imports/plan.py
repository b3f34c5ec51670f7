"""What applying a file would change, from ``from_day`` on: lessons created, changed (their room
or weeks), removed (ended when registers were taken, else deleted), unchanged; conflicts (rows
naming unknown teachers, classes or groups, or booking a teacher or a room twice) named by line.

The lessons managed are the school year's recurring lessons still running on ``from_day``; a
file row and a lesson are the same when their day, times, subject, teachers and classes and
groups are, so applying the same file again changes nothing."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from tenant_apps.structure.models import SchoolYear
from tenant_apps.timetable.calendar import year_calendar
from tenant_apps.timetable.imports.resolve import Names, Resolved, WeekSets
from tenant_apps.timetable.imports.rows import ImportRow, plain
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.occurrences import participants_of
from tenant_apps.timetable.weeks import WeekSet

SAMPLE = 50


@dataclass
class Existing:
    """A managed lesson as the plan compares it."""

    lesson: Lesson
    key: tuple[object, ...]
    weeks: WeekSet
    room_key: str
    last_register: datetime.date | None


@dataclass
class Plan:
    created: list[Resolved] = field(default_factory=list)
    changed: list[tuple[Existing, Resolved]] = field(default_factory=list)
    removed: list[Existing] = field(default_factory=list)
    unchanged: list[Existing] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    unknown: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: {"teachers": {}, "classes": {}, "groups": {}}
    )
    new_subjects: dict[str, str] = field(default_factory=dict)
    new_rooms: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        ended = sum(1 for e in self.removed if e.last_register is not None)
        return {
            "created": len(self.created),
            "changed": len(self.changed),
            "removed": len(self.removed) - ended,
            "ended": ended,
            "unchanged": len(self.unchanged),
            "conflicts": len(self.conflicts),
        }


def _resolve(plan: Plan, names: Names, weeks: WeekSets, year: SchoolYear, row: ImportRow) -> Resolved | None:
    missing = False
    teachers = []
    for name in row.teachers:
        teacher = names.teacher(name)
        if teacher is None:
            plan.unknown["teachers"].setdefault(name, []).append(row.line)
            missing = True
        elif teacher not in teachers:
            teachers.append(teacher)
    classes = []
    for name in row.classes:
        found = names.school_class(name)
        if found is None:
            plan.unknown["classes"].setdefault(name, []).append(row.line)
            missing = True
        elif found not in classes:
            classes.append(found)
    groups = []
    for name in row.groups:
        group = names.group(name)
        if group is None:
            plan.unknown["groups"].setdefault(name, []).append(row.line)
            missing = True
        elif group not in groups:
            groups.append(group)
    if missing:
        plan.conflicts.append(
            {"line": row.line, "message": _("Names a teacher, a class or a group unknown here (see below).")}
        )
        return None
    if not teachers or not (classes or groups):
        plan.conflicts.append({"line": row.line, "message": _("No teacher, or no class and no group.")})
        return None
    try:
        week_set = weeks.of_row(row, year)
    except ValueError as error:
        plan.conflicts.append({"line": row.line, "message": str(error)})
        return None
    subject = names.subject(row.subject_code, row.subject_name)
    if subject is None:
        plan.new_subjects.setdefault(
            row.subject_code.upper()[:20], row.subject_name[:100] or row.subject_code
        )
    room = names.room(row.room) if row.room else None
    if row.room and room is None:
        plan.new_rooms.add(row.room[:60])
    return Resolved(row, teachers, classes, groups, subject, room, week_set)


def _existing(year: SchoolYear, from_day: datetime.date, weeks: WeekSets) -> list[Existing]:
    lessons: list[Lesson] = list(
        Lesson.objects.filter(year=year)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=from_day))
        .select_related("room", "subject", "teacher", "school_class", "group")
        .annotate(last_register=Max("registers__occurrence_date"))
        .order_by("pk")
    )
    shared = participants_of(lessons)
    found = []
    for lesson in lessons:
        parts = shared.get(lesson.pk)
        teachers = [lesson.teacher_id, *(pk for pk, _n in (parts.teachers if parts else ()))]
        classes = [lesson.school_class_id] if lesson.school_class_id else []
        groups = [lesson.group_id] if lesson.group_id else []
        classes += [pk for pk, _n in (parts.classes if parts else ())]
        groups += [pk for pk, _n in (parts.groups if parts else ())]
        key = (
            lesson.weekday,
            lesson.start_time,
            lesson.end_time,
            lesson.subject_id,
            tuple(sorted(teachers)),
            tuple(sorted(classes)),
            tuple(sorted(groups)),
        )
        room_key = plain(lesson.room.name) if lesson.room is not None else ""
        last = getattr(lesson, "last_register", None)
        found.append(Existing(lesson, key, weeks.of_set(lesson.week_set), room_key, last))
    return found


def _clashes(plan: Plan, rows: list[Resolved], weeks: WeekSets) -> list[Resolved]:
    """Keep the rows that book no teacher and no room twice (the later row is the conflict)."""
    kept: list[Resolved] = []
    by_day: dict[int, list[Resolved]] = defaultdict(list)
    for row in rows:
        clash = None
        for other in by_day[row.row.weekday]:
            if not (other.row.start < row.row.end and row.row.start < other.row.end):
                continue
            if not weeks.calendar.weeks_meet(row.weeks, other.weeks):
                continue
            same_teacher = {t.pk for t in row.teachers} & {t.pk for t in other.teachers}
            same_room = row.room_key and row.room_key == other.room_key
            if same_teacher or same_room:
                clash = other
                break
        if clash is not None:
            what = (
                _("teacher") if {t.pk for t in row.teachers} & {t.pk for t in clash.teachers} else _("room")
            )
            plan.conflicts.append(
                {
                    "line": row.row.line,
                    "message": _("The same %(what)s as line %(line)s at the same time.")
                    % {"what": what, "line": clash.row.line},
                }
            )
            continue
        by_day[row.row.weekday].append(row)
        kept.append(row)
    return kept


def timetable_plan(*, year: SchoolYear, rows: list[ImportRow], from_day: datetime.date) -> Plan:
    """Compare the file's rows with the year's lessons from ``from_day`` (a fixed number of
    queries, whatever the number of rows)."""
    plan = Plan()
    names = Names.load()
    weeks = WeekSets(year_calendar(year))
    resolved = [r for r in (_resolve(plan, names, weeks, year, row) for row in rows) if r is not None]
    resolved = _clashes(plan, resolved, weeks)
    waiting: dict[tuple[object, ...], list[Existing]] = defaultdict(list)
    for existing in _existing(year, from_day, weeks):
        waiting[existing.key].append(existing)
    unmatched: list[Resolved] = []
    for row in resolved:  # the same lesson, same weeks and room: unchanged
        candidates = waiting.get(row.key, [])
        same = next(
            (e for e in candidates if str(e.weeks) == str(row.weeks) and e.room_key == row.room_key), None
        )
        if same is not None:
            candidates.remove(same)
            plan.unchanged.append(same)
        else:
            unmatched.append(row)
    for row in unmatched:  # the same lesson with other weeks or another room: changed
        candidates = waiting.get(row.key, [])
        if candidates:
            plan.changed.append((candidates.pop(0), row))
        else:
            plan.created.append(row)
    plan.removed = [e for candidates in waiting.values() for e in candidates]
    return plan


def _describe(row: Resolved) -> dict[str, Any]:
    return {
        "line": row.row.line,
        "weekday": row.row.weekday,
        "start": row.row.start.strftime("%H:%M"),
        "end": row.row.end.strftime("%H:%M"),
        "subject": row.subject.name if row.subject is not None else row.row.subject_name,
        "teachers": ", ".join(t.display_name for t in row.teachers),
        "audience": ", ".join([c.name for c in row.classes] + [g.name for g in row.groups]),
        "room": row.room.name if row.room is not None else row.row.room,
        "weeks": row.weeks.label(),
    }


def _describe_lesson(existing: Existing) -> dict[str, Any]:
    lesson = existing.lesson
    return {
        "line": None,
        "weekday": lesson.weekday,
        "start": lesson.start_time.strftime("%H:%M"),
        "end": lesson.end_time.strftime("%H:%M"),
        "subject": lesson.subject.name,
        "teachers": lesson.teacher.display_name,
        "audience": lesson.audience_name,
        "room": lesson.room.name if lesson.room is not None else "",
        "weeks": existing.weeks.label(),
        "registers": existing.last_register is not None,
    }


def plan_summary(plan: Plan) -> dict[str, Any]:
    """What the preview page and the API show (the first ``SAMPLE`` of each kind)."""
    return {
        "counts": plan.counts(),
        "created": [_describe(r) for r in plan.created[:SAMPLE]],
        "changed": [
            {**_describe(row), "before": _describe_lesson(existing)}
            for existing, row in plan.changed[:SAMPLE]
        ],
        "removed": [_describe_lesson(e) for e in plan.removed[:SAMPLE]],
        "conflicts": sorted(plan.conflicts, key=lambda c: c["line"] or 0),
        "unknown": {kind: dict(sorted(found.items())) for kind, found in plan.unknown.items()},
        "new_subjects": dict(sorted(plan.new_subjects.items())),
        "new_rooms": sorted(plan.new_rooms),
    }
