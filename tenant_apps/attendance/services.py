"""Writes of attendance: registers, lateness, the same-day notice to guardians (with an optional
review), declarations ahead and justifications (pending → accepted | refused)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from tenant_apps.attendance.models import (
    AbsenceDeclaration,
    AttendanceMark,
    AttendancePolicy,
    Justification,
    JustificationStatus,
    LateArrival,
    MarkStatus,
    NoticeState,
    Register,
)
from tenant_apps.attendance.selectors import (
    REGISTER_SUBJECT,
    covered_student_ids,
    late_arrivals_of,
    register_of,
    register_students,
)
from tenant_apps.school.models import Member, SchoolSettings
from tenant_apps.timetable.selectors import Occurrence

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


def policy() -> AttendancePolicy:
    found = AttendancePolicy.objects.order_by("pk").first()
    return found if found is not None else AttendancePolicy()


@dataclass(frozen=True)
class MarkIn:
    status: str = MarkStatus.PRESENT
    late_minutes: int = 0


def _enqueue_notices(register_ids: list[int]) -> None:
    from tenant_apps.attendance.tasks import absence_notices_send_task

    transaction.on_commit(
        lambda: absence_notices_send_task.apply_async(
            args=(register_ids,), queue=settings.CELERY_TASK_DEFAULT_QUEUE
        )
    )


@transaction.atomic
def register_save(*, actor_id: int, occurrence: Occurrence, marks: dict[int, MarkIn]) -> Register:
    """Take (or correct) the register of an occurrence of a recurring or an exceptional lesson:
    ``marks`` by student ``Member`` pk; a student not given is present. Newly absent students'
    guardians are told the same day (after review when the establishment asks for it), unless
    the absence was declared or justified.

    A late arrival recorded by school-life staff for this occurrence (``late_arrival_record``)
    turns "present" into "late" with its minutes: the student did arrive late. The teacher may
    still mark them absent, or late with other minutes."""
    if (occurrence.lesson_id is None and occurrence.exceptional_id is None) or not occurrence.takes_place:
        raise ValidationFailed(_("This lesson does not take place."), code=ErrorCode.LESSON_NOT_HELD)
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
    key = (
        {"exceptional_lesson_id": occurrence.exceptional_id}
        if occurrence.exceptional_id is not None
        else {"lesson_id": occurrence.lesson_id, "occurrence_date": occurrence.occurrence_date}
    )
    register, created = Register.objects.select_for_update().get_or_create(
        **key,
        defaults={
            "occurrence_date": occurrence.occurrence_date,
            "date": occurrence.date,
            "start_time": occurrence.start,
            "end_time": occurrence.end,
            "teacher_id": occurrence.teacher_id,
            "taken_by_id": actor_id,
            "taken_at": now,
        },
    )
    if not created:
        register.taken_by_id, register.taken_at = actor_id, now
        register.save(update_fields=["taken_by_id", "taken_at"])
    existing = {} if created else {m.student_id: m for m in register.marks.all()}
    review = bool(SchoolSettings.objects.filter(absence_notification_review=True).exists())
    absent_ids = [pk for pk, e in marks.items() if e.status == MarkStatus.ABSENT]
    covered = covered_student_ids(student_ids=absent_ids, day=occurrence.date) if absent_ids else set()
    create, update, queued = [], [], False
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
            mark.status, mark.late_minutes, mark.notice, mark.updated_at = entry.status, minutes, notice, now
            update.append(mark)
    AttendanceMark.objects.bulk_create(create)
    AttendanceMark.objects.bulk_update(update, ["status", "late_minutes", "notice", "updated_at"])
    if queued and occurrence.date == timezone.localdate():
        _enqueue_notices([register.pk])
    return register


@transaction.atomic
def mark_set(*, actor_id: int, mark: AttendanceMark, status: str, late_minutes: int = 0) -> AttendanceMark:
    """School-life staff correct one mark (e.g. enter a late arrival)."""
    if status not in MarkStatus.values:
        raise ValidationFailed(fields={"status": [str(_("Unknown status."))]})
    if status == MarkStatus.LATE and not 0 < late_minutes <= 240:
        raise ValidationFailed(fields={"late_minutes": [str(_("Give the minutes late (1 to 240)."))]})
    mark.status = status
    mark.late_minutes = late_minutes if status == MarkStatus.LATE else 0
    if status != MarkStatus.ABSENT and mark.notice in (NoticeState.HELD, NoticeState.QUEUED):
        mark.notice = NoticeState.DISMISSED
    mark.save(update_fields=["status", "late_minutes", "notice", "updated_at"])
    return mark


@transaction.atomic
def late_arrival_record(
    *, actor_id: int, student: Member, occurrence: Occurrence, minutes: int
) -> LateArrival:
    """School-life staff record that a student arrived late in an occurrence (a lesson of today).

    The rule, whether the register is taken or not:
    - the late arrival is kept (one per student and occurrence: recording it again changes the
      minutes);
    - register taken: the student's mark becomes "late" with these minutes at once (``mark_set``;
      a held or queued absence notice is dropped);
    - register not taken yet: no register and no mark are created, so the lesson stays in
      "registers not taken" until its teacher takes it; the register page shows the student late
      with these minutes, and taking the register records them (``register_save``).
    """
    if not 0 < minutes <= 240:
        raise ValidationFailed(fields={"minutes": [str(_("Give the minutes late (1 to 240)."))]})
    if (occurrence.lesson_id is None and occurrence.exceptional_id is None) or not occurrence.takes_place:
        raise ValidationFailed(fields={"occurrence": [str(_("This lesson does not take place."))]})
    if not register_students(occurrence=occurrence).filter(pk=student.pk).exists():
        raise ValidationFailed(fields={"occurrence": [str(_("This student is not in this lesson."))]})
    now = timezone.now()
    key = (
        {"exceptional_lesson_id": occurrence.exceptional_id}
        if occurrence.exceptional_id is not None
        else {"lesson_id": occurrence.lesson_id, "occurrence_date": occurrence.occurrence_date}
    )
    late, _created = LateArrival.objects.update_or_create(
        student=student,
        **key,
        defaults={
            "occurrence_date": occurrence.occurrence_date,
            "date": occurrence.date,
            "start_time": occurrence.start,
            "minutes": minutes,
            "recorded_by_id": actor_id,
            "recorded_at": now,
        },
    )
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
        else:
            mark_set(actor_id=actor_id, mark=mark, status=MarkStatus.LATE, late_minutes=minutes)
    return late


@transaction.atomic
def absence_notices_review(*, actor_id: int, mark_ids: list[int], send: bool) -> int:
    """School-life staff release held notices (``send``) or drop them (a mistaken mark)."""
    marks = AttendanceMark.objects.filter(pk__in=mark_ids, notice=NoticeState.HELD, status=MarkStatus.ABSENT)
    register_ids = sorted(set(marks.values_list("register_id", flat=True)))
    changed = marks.update(
        notice=NoticeState.QUEUED if send else NoticeState.DISMISSED, updated_at=timezone.now()
    )
    if send and register_ids:
        _enqueue_notices(register_ids)
    return changed


def absence_notices_send(*, register_ids: list[int]) -> int:
    """E-mail each linked guardian of the students whose absence is queued in these registers;
    idempotent (a mark is sent once: ``notice`` becomes ``sent`` in the same transaction)."""
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext

    from tenant_apps.timetable.notifications import guardians_of, people_emails

    sent = 0
    with transaction.atomic():
        marks = list(
            AttendanceMark.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(register_id__in=register_ids, notice=NoticeState.QUEUED, status=MarkStatus.ABSENT)
            .select_related("student", *REGISTER_SUBJECT)
        )
        if not marks:
            return 0
        guardians = guardians_of(child_user_ids={m.student.user_id for m in marks})
        for mark in marks:
            emails = people_emails(user_ids=guardians.get(mark.student.user_id, set()))
            for email, language in emails:
                with translation.override(language or "fr"):
                    subject = gettext("Absence of %(name)s") % {"name": mark.student.display_name}
                    body = gettext(
                        "%(name)s was marked absent on %(date)s at %(time)s (%(subject)s). "
                        "Please justify this absence in the school's space."
                    ) % {
                        "name": mark.student.display_name,
                        "date": mark.date,
                        "time": f"{mark.start_time:%H:%M}",
                        "subject": mark.register.subject_name,
                    }
                send_mail(subject, body, None, [email])
                sent += 1
        AttendanceMark.objects.filter(pk__in=[m.pk for m in marks]).update(
            notice=NoticeState.SENT, noticed_at=timezone.now()
        )
    return sent


def _guardian_may_act(*, guardian_user_id: int, student: Member) -> None:
    from shared_apps.identity.models import GuardianLink

    if not GuardianLink.objects.filter(
        guardian_id=guardian_user_id, child_id=student.user_id, can_act=True
    ).exists():
        raise NotFound()


def _dates(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if (end - start).days > 366:
        raise ValidationFailed(fields={"end": [str(_("At most one year."))]})


@transaction.atomic
def absence_declare(
    *,
    actor_id: int,
    student: Member,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    comment: str = "",
) -> AbsenceDeclaration:
    """A guardian (who may act for the child) declares an absence ahead; it becomes a pending
    justification of those days for school-life staff to decide."""
    _guardian_may_act(guardian_user_id=actor_id, student=student)
    _dates(start, end)
    declaration = AbsenceDeclaration.objects.create(
        student=student, start=start, end=end, reason=reason, comment=comment, declared_by_id=actor_id
    )
    Justification.objects.create(
        student=student,
        start=start,
        end=end,
        reason=reason,
        comment=comment,
        declaration=declaration,
        submitted_by_id=actor_id,
    )
    return declaration


def _check_attachment(attachment: UploadedFile) -> None:
    if attachment.size is not None and attachment.size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(fields={"attachment": [str(_("The file is too large (5 MB at most)."))]})
    head = attachment.read(8)
    attachment.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES):
        raise ValidationFailed(fields={"attachment": [str(_("Send a PDF, PNG or JPEG file."))]})


@transaction.atomic
def justification_submit(
    *,
    actor_id: int,
    student: Member,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    comment: str = "",
    attachment: UploadedFile | None = None,
) -> Justification:
    """A guardian justifies recorded absences (reason, comment, an optional attachment)."""
    _guardian_may_act(guardian_user_id=actor_id, student=student)
    _dates(start, end)
    justification = Justification(
        student=student, start=start, end=end, reason=reason, comment=comment, submitted_by_id=actor_id
    )
    if attachment is not None:
        _check_attachment(attachment)
        ext = next(v for k, v in ATTACHMENT_TYPES.items() if attachment.read(8).startswith(k))
        attachment.seek(0)
        justification.attachment.save(f"{student.pk}-{start.isoformat()}.{ext}", attachment, save=False)
    justification.save()
    return justification


@transaction.atomic
def justification_decide(
    *, actor_id: int, justification: Justification, accept: bool, comment: str = ""
) -> Justification:
    """School-life staff accept or refuse a pending justification (refused: the guardian may
    send another). Accepting drops the notices not yet sent for the days it covers."""
    locked = Justification.objects.select_for_update().get(pk=justification.pk)
    if locked.status != JustificationStatus.PENDING:
        raise Conflict(_("This justification was already decided."), code=ErrorCode.ALREADY_DECIDED)
    locked.status = JustificationStatus.ACCEPTED if accept else JustificationStatus.REFUSED
    locked.decided_by_id, locked.decided_at, locked.decision_comment = actor_id, timezone.now(), comment
    locked.save(update_fields=["status", "decided_by_id", "decided_at", "decision_comment"])
    if accept:
        AttendanceMark.objects.filter(
            student_id=locked.student_id,
            date__range=(locked.start, locked.end),
            notice__in=[NoticeState.HELD, NoticeState.QUEUED],
        ).update(notice=NoticeState.DISMISSED)
    from mbn_platform.kernel.audit import audit_record

    audit_record(
        actor=SimpleNamespace(pk=actor_id, is_authenticated=True),
        action="attendance.justification_decided",
        establishment=getattr(connection, "tenant", None),
        target=locked,
        details={"student_id": locked.student.user_id, "accepted": accept},
    )
    return locked
