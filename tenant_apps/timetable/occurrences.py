"""Occurrence expansion: recurring lessons, their one-off changes and exceptional lessons turned
into the occurrences of a date range (one lesson on one date, as it takes place). Domain logic
built on the school calendar (``calendar.py``); the reads that scope it to a person, a class or a
room are in ``selectors.py``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tenant_apps.structure.models import SchoolYear
from tenant_apps.timetable.calendar import (
    YearCalendar,
    calendars_between,
    days_between,
    holidays_around,
    lesson_runs_on,
)
from tenant_apps.timetable.models import ExceptionalLesson, Lesson, LessonChange, LessonParticipant


@dataclass(frozen=True)
class Occurrence:
    """One lesson on one date, as it will (or did) take place."""

    key: str
    lesson_id: int | None
    exceptional_id: int | None
    occurrence_date: datetime.date  # the planned date (what a register and a change refer to)
    date: datetime.date  # the date it takes place
    start: datetime.time
    end: datetime.time
    subject: str
    teacher: str
    teacher_id: int  # Member pk of whoever teaches it
    planned_teacher_id: int
    room: str
    room_id: int | None
    planned_room_id: int | None
    audience: str
    school_class_id: int | None
    group_id: int | None
    cancelled: bool = False
    moved_to: datetime.date | None = None  # the planned slot of a lesson moved elsewhere
    moved_from: datetime.date | None = None  # a moved lesson, at its new place
    room_changed: bool = False
    replaced: bool = False
    exceptional: bool = False
    note: str = ""
    #: Co-teachers (Member pks) and every class and group that attends (the first ones included).
    co_teacher_ids: tuple[int, ...] = ()
    co_teacher_names: tuple[str, ...] = ()
    class_ids: tuple[int, ...] = ()
    group_ids: tuple[int, ...] = ()

    @property
    def teacher_ids(self) -> tuple[int, ...]:
        """Whoever teaches it: its teacher (or replacement) and its co-teachers."""
        return (self.teacher_id, *self.co_teacher_ids)

    @property
    def changed(self) -> bool:
        return (
            bool(self.cancelled or self.moved_to or self.moved_from or self.room_changed or self.replaced)
            or self.exceptional
        )

    @property
    def takes_place(self) -> bool:
        return not self.cancelled and self.moved_to is None

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()

    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start, tzinfo=ZoneInfo(settings.TIME_ZONE))

    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end, tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class Scope:
    """Whose timetable: filters on lessons and exceptional lessons, plus a rule applied to each
    occurrence (a replacement teacher sees only the occurrences they teach; a room only what
    takes place or was planned in it)."""

    lessons: Q
    exceptional: Q
    teacher_id: int | None = None
    room_id: int | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def keeps(self, occ: Occurrence) -> bool:
        if self.teacher_id is not None and self.teacher_id not in (
            occ.teacher_id,
            occ.planned_teacher_id,
            *occ.co_teacher_ids,
        ):
            return False
        return not (self.room_id is not None and self.room_id not in (occ.room_id, occ.planned_room_id))


@dataclass(frozen=True)
class Participants:
    """A lesson's co-teachers and its more classes and groups (``LessonParticipant`` rows)."""

    teachers: tuple[tuple[int, str], ...] = ()  # (Member pk, name)
    classes: tuple[tuple[int, str], ...] = ()
    groups: tuple[tuple[int, str], ...] = ()


NO_PARTICIPANTS = Participants()


def participants_of(lessons: list[Lesson]) -> dict[int, Participants]:
    """The participants of the lessons flagged ``has_participants`` (one query; none when no
    lesson is)."""
    shared = [lesson.pk for lesson in lessons if lesson.has_participants]
    if not shared:
        return {}
    rows: dict[int, dict[str, list[tuple[int, str]]]] = {}
    for p in (
        LessonParticipant.objects.filter(lesson_id__in=shared)
        .select_related("teacher", "school_class", "group")
        .order_by("pk")
    ):
        found = rows.setdefault(p.lesson_id, {"teachers": [], "classes": [], "groups": []})
        if p.teacher is not None:
            found["teachers"].append((p.teacher.pk, p.teacher.display_name))
        elif p.school_class is not None:
            found["classes"].append((p.school_class.pk, p.school_class.name))
        elif p.group is not None:
            found["groups"].append((p.group.pk, p.group.name))
    return {
        pk: Participants(tuple(r["teachers"]), tuple(r["classes"]), tuple(r["groups"]))
        for pk, r in rows.items()
    }


def occurrence_of_lesson(
    lesson: Lesson, day: datetime.date, participants: Participants = NO_PARTICIPANTS
) -> Occurrence:
    audience = ", ".join(
        [
            lesson.audience_name,
            *(n for _pk, n in participants.classes),
            *(n for _pk, n in participants.groups),
        ]
    )
    teacher = ", ".join([lesson.teacher.display_name, *(n for _pk, n in participants.teachers)])
    return Occurrence(
        key=f"L{lesson.pk}-{day.isoformat()}",
        lesson_id=lesson.pk,
        exceptional_id=None,
        occurrence_date=day,
        date=day,
        start=lesson.start_time,
        end=lesson.end_time,
        subject=lesson.subject.name,
        teacher=teacher,
        teacher_id=lesson.teacher_id,
        planned_teacher_id=lesson.teacher_id,
        room=lesson.room.name if lesson.room else "",
        room_id=lesson.room_id,
        planned_room_id=lesson.room_id,
        audience=audience,
        school_class_id=lesson.school_class_id,
        group_id=lesson.group_id,
        co_teacher_ids=tuple(pk for pk, _n in participants.teachers),
        co_teacher_names=tuple(n for _pk, n in participants.teachers),
        class_ids=tuple([lesson.school_class_id] if lesson.school_class_id else [])
        + tuple(pk for pk, _n in participants.classes),
        group_ids=tuple([lesson.group_id] if lesson.group_id else [])
        + tuple(pk for pk, _n in participants.groups),
    )


def occurrence_apply_change(occ: Occurrence, change: LessonChange) -> Occurrence:
    """The occurrence as it takes place after ``change`` (moved: at its new place)."""
    updates: dict[str, Any] = {"note": change.note}
    if change.cancelled:
        return replace(occ, cancelled=True, **updates)
    if change.new_room_id and change.new_room_id != occ.room_id:
        updates.update(room=change.new_room.name, room_id=change.new_room_id, room_changed=True)  # type: ignore[union-attr]
    absent = change.absent_teacher_id
    if absent is not None and occ.co_teacher_ids and absent in (occ.teacher_id, *occ.co_teacher_ids):
        # A co-taught lesson whose teacher or co-teacher is absent: the others teach it (the first
        # of them as its teacher); the replacement, if any, joins them.
        names = dict(zip(occ.co_teacher_ids, occ.co_teacher_names, strict=False))
        team = [(occ.teacher_id, occ.teacher.split(", ")[0])] + [
            (pk, names.get(pk, "")) for pk in occ.co_teacher_ids
        ]
        team = [(pk, name) for pk, name in team if pk != absent]
        replacement = change.replacement_teacher
        if replacement is not None and replacement.pk not in {pk for pk, _n in team}:
            team.append((replacement.pk, replacement.display_name))
        updates.update(
            teacher_id=team[0][0],
            teacher=", ".join(name for _pk, name in team),
            co_teacher_ids=tuple(pk for pk, _n in team[1:]),
            co_teacher_names=tuple(name for _pk, name in team[1:]),
            replaced=True,
        )
    elif change.replacement_teacher_id and change.replacement_teacher_id != occ.teacher_id:
        teacher = change.replacement_teacher
        updates.update(teacher=teacher.display_name, teacher_id=teacher.pk, replaced=True)  # type: ignore[union-attr]
    if change_is_move(change):
        updates.update(
            date=change.new_date or occ.date,
            start=change.new_start_time or occ.start,
            end=change.new_end_time or occ.end,
            moved_from=occ.occurrence_date,
        )
    return replace(occ, **updates)


def change_is_move(change: LessonChange) -> bool:
    return change.new_date is not None or change.new_start_time is not None


def occurrence_of_exceptional(exc: ExceptionalLesson) -> Occurrence:
    """The occurrence of an exceptional lesson (select_related subject, teacher, room, class, group)."""
    return Occurrence(
        key=f"X{exc.pk}",
        lesson_id=None,
        exceptional_id=exc.pk,
        occurrence_date=exc.date,
        date=exc.date,
        start=exc.start_time,
        end=exc.end_time,
        subject=exc.subject.name,
        teacher=exc.teacher.display_name,
        teacher_id=exc.teacher_id,
        planned_teacher_id=exc.teacher_id,
        room=exc.room.name if exc.room else "",
        room_id=exc.room_id,
        planned_room_id=exc.room_id,
        audience=exc.audience_name,
        school_class_id=exc.school_class_id,
        group_id=exc.group_id,
        exceptional=True,
        note=exc.note,
        class_ids=(exc.school_class_id,) if exc.school_class_id else (),
        group_ids=(exc.group_id,) if exc.group_id else (),
    )


def occurrences(
    *,
    scope: Scope,
    start: datetime.date,
    end: datetime.date,
    years: dict[int, SchoolYear] | None = None,
    calendars: dict[int, YearCalendar] | None = None,
) -> list[Occurrence]:
    """Every occurrence in [start, end] for the scope, sorted by date and time."""
    if calendars is None:
        calendars = calendars_between(start, end, years)
    years = {pk: c.year for pk, c in calendars.items()}
    holidays = next(iter(calendars.values())).holidays if calendars else holidays_around([], start, end)
    lessons = (
        {
            lesson.pk: lesson
            for lesson in Lesson.objects.filter(scope.lessons, year_id__in=list(years)).select_related(
                "subject", "teacher", "room", "school_class", "group"
            )
        }
        if years
        else {}
    )
    changes = (
        list(
            LessonChange.objects.filter(lesson_id__in=list(lessons))
            .filter(Q(date__range=(start, end)) | Q(new_date__range=(start, end)))
            .select_related("new_room", "replacement_teacher")
        )
        if lessons
        else []
    )
    by_occurrence = {(c.lesson_id, c.date): c for c in changes}
    shared = participants_of(list(lessons.values()))
    result: list[Occurrence] = []
    for day in days_between(start, end):
        if any(h.start <= day <= h.end for h in holidays):
            continue
        for lesson in lessons.values():
            if not lesson_runs_on(lesson, calendars[lesson.year_id], day):
                continue
            occ = occurrence_of_lesson(lesson, day, shared.get(lesson.pk, NO_PARTICIPANTS))
            change = by_occurrence.get((lesson.pk, day))
            if change is not None and change_is_move(change) and not change.cancelled:
                new_date = change.new_date or day
                result.append(replace(occ, moved_to=new_date, note=change.note))
            elif change is not None:
                result.append(occurrence_apply_change(occ, change))
            else:
                result.append(occ)
    for change in changes:  # moved lessons, at their new place
        if change.cancelled or not change_is_move(change):
            continue
        lesson = lessons[change.lesson_id]
        if not lesson_runs_on(lesson, calendars[lesson.year_id], change.date):
            continue  # no longer an occurrence of the lesson (holidays added, lesson ended)
        planned = occurrence_of_lesson(lesson, change.date, shared.get(lesson.pk, NO_PARTICIPANTS))
        moved = occurrence_apply_change(planned, change)
        if start <= moved.date <= end:
            result.append(moved)
    for exc in ExceptionalLesson.objects.filter(scope.exceptional, date__range=(start, end)).select_related(
        "subject", "teacher", "room", "school_class", "group"
    ):
        result.append(occurrence_of_exceptional(exc))
    result = [occ for occ in result if scope.keeps(occ)]
    result.sort(key=lambda o: (o.date, o.start, o.audience, o.key))
    return result
