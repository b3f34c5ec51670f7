"""Writes of the timetable: lessons, one-off changes (with the notification of the people
concerned), exceptional lessons, holidays, calendar feed tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.timetable.models import (
    ExceptionalLesson,
    Holiday,
    ICalToken,
    Lesson,
    LessonChange,
    WeekParity,
)
from tenant_apps.timetable.selectors import Occurrence, lesson_runs_on, year_calendar


def _audience(school_class: SchoolClass | None, group: Group | None) -> None:
    if (school_class is None) == (group is None):
        raise ValidationFailed(fields={"school_class": [str(_("Give a class or a group (one of them)."))]})


def _times(start: datetime.time, end: datetime.time, field: str = "end_time") -> None:
    if end <= start:
        raise ValidationFailed(fields={field: [str(_("The end must be after the start."))]})


def _teacher(teacher: Member, field: str = "teacher") -> None:
    if not teacher.is_active or Role.TEACHER not in (teacher.roles or []):
        raise ValidationFailed(
            fields={field: [str(_("%(name)s is not a teacher here.") % {"name": teacher.display_name})]}
        )


def _lesson_clashes(
    *,
    lesson_pk: int | None,
    year: SchoolYear,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    week: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    teacher: Member,
    room: Room | None,
) -> None:
    """A room or a teacher in two lessons at once (the same weekday, overlapping times, weeks
    that meet: "every week" meets A and B, and overlapping first/last days) is refused."""
    others = Lesson.objects.filter(
        year=year, weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
    ).select_related("subject", "school_class", "group")
    if lesson_pk is not None:
        others = others.exclude(pk=lesson_pk)
    if week != WeekParity.EVERY:
        others = others.filter(week__in=[WeekParity.EVERY, week])
    if ends_on is not None:
        others = others.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=ends_on))
    if starts_on is not None:
        others = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    errors: dict[str, list[str]] = {}
    for other in others.filter(Q(teacher=teacher) | Q(room=room) if room is not None else Q(teacher=teacher)):
        what = {
            "subject": other.subject.name,
            "audience": other.audience_name,
            "time": f"{other.start_time:%H:%M}-{other.end_time:%H:%M}",
        }
        if room is not None and other.room_id == room.pk and "room" not in errors:
            errors["room"] = [
                str(_("This room is already booked then: %(subject)s, %(audience)s, %(time)s.") % what)
            ]
        if other.teacher_id == teacher.pk and "teacher" not in errors:
            errors["teacher"] = [
                str(_("This teacher already teaches then: %(subject)s, %(audience)s, %(time)s.") % what)
            ]
    if errors:
        raise ValidationFailed(fields=errors)


def _lesson_validate(
    *,
    lesson_pk: int | None,
    year: SchoolYear,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    week: str,
    teacher: Member,
    school_class: SchoolClass | None,
    group: Group | None,
    room: Room | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> None:
    _audience(school_class, group)
    _times(start_time, end_time)
    # One lesson write at a time per year, so that two bookings of a room cannot cross.
    SchoolYear.objects.select_for_update().filter(pk=year.pk).first()
    if weekday not in range(7):
        raise ValidationFailed(fields={"weekday": [str(_("Unknown weekday."))]})
    if week not in WeekParity.values:
        raise ValidationFailed(fields={"week": [str(_("Unknown week."))]})
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and not (year.start <= day <= year.end):
            raise ValidationFailed(fields={name: [str(_("Give a day of the school year."))]})
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise ValidationFailed(fields={"ends_on": [str(_("The last day must not be before the first."))]})
    _teacher(teacher)
    _lesson_clashes(
        lesson_pk=lesson_pk,
        year=year,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        week=week,
        starts_on=starts_on,
        ends_on=ends_on,
        teacher=teacher,
        room=room,
    )


@transaction.atomic
def lesson_create(
    *,
    actor_id: int | None,
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
    _lesson_validate(
        lesson_pk=None,
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
    return Lesson.objects.create(
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
    actor_id: int | None,
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
    _lesson_validate(
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
    _registers_after(lesson, ends_on)
    lesson.weekday, lesson.start_time, lesson.end_time, lesson.week = weekday, start_time, end_time, week
    lesson.subject, lesson.teacher, lesson.room = subject, teacher, room
    lesson.school_class, lesson.group = school_class, group
    lesson.starts_on, lesson.ends_on = starts_on, ends_on
    lesson.save()
    if ends_on is not None:
        lesson.changes.filter(date__gt=ends_on).delete()
    if starts_on is not None:
        lesson.changes.filter(date__lt=starts_on).delete()
    _drop_changes_that_no_longer_fit(lesson, from_day=timezone.localdate())
    return lesson


@transaction.atomic
def lesson_end(*, actor_id: int | None, lesson: Lesson, last_day: datetime.date) -> Lesson:
    """End a recurring lesson after ``last_day``: it stays in the past weeks (with its registers)
    and is gone from the following ones (their one-off changes are dropped)."""
    year = lesson.year
    if not (year.start - datetime.timedelta(days=1) <= last_day <= year.end):
        raise ValidationFailed(fields={"ends_on": [str(_("Give a day of the school year."))]})
    if lesson.starts_on is not None and last_day < lesson.starts_on:
        raise ValidationFailed(fields={"ends_on": [str(_("The last day must not be before the first."))]})
    _registers_after(lesson, last_day)
    lesson.ends_on = last_day
    lesson.save(update_fields=["ends_on"])
    lesson.changes.filter(date__gt=last_day).delete()
    return lesson


@transaction.atomic
def lesson_delete(*, actor_id: int | None, lesson: Lesson) -> None:
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
    try:
        lesson.delete()
    except ProtectedError as exc:  # a register taken meanwhile
        raise Conflict(
            _("This lesson is in use and cannot be deleted."), code=ErrorCode.LESSON_IN_USE
        ) from exc


@transaction.atomic
def lesson_change_set(
    *,
    actor_id: int | None,
    lesson: Lesson,
    date: datetime.date,
    cancelled: bool = False,
    new_date: datetime.date | None = None,
    new_start_time: datetime.time | None = None,
    new_end_time: datetime.time | None = None,
    new_room: Room | None = None,
    replacement_teacher: Member | None = None,
    note: str = "",
    notify: bool = True,
) -> LessonChange:
    """Record (or replace) the change of one occurrence; the people concerned are e-mailed."""
    if not lesson_runs_on(lesson, year_calendar(lesson.year), date):
        raise ValidationFailed(fields={"date": [str(_("The lesson does not take place on this date."))]})
    if cancelled and (new_date or new_start_time or new_room or replacement_teacher):
        raise ValidationFailed(fields={"cancelled": [str(_("A cancelled lesson cannot also be changed."))]})
    if (new_start_time is None) != (new_end_time is None):
        raise ValidationFailed(fields={"new_end_time": [str(_("Give both the new start and end."))]})
    if new_start_time and new_end_time:
        _times(new_start_time, new_end_time)
    if not (cancelled or new_date or new_start_time or new_room or replacement_teacher):
        raise ValidationFailed(fields={"cancelled": [str(_("Nothing to change."))]})
    change, _created = LessonChange.objects.update_or_create(
        lesson=lesson,
        date=date,
        defaults={
            "cancelled": cancelled,
            "new_date": new_date,
            "new_start_time": new_start_time,
            "new_end_time": new_end_time,
            "new_room": new_room,
            "replacement_teacher": replacement_teacher,
            "note": note,
            "created_by_id": actor_id,
            "notified_at": None,
        },
    )
    if notify:
        from tenant_apps.timetable.tasks import lesson_change_notify_task

        change_id = change.pk
        transaction.on_commit(
            lambda: lesson_change_notify_task.apply_async(
                args=(change_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE
            )
        )
    return change


@transaction.atomic
def lesson_change_delete(
    *, actor_id: int | None, lesson: Lesson, date: datetime.date, notify: bool = True
) -> None:
    """Undo the change of one occurrence: the lesson takes place as planned. The people who were
    told of the change are told of this too."""
    change = (
        LessonChange.objects.select_related("replacement_teacher").filter(lesson=lesson, date=date).first()
    )
    if change is None:
        raise NotFound()
    told = change.notified_at is not None
    extra = [change.replacement_teacher.user_id] if change.replacement_teacher is not None else []
    change.delete()
    if notify and told:
        from tenant_apps.timetable.tasks import lesson_change_undone_notify_task

        lesson_id, day = lesson.pk, date.isoformat()
        transaction.on_commit(
            lambda: lesson_change_undone_notify_task.apply_async(
                args=(lesson_id, day, extra), queue=settings.CELERY_TASK_DEFAULT_QUEUE
            )
        )


def _exceptional_clashes(
    *,
    exceptional_pk: int | None,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    teacher: Member,
    room: Room | None,
) -> None:
    """The room or the teacher already in a lesson that takes place then (recurring lessons with
    their changes, and the other exceptional lessons) is refused."""
    from tenant_apps.timetable.selectors import occurrences, scope_room, scope_teacher

    def busy(occ: Occurrence) -> bool:
        return (
            occ.takes_place
            and occ.date == date
            and occ.start < end_time
            and occ.end > start_time
            and (exceptional_pk is None or occ.exceptional_id != exceptional_pk)
        )

    errors: dict[str, list[str]] = {}
    if room is not None:
        found = [o for o in occurrences(scope=scope_room(room), start=date, end=date) if busy(o)]
        if any(o.room_id == room.pk for o in found):
            errors["room"] = [str(_("This room is already booked then."))]
    found = [o for o in occurrences(scope=scope_teacher(teacher), start=date, end=date) if busy(o)]
    if any(o.teacher_id == teacher.pk for o in found):
        errors["teacher"] = [str(_("This teacher already teaches then."))]
    if errors:
        raise ValidationFailed(fields=errors)


def _exceptional_validate(
    *,
    exceptional_pk: int | None,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    teacher: Member,
    school_class: SchoolClass | None,
    group: Group | None,
    room: Room | None,
) -> None:
    _audience(school_class, group)
    _times(start_time, end_time)
    _teacher(teacher)
    _exceptional_clashes(
        exceptional_pk=exceptional_pk,
        date=date,
        start_time=start_time,
        end_time=end_time,
        teacher=teacher,
        room=room,
    )


@transaction.atomic
def exceptional_lesson_create(
    *,
    actor_id: int | None,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    subject: Subject,
    teacher: Member,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
    room: Room | None = None,
    note: str = "",
) -> ExceptionalLesson:
    _exceptional_validate(
        exceptional_pk=None,
        date=date,
        start_time=start_time,
        end_time=end_time,
        teacher=teacher,
        school_class=school_class,
        group=group,
        room=room,
    )
    return ExceptionalLesson.objects.create(
        date=date,
        start_time=start_time,
        end_time=end_time,
        subject=subject,
        teacher=teacher,
        school_class=school_class,
        group=group,
        room=room,
        note=note,
    )


@transaction.atomic
def exceptional_lesson_update(
    *,
    actor_id: int | None,
    exceptional: ExceptionalLesson,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    subject: Subject,
    teacher: Member,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
    room: Room | None = None,
    note: str = "",
) -> ExceptionalLesson:
    """Edit an exceptional lesson (a register already taken keeps its own date and times)."""
    _exceptional_validate(
        exceptional_pk=exceptional.pk,
        date=date,
        start_time=start_time,
        end_time=end_time,
        teacher=teacher,
        school_class=school_class,
        group=group,
        room=room,
    )
    exceptional.date, exceptional.start_time, exceptional.end_time = date, start_time, end_time
    exceptional.subject, exceptional.teacher, exceptional.room = subject, teacher, room
    exceptional.school_class, exceptional.group, exceptional.note = school_class, group, note
    exceptional.save()
    return exceptional


@transaction.atomic
def exceptional_lesson_delete(*, actor_id: int | None, exceptional: ExceptionalLesson) -> None:
    """Delete an exceptional lesson; one whose register was taken cannot be: Conflict."""
    try:
        exceptional.delete()
    except ProtectedError as exc:
        raise Conflict(
            _("A register was taken for this lesson, so it cannot be deleted."),
            code=ErrorCode.EXCEPTIONAL_LESSON_HAS_REGISTER,
        ) from exc


def _holiday_validate(name: str, start: datetime.date, end: datetime.date) -> None:
    if not name.strip():
        raise ValidationFailed(fields={"name": [str(_("Give a name."))]})
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if (end - start).days > 120:
        raise ValidationFailed(fields={"end": [str(_("Holidays of more than 120 days: check the dates."))]})


@transaction.atomic
def holiday_create(*, actor_id: int | None, name: str, start: datetime.date, end: datetime.date) -> Holiday:
    """Holidays: no recurring lesson takes place; a week all of holidays does not count in the
    A/B alternation."""
    _holiday_validate(name, start, end)
    return Holiday.objects.create(name=name.strip(), start=start, end=end)


@transaction.atomic
def holiday_update(
    *, actor_id: int | None, holiday: Holiday, name: str, start: datetime.date, end: datetime.date
) -> Holiday:
    _holiday_validate(name, start, end)
    holiday.name, holiday.start, holiday.end = name.strip(), start, end
    holiday.save()
    return holiday


@transaction.atomic
def holiday_delete(*, actor_id: int | None, holiday: Holiday) -> None:
    holiday.delete()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def ical_token_create(*, user_id: int) -> str:
    """A new secret feed token for the person (the previous one stops working). Returned once."""
    ical_token_revoke(user_id=user_id)
    token = secrets.token_urlsafe(32)
    ICalToken.objects.create(user_id=user_id, token_hash=_hash(token))
    return token


@transaction.atomic
def ical_token_revoke(*, user_id: int) -> int:
    return ICalToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def ical_token_user(*, token: str) -> int:
    """The user id of a live token; NotFound for an unknown or revoked one."""
    if not token or len(token) > 100:
        raise NotFound()
    found = ICalToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=True).values_list(
        "user_id", flat=True
    )
    user_id = next(iter(found), None)
    if user_id is None:
        raise NotFound()
    return int(user_id)
