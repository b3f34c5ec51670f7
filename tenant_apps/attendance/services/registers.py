"""Writes of registers: taking (or correcting) one, correcting a mark, recording a late arrival,
reviewing the held absence notices. Each leaves one audit entry (corrections: before → after)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_changes, audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import NotAuthenticated, ValidationFailed
from tenant_apps.attendance.models import (
    AttendanceMark,
    AttendancePolicy,
    LateArrival,
    MarkStatus,
    NoticeState,
    Register,
)
from tenant_apps.attendance.rules import register_is_open
from tenant_apps.attendance.selectors import (
    covered_student_ids,
    late_arrivals_of,
    register_of,
    register_students,
)
from tenant_apps.school.models import Member, SchoolSettings
from tenant_apps.timetable.occurrences import Occurrence


def policy() -> AttendancePolicy:
    found = AttendancePolicy.objects.order_by("pk").first()
    return found if found is not None else AttendancePolicy()


@dataclass(frozen=True)
class MarkIn:
    status: str = MarkStatus.PRESENT
    late_minutes: int = 0


def person_id(actor: Actor | None) -> int:
    """The region-wide id of the person writing: registers, marks and late arrivals are a
    person's doing (the platform takes none)."""
    found = actor_id(actor)
    if found is None:
        raise NotAuthenticated()
    return found


def _audit(actor: Actor | None, action: str, target: Any, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )


def _mark_state(mark: AttendanceMark | None) -> dict[str, Any]:
    return {"status": mark.status, "late_minutes": mark.late_minutes} if mark is not None else {}


def _enqueue_notices(register_ids: list[int]) -> None:
    from tenant_apps.attendance.tasks import absence_notices_send_task

    transaction.on_commit(
        lambda: absence_notices_send_task.apply_async(
            args=(register_ids,), queue=settings.CELERY_TASK_DEFAULT_QUEUE
        )
    )


def _occurrence_key(occurrence: Occurrence) -> dict[str, Any]:
    return (
        {"exceptional_lesson_id": occurrence.exceptional_id}
        if occurrence.exceptional_id is not None
        else {"lesson_id": occurrence.lesson_id, "occurrence_date": occurrence.occurrence_date}
    )


def register_open_check(occurrence: Occurrence) -> None:
    if not register_is_open(occurrence):
        raise ValidationFailed(
            _("The register of this lesson opens on the day of the lesson."), code=ErrorCode.REGISTER_NOT_OPEN
        )


@transaction.atomic
def register_save(*, actor: Actor | None, occurrence: Occurrence, marks: dict[int, MarkIn]) -> Register:
    """Take (or correct) the register of an occurrence of a recurring or an exceptional lesson:
    ``marks`` by student ``Member`` pk; a student not given is present. Newly absent students'
    guardians are told the same day (after review when the establishment asks for it), unless
    the absence was declared or justified. A register opens on the day of its lesson
    (``rules.register_is_open``): one of a later day is refused. The audit entry counts the
    marks and, for a correction, says whose mark changed, before → after.

    A late arrival recorded by school-life staff for this occurrence (``late_arrival_record``)
    turns "present" into "late" with its minutes: the student did arrive late. The teacher may
    still mark them absent, or late with other minutes."""
    taker = person_id(actor)
    if (occurrence.lesson_id is None and occurrence.exceptional_id is None) or not occurrence.takes_place:
        raise ValidationFailed(_("This lesson does not take place."), code=ErrorCode.LESSON_NOT_HELD)
    register_open_check(occurrence)
    students = {m.pk: m for m in register_students(occurrence=occurrence)}
    unknown = set(marks) - set(students)
    if unknown:
        raise ValidationFailed(fields={"marks": [str(_("These students are not in this lesson."))]})
    for entry in marks.values():
        if entry.status not in MarkStatus.values:
            raise ValidationFailed(fields={"marks": [str(_("Unknown status."))]})
        if entry.status == MarkStatus.LATE and not 0 < entry.late_minutes <= 240:
            raise ValidationFailed(fields={"late_minutes": [str(_("Give the minutes late (1 to 240)."))]})
    marks = dict(marks)
    late = dict(late_arrivals_of(occurrence).values_list("student_id", "minutes"))
    for pk, minutes in late.items():
        if pk in students and marks.get(pk, MarkIn()).status == MarkStatus.PRESENT:
            marks[pk] = MarkIn(status=MarkStatus.LATE, late_minutes=minutes)
    now = timezone.now()
    register, created = Register.objects.select_for_update().get_or_create(
        **_occurrence_key(occurrence),
        defaults={
            "occurrence_date": occurrence.occurrence_date,
            "date": occurrence.date,
            "start_time": occurrence.start,
            "end_time": occurrence.end,
            "teacher_id": occurrence.teacher_id,
            "taken_by_id": taker,
            "taken_at": now,
        },
    )
    if not created:
        register.taken_by_id, register.taken_at = taker, now
        register.save(update_fields=["taken_by_id", "taken_at"])
    existing = {} if created else {m.student_id: m for m in register.marks.all()}
    review = bool(SchoolSettings.objects.filter(absence_notification_review=True).exists())
    absent_ids = [pk for pk, e in marks.items() if e.status == MarkStatus.ABSENT]
    covered = covered_student_ids(student_ids=absent_ids, day=occurrence.date) if absent_ids else set()
    create, update, queued = [], [], False
    corrections: dict[str, Any] = {}
    for pk in students:
        entry = marks.get(pk, MarkIn())
        minutes = entry.late_minutes if entry.status == MarkStatus.LATE else 0
        mark = existing.get(pk)
        was_absent = mark is not None and mark.status == MarkStatus.ABSENT
        notice = mark.notice if mark is not None else NoticeState.NONE
        if entry.status == MarkStatus.ABSENT and not was_absent:
            notice = (
                NoticeState.NONE if pk in covered else (NoticeState.HELD if review else NoticeState.QUEUED)
            )
        elif entry.status != MarkStatus.ABSENT and notice in (NoticeState.HELD, NoticeState.QUEUED):
            notice = NoticeState.DISMISSED
        queued = queued or (notice == NoticeState.QUEUED and not was_absent)
        if mark is None:
            create.append(
                AttendanceMark(
                    register=register,
                    student_id=pk,
                    status=entry.status,
                    late_minutes=minutes,
                    date=register.date,
                    start_time=register.start_time,
                    notice=notice,
                    updated_at=now,
                )
            )
        elif (mark.status, mark.late_minutes, mark.notice) != (entry.status, minutes, notice):
            changed = audit_changes(_mark_state(mark), {"status": entry.status, "late_minutes": minutes})
            if changed:
                corrections[str(students[pk].user_id)] = changed
            mark.status, mark.late_minutes, mark.notice, mark.updated_at = entry.status, minutes, notice, now
            update.append(mark)
    AttendanceMark.objects.bulk_create(create)
    AttendanceMark.objects.bulk_update(update, ["status", "late_minutes", "notice", "updated_at"])
    statuses = [marks.get(pk, MarkIn()).status for pk in students]
    _audit(
        actor,
        "attendance.register_taken" if created else "attendance.register_corrected",
        register,
        {
            "occurrence": occurrence.key,
            "date": occurrence.occurrence_date.isoformat(),
            "counts": {status: statuses.count(status) for status in MarkStatus.values},
            "changes": corrections,
        },
    )
    if queued and occurrence.date == timezone.localdate():
        _enqueue_notices([register.pk])
    return register


def _mark_apply(mark: AttendanceMark, *, status: str, late_minutes: int) -> dict[str, Any]:
    """Set one mark (a held or queued absence notice is dropped when no longer absent); what
    changed, before → after."""
    if status not in MarkStatus.values:
        raise ValidationFailed(fields={"status": [str(_("Unknown status."))]})
    if status == MarkStatus.LATE and not 0 < late_minutes <= 240:
        raise ValidationFailed(fields={"late_minutes": [str(_("Give the minutes late (1 to 240)."))]})
    before = _mark_state(mark)
    mark.status = status
    mark.late_minutes = late_minutes if status == MarkStatus.LATE else 0
    if status != MarkStatus.ABSENT and mark.notice in (NoticeState.HELD, NoticeState.QUEUED):
        mark.notice = NoticeState.DISMISSED
    mark.save(update_fields=["status", "late_minutes", "notice", "updated_at"])
    return audit_changes(before, _mark_state(mark))


@transaction.atomic
def mark_set(
    *, actor: Actor | None, mark: AttendanceMark, status: str, late_minutes: int = 0
) -> AttendanceMark:
    """School-life staff correct one mark (e.g. enter a late arrival): one audit entry with the
    mark before → after."""
    person_id(actor)
    changes = _mark_apply(mark, status=status, late_minutes=late_minutes)
    if changes:
        _audit(
            actor,
            "attendance.mark_corrected",
            mark,
            {"student_id": mark.student.user_id, "date": mark.date.isoformat(), "changes": changes},
        )
    return mark


@transaction.atomic
def late_arrival_record(
    *, actor: Actor | None, student: Member, occurrence: Occurrence, minutes: int
) -> LateArrival:
    """School-life staff record that a student arrived late in an occurrence (a lesson of today).

    The rule, whether the register is taken or not:
    - the late arrival is kept (one per student and occurrence: recording it again changes the
      minutes);
    - register taken: the student's mark becomes "late" with these minutes at once (a held or
      queued absence notice is dropped; the audit entry says how the mark changed);
    - register not taken yet: no register and no mark are created, so the lesson stays in
      "registers not taken" until its teacher takes it; the register page shows the student late
      with these minutes, and taking the register records them (``register_save``).
    """
    recorder = person_id(actor)
    if not 0 < minutes <= 240:
        raise ValidationFailed(fields={"minutes": [str(_("Give the minutes late (1 to 240)."))]})
    if (occurrence.lesson_id is None and occurrence.exceptional_id is None) or not occurrence.takes_place:
        raise ValidationFailed(fields={"occurrence": [str(_("This lesson does not take place."))]})
    if not register_students(occurrence=occurrence).filter(pk=student.pk).exists():
        raise ValidationFailed(fields={"occurrence": [str(_("This student is not in this lesson."))]})
    now = timezone.now()
    late, _created = LateArrival.objects.update_or_create(
        student=student,
        **_occurrence_key(occurrence),
        defaults={
            "occurrence_date": occurrence.occurrence_date,
            "date": occurrence.date,
            "start_time": occurrence.start,
            "minutes": minutes,
            "recorded_by_id": recorder,
            "recorded_at": now,
        },
    )
    mark_changes: dict[str, Any] = {}
    register = register_of(occurrence).select_for_update().first()
    if register is not None:
        mark = AttendanceMark.objects.filter(register=register, student=student).first()
        if mark is None:  # joined the class after the register was taken
            AttendanceMark.objects.create(
                register=register,
                student=student,
                status=MarkStatus.LATE,
                late_minutes=minutes,
                date=register.date,
                start_time=register.start_time,
            )
            mark_changes = audit_changes({}, {"status": MarkStatus.LATE, "late_minutes": minutes})
        else:
            mark_changes = _mark_apply(mark, status=MarkStatus.LATE, late_minutes=minutes)
    _audit(
        actor,
        "attendance.late_arrival_recorded",
        late,
        {
            "student_id": student.user_id,
            "occurrence": occurrence.key,
            "minutes": minutes,
            "mark_changes": mark_changes,
        },
    )
    return late


@transaction.atomic
def absence_notices_review(*, actor: Actor | None, mark_ids: list[int], send: bool) -> int:
    """School-life staff release held notices (``send``) or drop them (a mistaken mark)."""
    person_id(actor)
    marks = AttendanceMark.objects.filter(pk__in=mark_ids, notice=NoticeState.HELD, status=MarkStatus.ABSENT)
    reviewed = sorted(marks.values_list("pk", flat=True))
    register_ids = sorted(set(marks.values_list("register_id", flat=True)))
    changed = marks.update(
        notice=NoticeState.QUEUED if send else NoticeState.DISMISSED, updated_at=timezone.now()
    )
    if changed:
        _audit(
            actor,
            "attendance.notices_released" if send else "attendance.notices_dismissed",
            None,
            {"mark_ids": reviewed, "count": changed},
        )
    if send and register_ids:
        _enqueue_notices(register_ids)
    return changed
