"""Homework handed in online: a student hands it in (text and files) until the teacher returns it
with a comment."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.homework.models import Homework, Submission
from tenant_apps.homework.selectors import audience_of_student
from tenant_apps.homework.services.common import acting_member, attachment_store, audit

MAX_TEXT = 20_000


@transaction.atomic
def submission_submit(
    *, actor: Actor | None, homework: Homework, text: str = "", uploads: list[Any] | None = None
) -> Submission:
    """A student of the homework's class or group hands it in (again, until it is returned)."""
    student = acting_member(actor, Role.STUDENT)
    if not Homework.objects.filter(audience_of_student(student), pk=homework.pk).exists():
        raise NotFound()
    if not homework.online_submission:
        raise ValidationFailed(str(_("This homework is not handed in online.")))
    uploads = uploads or []
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(fields={"text": [str(_("At most 20,000 characters."))]})
    submission = Submission.objects.select_for_update().filter(homework=homework, student=student).first()
    if submission is not None and submission.returned_at is not None:
        raise Conflict(_("This homework was already returned."), code=ErrorCode.ALREADY_DECIDED)
    if not text and not uploads and (submission is None or not submission.attachments.exists()):
        raise ValidationFailed(fields={"text": [str(_("Write something or attach a file."))]})
    if submission is None:
        submission = Submission.objects.create(
            homework=homework, student=student, text=text, submitted_at=timezone.now()
        )
    else:
        submission.text = text or submission.text
        submission.submitted_at = timezone.now()
        submission.save(update_fields=["text", "submitted_at"])
    for upload in uploads:
        attachment_store(owner={"submission": submission}, upload=upload, added_by=actor_id(actor))
    audit(
        actor,
        "homework.submitted",
        submission,
        {"homework_id": homework.pk, "files": len(uploads), "late": timezone.localdate() > homework.due_on},
    )
    return submission


@transaction.atomic
def submission_return(*, actor: Actor | None, submission: Submission, comment: str) -> Submission:
    """The teacher who set the homework returns what was handed in, with a comment."""
    member = acting_member(actor, Role.TEACHER)
    if submission.homework.teacher_id != member.pk:
        raise NotFound()
    comment = comment.strip()
    if not comment:
        raise ValidationFailed(fields={"comment": [str(_("Write a comment for the student."))]})
    if len(comment) > MAX_TEXT:
        raise ValidationFailed(fields={"comment": [str(_("At most 20,000 characters."))]})
    before = {"comment": submission.comment, "returned": submission.returned_at is not None}
    submission.comment = comment
    submission.returned_at = timezone.now()
    submission.save(update_fields=["comment", "returned_at"])
    audit(
        actor,
        "homework.returned",
        submission,
        {"homework_id": submission.homework_id, "student_id": submission.student.user_id, "before": before},
    )
    return submission
