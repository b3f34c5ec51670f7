"""What the notebook's services share: the acting member, the audit entry, the rule that a
teacher writes only for the lessons they teach, and the attachments' checks."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from mbn_platform.kernel.uploads import safe_file_name, upload_kind
from tenant_apps.homework.models import Attachment
from tenant_apps.homework.selectors import teaches
from tenant_apps.school.models import Member
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.occurrences import Occurrence
from tenant_apps.timetable.selectors import lesson_occurrence

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10


def acting_member(actor: Actor | None, role: str) -> Member:
    """The member acting here, who must hold ``role``."""
    user_id = actor_id(actor)
    if user_id is None:
        raise NotAuthenticated()
    member = Member.objects.filter(user_id=user_id, is_active=True).first()
    if member is None or role not in (member.roles or []):
        raise PermissionDenied()
    return member


def audit(actor: Actor | None, action: str, target: models.Model, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )


def lesson_taught(member: Member, lesson: Lesson, day: datetime.date, field: str = "lesson_id") -> Occurrence:
    """The occurrence of a lesson the member teaches on ``day`` (a lesson they do not teach: 404;
    a day the lesson is not planned: 400 naming ``date``)."""
    if not teaches(member, lesson, day):
        raise NotFound()
    occurrence = lesson_occurrence(lesson_id=lesson.pk, day=day)
    if occurrence is None:
        raise ValidationFailed(fields={"date": [str(_("This lesson does not take place on this day."))]})
    return occurrence


def attachment_store(
    *, owner: dict[str, Any], upload: Any, added_by: int | None, field: str = "file"
) -> Attachment:
    """Check an upload (size, type told by its content) and store it under the establishment's
    prefix, as an attachment of ``owner`` (``{"entry": …}``, ``{"homework": …}`` or
    ``{"submission": …}``)."""
    kind = upload_kind(upload, field=field, max_bytes=MAX_ATTACHMENT_BYTES)
    ((owner_field, owner_object),) = owner.items()
    if Attachment.objects.filter(**{owner_field: owner_object}).count() >= MAX_ATTACHMENTS:
        raise ValidationFailed(
            fields={field: [str(_("At most %(count)d files.") % {"count": MAX_ATTACHMENTS})]}
        )
    name = safe_file_name(getattr(upload, "name", ""), kind.extension)
    attachment = Attachment(
        name=name, size=upload.size, content_type=kind.content_type, added_by_id=added_by, **owner
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def attachment_copy(attachment: Attachment, owner: dict[str, Any], added_by: int | None) -> Attachment:
    """A copy of an attachment's file for another owner (a lesson's content copied to a group)."""
    with attachment.file.open("rb") as handle:
        content = ContentFile(handle.read(), name=attachment.name)
    copy = Attachment(
        name=attachment.name,
        size=attachment.size,
        content_type=attachment.content_type,
        added_by_id=added_by,
        **owner,
    )
    copy.file.save(attachment.name, content, save=False)
    copy.save()
    return copy
