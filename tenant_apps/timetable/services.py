"""Writes of the timetable: lessons, one-off changes (with the notification of the people
concerned), exceptional lessons, holidays, calendar feed tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.errors import NotFound, ValidationFailed
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
from tenant_apps.timetable.selectors import lesson_runs_on


def _audience(school_class: SchoolClass | None, group: Group | None) -> None:
    if (school_class is None) == (group is None):
        raise ValidationFailed(fields={"school_class": [str(_("Give a class or a group (one of them)."))]})


def _times(start: datetime.time, end: datetime.time) -> None:
    if end <= start:
        raise ValidationFailed(fields={"end_time": [str(_("The end must be after the start."))]})


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
) -> Lesson:
    _audience(school_class, group)
    _times(start_time, end_time)
    if week not in WeekParity.values:
        raise ValidationFailed(fields={"week": [str(_("Unknown week."))]})
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
    )


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
    if (
        not lesson_runs_on(lesson, lesson.year, date)
        or Holiday.objects.filter(start__lte=date, end__gte=date).exists()
    ):
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
def lesson_change_delete(*, actor_id: int | None, lesson: Lesson, date: datetime.date) -> None:
    LessonChange.objects.filter(lesson=lesson, date=date).delete()


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
    _audience(school_class, group)
    _times(start_time, end_time)
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
def holiday_create(*, actor_id: int | None, name: str, start: datetime.date, end: datetime.date) -> Holiday:
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    return Holiday.objects.create(name=name, start=start, end=end)


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
