"""Applying a plan (``plan.py``) in the caller's transaction, in bulk: new subjects and rooms
through the structure services, lessons created (with their co-teachers and more classes and
groups), changed lessons updated (or, when registers were taken before ``from_day``, ended the
day before and replaced from ``from_day``, so the past keeps its lessons and registers),
removed lessons ended (registers taken) or deleted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from mbn_platform.kernel.actors import Actor
from tenant_apps.structure.models import SchoolYear
from tenant_apps.structure.services import room_create, subject_create
from tenant_apps.timetable.imports.plan import Plan
from tenant_apps.timetable.imports.resolve import Resolved
from tenant_apps.timetable.models import Lesson, LessonChange, LessonParticipant, WeekParity
from tenant_apps.timetable.weeks import WeekSet


@dataclass
class Applied:
    created: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)


def _week_columns(week_set: WeekSet) -> tuple[str, str]:
    return str(week_set), week_set.rule if week_set.is_rule else WeekParity.CHOSEN


def _new_lesson(row: Resolved, year: SchoolYear, starts_on: datetime.date | None) -> Lesson:
    weeks, rule = _week_columns(row.weeks)
    classes, groups = row.classes, row.groups
    return Lesson(
        year=year,
        weekday=row.row.weekday,
        start_time=row.row.start,
        end_time=row.row.end,
        subject=row.subject,
        teacher=row.teachers[0],
        school_class=classes[0] if classes else None,
        group=None if classes else groups[0],
        room=row.room,
        week=rule,
        weeks=weeks,
        starts_on=starts_on,
        has_participants=len(row.teachers) > 1 or len(classes) + len(groups) > 1,
    )


def _participants(lesson: Lesson, row: Resolved) -> list[LessonParticipant]:
    found = [LessonParticipant(lesson=lesson, teacher=t) for t in row.teachers[1:]]
    # The first class (else the first group) is the lesson's own.
    classes = row.classes[1:] if row.classes else []
    groups = row.groups if row.classes else row.groups[1:]
    found += [LessonParticipant(lesson=lesson, school_class=c) for c in classes]
    found += [LessonParticipant(lesson=lesson, group=g) for g in groups]
    return found


def _end(lesson: Lesson, last_day: datetime.date) -> None:
    lesson.ends_on = last_day
    lesson.save(update_fields=["ends_on"])
    LessonChange.objects.filter(lesson=lesson, date__gt=last_day).delete()


def plan_apply(*, actor: Actor | None, plan: Plan, year: SchoolYear, from_day: datetime.date) -> Applied:
    applied = Applied()
    subjects = {
        code: subject_create(actor=actor, code=code, name=name) for code, name in plan.new_subjects.items()
    }
    rooms = {name: room_create(actor=actor, name=name) for name in sorted(plan.new_rooms)}

    def complete(row: Resolved) -> Resolved:
        if row.subject is None:
            row.subject = subjects[row.row.subject_code.upper()[:20]]
        if row.room is None and row.row.room:
            row.room = rooms[row.row.room[:60]]
        return row

    starts_on = from_day if from_day > year.start else None
    new_rows = [complete(row) for row in plan.created]
    for existing, row in plan.changed:
        complete(row)
        lesson = existing.lesson
        if existing.last_register is not None and existing.last_register < from_day:
            _end(lesson, from_day - datetime.timedelta(days=1))
            applied.ended.append(lesson.pk)
            new_rows.append(row)
            continue
        weeks, rule = _week_columns(row.weeks)
        lesson.room, lesson.weeks, lesson.week = row.room, weeks, rule
        lesson.save(update_fields=["room", "weeks", "week"])
        applied.changed.append(lesson.pk)
    lessons = Lesson.objects.bulk_create([_new_lesson(row, year, starts_on) for row in new_rows])
    LessonParticipant.objects.bulk_create(
        [p for lesson, row in zip(lessons, new_rows, strict=True) for p in _participants(lesson, row)]
    )
    applied.created = [lesson.pk for lesson in lessons]
    for existing in plan.removed:
        lesson = existing.lesson
        if existing.last_register is not None:
            _end(lesson, max(from_day - datetime.timedelta(days=1), existing.last_register))
            applied.ended.append(lesson.pk)
        else:
            applied.deleted.append(lesson.pk)
    if applied.deleted:
        Lesson.objects.filter(pk__in=applied.deleted).delete()
    return applied
