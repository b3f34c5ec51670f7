"""Writes of one-off changes to a lesson's occurrence (with the notification of the people
concerned) and of exceptional lessons (each leaves one audit entry)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_changes, audit_record, audit_values
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, Subject
from tenant_apps.timetable.calendar import lesson_runs_on, year_calendar
from tenant_apps.timetable.models import ExceptionalLesson, Lesson, LessonChange
from tenant_apps.timetable.slots import Slot, slot_validate, times_check

CHANGE_FIELDS = (
    "cancelled",
    "new_date",
    "new_start_time",
    "new_end_time",
    "new_room_id",
    "replacement_teacher_id",
    "note",
)
EXCEPTIONAL_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "subject_id",
    "teacher_id",
    "school_class_id",
    "group_id",
    "room_id",
    "note",
)


def _state(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields} if obj is not None else {}


def _audit(actor: Actor | None, action: str, target: Any, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )


# One-off changes -------------------------------------------------------------------------------


@transaction.atomic
def lesson_change_set(
    *,
    actor: Actor | None,
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
        times_check(new_start_time, new_end_time)
    if not (cancelled or new_date or new_start_time or new_room or replacement_teacher):
        raise ValidationFailed(fields={"cancelled": [str(_("Nothing to change."))]})
    before = _state(LessonChange.objects.filter(lesson=lesson, date=date).first(), CHANGE_FIELDS)
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
            "created_by_id": actor_id(actor),
            "notified_at": None,
        },
    )
    _audit(
        actor,
        "timetable.occurrence_changed",
        lesson,
        {"date": date.isoformat(), "changes": audit_changes(before, _state(change, CHANGE_FIELDS))},
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
    *, actor: Actor | None, lesson: Lesson, date: datetime.date, notify: bool = True
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
    before = _state(change, CHANGE_FIELDS)
    change.delete()
    _audit(
        actor,
        "timetable.occurrence_change_undone",
        lesson,
        {"date": date.isoformat(), "undone": audit_values(before)},
    )
    if notify and told:
        from tenant_apps.timetable.tasks import lesson_change_undone_notify_task

        lesson_id, day = lesson.pk, date.isoformat()
        transaction.on_commit(
            lambda: lesson_change_undone_notify_task.apply_async(
                args=(lesson_id, day, extra), queue=settings.CELERY_TASK_DEFAULT_QUEUE
            )
        )


# Exceptional lessons ---------------------------------------------------------------------------


@transaction.atomic
def exceptional_lesson_create(
    *,
    actor: Actor | None,
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
    slot_validate(
        Slot(
            date=date,
            start_time=start_time,
            end_time=end_time,
            teacher=teacher,
            school_class=school_class,
            group=group,
            room=room,
        )
    )
    exceptional = ExceptionalLesson.objects.create(
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
    _audit(
        actor,
        "timetable.exceptional_lesson_created",
        exceptional,
        audit_values(_state(exceptional, EXCEPTIONAL_FIELDS)),
    )
    return exceptional


@transaction.atomic
def exceptional_lesson_update(
    *,
    actor: Actor | None,
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
    slot_validate(
        Slot(
            exceptional_pk=exceptional.pk,
            date=date,
            start_time=start_time,
            end_time=end_time,
            teacher=teacher,
            school_class=school_class,
            group=group,
            room=room,
        )
    )
    before = _state(exceptional, EXCEPTIONAL_FIELDS)
    exceptional.date, exceptional.start_time, exceptional.end_time = date, start_time, end_time
    exceptional.subject, exceptional.teacher, exceptional.room = subject, teacher, room
    exceptional.school_class, exceptional.group, exceptional.note = school_class, group, note
    exceptional.save()
    changes = audit_changes(before, _state(exceptional, EXCEPTIONAL_FIELDS))
    if changes:
        _audit(actor, "timetable.exceptional_lesson_updated", exceptional, {"changes": changes})
    return exceptional


@transaction.atomic
def exceptional_lesson_delete(*, actor: Actor | None, exceptional: ExceptionalLesson) -> None:
    """Delete an exceptional lesson; one whose register was taken cannot be: Conflict."""
    details = audit_values(_state(exceptional, EXCEPTIONAL_FIELDS))
    target = ExceptionalLesson(pk=exceptional.pk)
    try:
        exceptional.delete()
    except ProtectedError as exc:
        raise Conflict(
            _("A register was taken for this lesson, so it cannot be deleted."),
            code=ErrorCode.EXCEPTIONAL_LESSON_HAS_REGISTER,
        ) from exc
    _audit(actor, "timetable.exceptional_lesson_deleted", target, details)
