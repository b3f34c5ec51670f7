"""Substitutions: "teacher absent from … to …" makes the change of every lesson they teach then,
at once, each cancelled until it is given a replacement; the people concerned are then told once
each (not once per lesson) through the notification service (``substitution_notices.py``).
Each write leaves one audit entry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenant_apps.timetable.models import LessonChange, LessonParticipant, TeacherAbsence
from tenant_apps.timetable.occurrences import Occurrence, occurrences
from tenant_apps.timetable.selectors import scope_teacher
from tenant_apps.timetable.slots import Slot, slot_clashes_check

MAX_DAYS = 92


def _audit(actor: Actor | None, action: str, target: TeacherAbsence, details: dict[str, object]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )


def absence_occurrences(*, teacher: Member, start: datetime.date, end: datetime.date) -> list[Occurrence]:
    """The occurrences of recurring lessons the teacher teaches (as its teacher or a co-teacher)
    between the two days, that take place."""
    return [
        o
        for o in occurrences(scope=scope_teacher(teacher), start=start, end=end)
        if o.lesson_id is not None
        and o.takes_place
        and teacher.pk in (o.planned_teacher_id, *o.co_teacher_ids)
    ]


@transaction.atomic
def teacher_absence_record(
    *, actor: Actor | None, teacher: Member, start: datetime.date, end: datetime.date, note: str = ""
) -> TeacherAbsence:
    """Record the absence and the change of each lesson the teacher teaches then: cancelled (a
    co-taught lesson: held by the other teachers), until given a replacement. A change already
    recorded for an occurrence (a move, another room) is kept, with the absence added to it.
    Nobody is told yet: ``teacher_absence_notify`` tells everyone once."""
    if Role.TEACHER not in (teacher.roles or []) or not teacher.is_active:
        raise ValidationFailed(
            fields={"teacher": [str(_("%(name)s is not a teacher here.") % {"name": teacher.display_name})]}
        )
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(fields={"end": [str(_("At most three months at once."))]})
    absence = TeacherAbsence.objects.create(
        teacher=teacher, start=start, end=end, note=note.strip()[:200], created_by_id=actor_id(actor)
    )
    found = absence_occurrences(teacher=teacher, start=start, end=end)
    existing = {
        (c.lesson_id, c.date): c
        for c in LessonChange.objects.filter(
            lesson_id__in={o.lesson_id for o in found}, date__range=(start, end)
        )
    }
    created = 0
    for occ in found:
        lesson_id = occ.lesson_id or 0  # recurring lessons only (absence_occurrences)
        co_taught = bool(occ.co_teacher_ids)  # the other teachers hold it
        change = existing.get((lesson_id, occ.occurrence_date))
        if change is None:
            change = LessonChange(
                lesson_id=lesson_id, date=occ.occurrence_date, created_by_id=actor_id(actor)
            )
            change.cancelled = not co_taught
            created += 1
        change.absence, change.absent_teacher = absence, teacher
        change.replacement_teacher = None
        change.notified_at = None
        change.save()
    _audit(
        actor,
        "timetable.teacher_absence_recorded",
        absence,
        {
            "teacher_id": teacher.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "lessons": len(found),
            "changes_created": created,
        },
    )
    return absence


@dataclass(frozen=True)
class Assignment:
    """A change of an absence and who replaces the absent teacher (None: cancelled)."""

    change: LessonChange
    replacement: Member | None


def _replacement_check(change: LessonChange, replacement: Member, absence: TeacherAbsence) -> None:
    """A teacher here, not the absent one, free then."""
    if (
        Role.TEACHER not in (replacement.roles or [])
        or not replacement.is_active
        or replacement.pk == absence.teacher_id
    ):
        message = _("%(name)s cannot replace.") % {"name": replacement.display_name}
        raise ValidationFailed(fields={"assignments": [str(message)]})
    lesson = change.lesson
    day = change.new_date or change.date
    try:
        slot_clashes_check(
            Slot(
                date=day,
                start_time=change.new_start_time or lesson.start_time,
                end_time=change.new_end_time or lesson.end_time,
                teacher=replacement,
            )
        )
    except ValidationFailed as error:
        message = _("%(name)s already teaches then (%(date)s).") % {
            "name": replacement.display_name,
            "date": day.isoformat(),
        }
        raise ValidationFailed(fields={"assignments": [str(message)]}) from error


@transaction.atomic
def teacher_absence_assign(
    *, actor: Actor | None, absence: TeacherAbsence, assignments: list[Assignment]
) -> int:
    """Give each change of the absence a replacement teacher, or cancel it (a co-taught lesson:
    held by the others). The replacement must be a teacher here, free then. Returns how many
    changes were modified; they are told with ``teacher_absence_notify``."""
    changed = 0
    log: list[dict[str, object]] = []
    for item in assignments:
        change = item.change
        if change.absence_id != absence.pk:
            raise ValidationFailed(fields={"assignments": [str(_("A lesson of another absence."))]})
        replacement = item.replacement
        co_taught = LessonParticipant.objects.filter(
            lesson_id=change.lesson_id, teacher__isnull=False
        ).exists()
        moved = bool(change.new_date or change.new_start_time or change.new_room_id)
        cancelled = replacement is None and not co_taught and not moved
        if (
            change.replacement_teacher_id == (replacement.pk if replacement else None)
            and change.cancelled == cancelled
        ):
            continue
        if replacement is not None:
            _replacement_check(change, replacement, absence)
        change.replacement_teacher, change.cancelled, change.notified_at = replacement, cancelled, None
        change.save(update_fields=["replacement_teacher", "cancelled", "notified_at"])
        changed += 1
        log.append(
            {
                "lesson_id": change.lesson_id,
                "date": change.date.isoformat(),
                "replacement_id": replacement.pk if replacement else None,
            }
        )
    if changed:
        absence.notified_at = None
        absence.save(update_fields=["notified_at"])
        _audit(actor, "timetable.teacher_absence_assigned", absence, {"changes": log})
    return changed


@transaction.atomic
def teacher_absence_notify(*, actor: Actor | None, absence: TeacherAbsence) -> None:
    """Tell the people concerned, once each: every change of the absence they are concerned by,
    in one notification (a task, after the commit)."""
    from tenant_apps.timetable.tasks import teacher_absence_notify_task

    _audit(actor, "timetable.teacher_absence_notified", absence, {"changes": absence.changes.count()})
    absence_id = absence.pk
    transaction.on_commit(
        lambda: teacher_absence_notify_task.apply_async(
            args=(absence_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE
        )
    )


@transaction.atomic
def teacher_absence_delete(*, actor: Actor | None, absence: TeacherAbsence) -> None:
    """The teacher is not absent after all: the changes made for it are removed (a change that
    also moved the lesson or changed its room keeps those)."""
    removed = 0
    for change in absence.changes.all():
        if change.new_date or change.new_start_time or change.new_room_id:
            change.absence, change.absent_teacher, change.replacement_teacher = None, None, None
            change.cancelled = False
            change.save()
        else:
            change.delete()
            removed += 1
    details = {
        "teacher_id": absence.teacher_id,
        "start": absence.start.isoformat(),
        "end": absence.end.isoformat(),
        "changes_removed": removed,
    }
    target = TeacherAbsence(pk=absence.pk)
    absence.delete()
    _audit(actor, "timetable.teacher_absence_deleted", target, details)
