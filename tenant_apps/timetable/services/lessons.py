"""Writes of the recurring lessons: add, edit, end, delete (each leaves one audit entry)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record, audit_values
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.timetable.calendar import lesson_runs_on, year_calendar
from tenant_apps.timetable.models import Lesson, LessonChange, LessonParticipant, WeekParity
from tenant_apps.timetable.slots import Slot, slot_validate
from tenant_apps.timetable.weeks import EVERY, week_set_parse

LESSON_FIELDS = (
    "weekday",
    "start_time",
    "end_time",
    "weeks",
    "subject_id",
    "teacher_id",
    "school_class_id",
    "group_id",
    "room_id",
    "starts_on",
    "ends_on",
)


def lesson_state(lesson: Lesson) -> dict[str, Any]:
    """What an audit entry of a lesson compares before and after (its co-teachers and more
    classes and groups as sorted ids)."""
    state = {name: getattr(lesson, name) for name in LESSON_FIELDS}
    state["weeks"] = str(lesson.week_set)
    if lesson.pk is not None and lesson.has_participants:
        rows = list(lesson.participants.values_list("teacher_id", "school_class_id", "group_id"))
        state["co_teacher_ids"] = sorted(t for t, _c, _g in rows if t)
        state["more_class_ids"] = sorted(c for _t, c, _g in rows if c)
        state["more_group_ids"] = sorted(g for _t, _c, g in rows if g)
    return state


def week_fields(week: str) -> tuple[str, str]:
    """The two columns of a week set (``weeks`` and the rule column ``week``, kept while schemas
    migrate: see migration 0003). Raises ``ValidationFailed`` on ``week``."""
    try:
        week_set = week_set_parse(week)
    except ValueError as error:
        raise ValidationFailed(fields={"week": [str(error)]}) from error
    return str(week_set), week_set.rule if week_set.is_rule else WeekParity.CHOSEN


def participants_set(
    lesson: Lesson,
    *,
    co_teachers: tuple[Member, ...] = (),
    more_classes: tuple[SchoolClass, ...] = (),
    more_groups: tuple[Group, ...] = (),
) -> None:
    """Replace a lesson's co-teachers and more classes and groups (and its flag)."""
    audience = {("c", lesson.school_class_id), ("g", lesson.group_id)}
    classes = [c for c in dict.fromkeys(more_classes) if ("c", c.pk) not in audience]
    groups = [g for g in dict.fromkeys(more_groups) if ("g", g.pk) not in audience]
    if lesson.has_participants:
        lesson.participants.all().delete()
    rows = [LessonParticipant(lesson=lesson, teacher=t) for t in co_teachers]
    rows += [LessonParticipant(lesson=lesson, school_class=c) for c in classes]
    rows += [LessonParticipant(lesson=lesson, group=g) for g in groups]
    LessonParticipant.objects.bulk_create(rows)
    if lesson.has_participants != bool(rows):
        lesson.has_participants = bool(rows)
        lesson.save(update_fields=["has_participants"])


def _audit(actor: Actor | None, action: str, lesson: Lesson, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=lesson, details=details
    )


@transaction.atomic
def lesson_create(
    *,
    actor: Actor | None,
    year: SchoolYear,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    subject: Subject,
    teacher: Member,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
    room: Room | None = None,
    week: str = EVERY,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    co_teachers: tuple[Member, ...] = (),
    more_classes: tuple[SchoolClass, ...] = (),
    more_groups: tuple[Group, ...] = (),
) -> Lesson:
    """Add a recurring lesson: ``week`` is its week set (``weeks.py``: ``every``, ``A``, ``B``
    or chosen weeks such as ``1-7,10-16``); co-teachers and more classes or groups optional."""
    weeks, rule = week_fields(week)
    slot_validate(
        Slot(
            co_teachers=co_teachers,
            year=year,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            week=week,
            teacher=teacher,
            school_class=school_class,
            group=group,
            room=room,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    )
    lesson = Lesson.objects.create(
        year=year,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        subject=subject,
        teacher=teacher,
        school_class=school_class,
        group=group,
        room=room,
        week=rule,
        weeks=weeks,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if co_teachers or more_classes or more_groups:
        participants_set(lesson, co_teachers=co_teachers, more_classes=more_classes, more_groups=more_groups)
    _audit(
        actor, "timetable.lesson_created", lesson, {"year_id": year.pk, **audit_values(lesson_state(lesson))}
    )
    return lesson


def _participants(
    lesson: Lesson,
) -> tuple[tuple[Member, ...], tuple[SchoolClass, ...], tuple[Group, ...]]:
    if not lesson.has_participants:
        return (), (), ()
    rows = list(lesson.participants.select_related("teacher", "school_class", "group").order_by("pk"))
    return (
        tuple(p.teacher for p in rows if p.teacher is not None),
        tuple(p.school_class for p in rows if p.school_class is not None),
        tuple(p.group for p in rows if p.group is not None),
    )


def _registers_after(lesson: Lesson, day: datetime.date | None) -> None:
    if day is None:
        return
    last = lesson.registers.filter(occurrence_date__gt=day).order_by("-occurrence_date").first()
    if last is not None:
        raise ValidationFailed(
            fields={
                "ends_on": [
                    str(
                        _("A register was taken after this day (on %(date)s): give a later last day.")
                        % {"date": date_format(last.occurrence_date, "SHORT_DATE_FORMAT")}
                    )
                ]
            }
        )


def _drop_changes_that_no_longer_fit(lesson: Lesson, *, from_day: datetime.date) -> int:
    """Delete the lesson's one-off changes, from ``from_day``, of occurrences it no longer has."""
    calendar = year_calendar(lesson.year)
    stale = [
        c.pk
        for c in lesson.changes.filter(date__gte=from_day)
        if not lesson_runs_on(lesson, calendar, c.date)
    ]
    if stale:
        LessonChange.objects.filter(pk__in=stale).delete()
    return len(stale)


@transaction.atomic
def lesson_update(
    *,
    actor: Actor | None,
    lesson: Lesson,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    subject: Subject,
    teacher: Member,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
    room: Room | None = None,
    week: str = EVERY,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    co_teachers: tuple[Member, ...] | None = None,
    more_classes: tuple[SchoolClass, ...] | None = None,
    more_groups: tuple[Group, ...] | None = None,
) -> Lesson:
    """Edit a recurring lesson (every occurrence: the week pages show it as edited). Registers
    already taken keep their own date, times and teacher. One-off changes of upcoming occurrences
    that the lesson no longer has are dropped. To keep the history of a change of timetable
    mid-year, end the lesson (``lesson_end``) and add a new one instead. Co-teachers, more
    classes and groups: kept when not given (None)."""
    weeks, rule = week_fields(week)
    current = _participants(lesson)
    co_teachers = current[0] if co_teachers is None else co_teachers
    more_classes = current[1] if more_classes is None else more_classes
    more_groups = current[2] if more_groups is None else more_groups
    slot_validate(
        Slot(
            co_teachers=co_teachers,
            lesson_pk=lesson.pk,
            year=lesson.year,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            week=week,
            teacher=teacher,
            school_class=school_class,
            group=group,
            room=room,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    )
    _registers_after(lesson, ends_on)
    before = lesson_state(lesson)
    lesson.weekday, lesson.start_time, lesson.end_time = weekday, start_time, end_time
    lesson.week, lesson.weeks = rule, weeks
    lesson.subject, lesson.teacher, lesson.room = subject, teacher, room
    lesson.school_class, lesson.group = school_class, group
    lesson.starts_on, lesson.ends_on = starts_on, ends_on
    lesson.save()
    if (co_teachers, more_classes, more_groups) != current:
        participants_set(lesson, co_teachers=co_teachers, more_classes=more_classes, more_groups=more_groups)
    dropped = 0
    if ends_on is not None:
        dropped += lesson.changes.filter(date__gt=ends_on).delete()[0]
    if starts_on is not None:
        dropped += lesson.changes.filter(date__lt=starts_on).delete()[0]
    dropped += _drop_changes_that_no_longer_fit(lesson, from_day=timezone.localdate())
    changes = audit_changes(before, lesson_state(lesson))
    if changes:
        _audit(actor, "timetable.lesson_updated", lesson, {"changes": changes, "changes_dropped": dropped})
    return lesson


@transaction.atomic
def lesson_end(*, actor: Actor | None, lesson: Lesson, last_day: datetime.date) -> Lesson:
    """End a recurring lesson after ``last_day``: it stays in the past weeks (with its registers)
    and is gone from the following ones (their one-off changes are dropped)."""
    year = lesson.year
    if not (year.start - datetime.timedelta(days=1) <= last_day <= year.end):
        raise ValidationFailed(fields={"ends_on": [str(_("Give a day of the school year."))]})
    if lesson.starts_on is not None and last_day < lesson.starts_on:
        raise ValidationFailed(fields={"ends_on": [str(_("The last day must not be before the first."))]})
    _registers_after(lesson, last_day)
    before = lesson.ends_on
    lesson.ends_on = last_day
    lesson.save(update_fields=["ends_on"])
    lesson.changes.filter(date__gt=last_day).delete()
    _audit(
        actor,
        "timetable.lesson_ended",
        lesson,
        {"changes": audit_changes({"ends_on": before}, {"ends_on": last_day})},
    )
    return lesson


@transaction.atomic
def lesson_delete(*, actor: Actor | None, lesson: Lesson) -> None:
    """Delete a lesson that never had a register (with its one-off changes); one with registers
    is ended instead (``lesson_end``): Conflict."""
    if lesson.registers.exists():
        raise Conflict(
            _(
                "Registers were taken for this lesson, so it cannot be deleted. End it instead "
                "(give its last day): it stays in the past weeks with its registers."
            ),
            code=ErrorCode.LESSON_HAS_REGISTERS,
        )
    details = audit_values(lesson_state(lesson))
    target = Lesson(pk=lesson.pk)
    try:
        lesson.delete()
    except ProtectedError as exc:  # a register taken meanwhile
        raise Conflict(
            _("This lesson is in use and cannot be deleted."), code=ErrorCode.LESSON_IN_USE
        ) from exc
    _audit(actor, "timetable.lesson_deleted", target, details)
