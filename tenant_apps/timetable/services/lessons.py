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
from tenant_apps.timetable.models import Lesson, LessonChange, WeekParity
from tenant_apps.timetable.slots import Slot, slot_validate

LESSON_FIELDS = (
    "weekday",
    "start_time",
    "end_time",
    "week",
    "subject_id",
    "teacher_id",
    "school_class_id",
    "group_id",
    "room_id",
    "starts_on",
    "ends_on",
)


def lesson_state(lesson: Lesson) -> dict[str, Any]:
    """What an audit entry of a lesson compares before and after."""
    return {name: getattr(lesson, name) for name in LESSON_FIELDS}


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
    week: str = WeekParity.EVERY,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Lesson:
    slot_validate(
        Slot(
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
        week=week,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _audit(
        actor, "timetable.lesson_created", lesson, {"year_id": year.pk, **audit_values(lesson_state(lesson))}
    )
    return lesson


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
    week: str = WeekParity.EVERY,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Lesson:
    """Edit a recurring lesson (every occurrence: the week pages show it as edited). Registers
    already taken keep their own date, times and teacher. One-off changes of upcoming occurrences
    that the lesson no longer has are dropped. To keep the history of a change of timetable
    mid-year, end the lesson (``lesson_end``) and add a new one instead."""
    slot_validate(
        Slot(
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
    lesson.weekday, lesson.start_time, lesson.end_time, lesson.week = weekday, start_time, end_time, week
    lesson.subject, lesson.teacher, lesson.room = subject, teacher, room
    lesson.school_class, lesson.group = school_class, group
    lesson.starts_on, lesson.ends_on = starts_on, ends_on
    lesson.save()
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
