"""Writes of absences declared ahead and of justifications (pending → accepted | refused). Each
leaves one audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from shared_apps.identity.family_news import family_news_forget
from tenant_apps.attendance.models import (
    AbsenceDeclaration,
    AttendanceMark,
    Justification,
    JustificationStatus,
    NoticeState,
)
from tenant_apps.attendance.services.registers import person_id
from tenant_apps.school.models import Member

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


def _audit(actor: Actor | None, action: str, target: Any, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )


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
    actor: Actor | None,
    student: Member,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    comment: str = "",
) -> AbsenceDeclaration:
    """A guardian (who may act for the child) declares an absence ahead; it becomes a pending
    justification of those days for school-life staff to decide."""
    guardian = person_id(actor)
    _guardian_may_act(guardian_user_id=guardian, student=student)
    _dates(start, end)
    declaration = AbsenceDeclaration.objects.create(
        student=student, start=start, end=end, reason=reason, comment=comment, declared_by_id=guardian
    )
    Justification.objects.create(
        student=student,
        start=start,
        end=end,
        reason=reason,
        comment=comment,
        declaration=declaration,
        submitted_by_id=guardian,
    )
    family_news_forget(guardian_user_id=guardian)  # the absences to justify, on the family view
    _audit(
        actor,
        "attendance.absence_declared",
        declaration,
        {"student_id": student.user_id, "start": start.isoformat(), "end": end.isoformat(), "reason": reason},
    )
    return declaration


def attachment_extension(attachment: UploadedFile) -> str:
    """The extension of an accepted attachment, told by its first bytes (its name and declared
    type are the sender's word); a file too large or of another type is a ValidationFailed."""
    if attachment.size is not None and attachment.size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(fields={"attachment": [str(_("The file is too large (5 MB at most)."))]})
    head = attachment.read(8)
    attachment.seek(0)
    for magic, extension in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            return extension
    raise ValidationFailed(fields={"attachment": [str(_("Send a PDF, PNG or JPEG file."))]})


@transaction.atomic
def justification_submit(
    *,
    actor: Actor | None,
    student: Member,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    comment: str = "",
    attachment: UploadedFile | None = None,
) -> Justification:
    """A guardian justifies recorded absences (reason, comment, an optional attachment)."""
    guardian = person_id(actor)
    _guardian_may_act(guardian_user_id=guardian, student=student)
    _dates(start, end)
    justification = Justification(
        student=student, start=start, end=end, reason=reason, comment=comment, submitted_by_id=guardian
    )
    if attachment is not None:
        ext = attachment_extension(attachment)
        justification.attachment.save(f"{student.pk}-{start.isoformat()}.{ext}", attachment, save=False)
    justification.save()
    family_news_forget(guardian_user_id=guardian)  # the absences to justify, on the family view
    _audit(
        actor,
        "attendance.justification_submitted",
        justification,
        {
            "student_id": student.user_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "reason": reason,
            "attachment": attachment is not None,
        },
    )
    return justification


@transaction.atomic
def justification_decide(
    *, actor: Actor | None, justification: Justification, accept: bool, comment: str = ""
) -> Justification:
    """School-life staff accept or refuse a pending justification (refused: the guardian may
    send another). Accepting drops the notices not yet sent for the days it covers."""
    decider = person_id(actor)
    locked = Justification.objects.select_for_update().get(pk=justification.pk)
    if locked.status != JustificationStatus.PENDING:
        raise Conflict(_("This justification was already decided."), code=ErrorCode.ALREADY_DECIDED)
    locked.status = JustificationStatus.ACCEPTED if accept else JustificationStatus.REFUSED
    locked.decided_by_id, locked.decided_at, locked.decision_comment = decider, timezone.now(), comment
    locked.save(update_fields=["status", "decided_by_id", "decided_at", "decision_comment"])
    if accept:
        AttendanceMark.objects.filter(
            student_id=locked.student_id,
            date__range=(locked.start, locked.end),
            notice__in=[NoticeState.HELD, NoticeState.QUEUED],
        ).update(notice=NoticeState.DISMISSED)
    _audit(
        actor,
        "attendance.justification_decided",
        locked,
        {"student_id": locked.student.user_id, "accepted": accept},
    )
    return locked
