"""The notebook's entries: what was done in a lesson (sanitised rich text, links, files), saved by
its teacher, copied to another of their lessons (another group)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlparse

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_changes
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.richtext import rich_text_clean
from shared_apps.identity.roles import Role
from tenant_apps.homework.models import Attachment, Homework, LessonEntry
from tenant_apps.homework.services.common import (
    acting_member,
    attachment_copy,
    attachment_store,
    audit,
    lesson_taught,
)
from tenant_apps.school.models import Member
from tenant_apps.timetable.models import Lesson

MAX_LINKS = 10


def links_clean(links: list[Any]) -> list[dict[str, str]]:
    """Links as ``{"url", "label"}``: http or https addresses only (400 on ``links`` otherwise)."""
    cleaned = []
    for item in links[: MAX_LINKS + 1]:
        url = str(item.get("url", "") if isinstance(item, dict) else item).strip()
        label = str(item.get("label", "") if isinstance(item, dict) else "").strip()[:120]
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
            raise ValidationFailed(fields={"links": [str(_("Enter web addresses starting with https://."))]})
        cleaned.append({"url": url, "label": label or parsed.netloc})
    if len(cleaned) > MAX_LINKS:
        raise ValidationFailed(fields={"links": [str(_("At most %(count)d links.") % {"count": MAX_LINKS})]})
    return cleaned


def entry_for(member: Member, lesson: Lesson, day: datetime.date) -> tuple[LessonEntry, bool]:
    """The entry of a lesson on a day (made, empty, when missing), for a teacher of it."""
    lesson_taught(member, lesson, day)
    audience = {"school_class_id": lesson.school_class_id, "group_id": lesson.group_id}
    entry = LessonEntry.objects.filter(lesson=lesson, date=day, **audience).first()
    if entry is not None:
        return entry, False
    entry = LessonEntry.objects.create(
        lesson=lesson,
        date=day,
        subject_id=lesson.subject_id,
        teacher=member,
        school_class_id=lesson.school_class_id,
        group_id=lesson.group_id,
    )
    return entry, True


@transaction.atomic
def lesson_entry_save(
    *,
    actor: Actor | None,
    lesson: Lesson,
    date: datetime.date,
    title: str,
    content: str,
    links: list[Any] | None = None,
) -> LessonEntry:
    """A teacher of the lesson records what was done in it on ``date`` (content sanitised)."""
    member = acting_member(actor, Role.TEACHER)
    entry, created = entry_for(member, lesson, date)
    before = {"title": entry.title, "content": entry.content, "links": entry.links}
    entry.title = title.strip()[:200]
    entry.content = rich_text_clean(content)
    entry.links = links_clean(links or [])
    entry.save()
    after = {"title": entry.title, "content": entry.content, "links": entry.links}
    details: dict[str, Any] = {"lesson_id": lesson.pk, "date": date.isoformat()}
    details["changes" if not created else "values"] = audit_changes(before, after) if not created else after
    audit(actor, "homework.entry_saved", entry, details)
    return entry


@transaction.atomic
def lesson_entry_attach(*, actor: Actor | None, entry: LessonEntry, upload: Any) -> Attachment:
    member = acting_member(actor, Role.TEACHER)
    if entry.lesson is None:
        raise NotFound()
    lesson_taught(member, entry.lesson, entry.date)
    attachment = attachment_store(owner={"entry": entry}, upload=upload, added_by=actor_id(actor))
    audit(
        actor, "homework.entry_file_added", entry, {"attachment_id": attachment.pk, "name": attachment.name}
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Actor | None, attachment: Attachment) -> None:
    """A teacher removes a file of their entry or homework (the file itself goes with it)."""
    member = acting_member(actor, Role.TEACHER)
    owner = attachment.entry or attachment.homework
    if owner is None or owner.teacher_id != member.pk:
        raise NotFound()
    name, stored = attachment.name, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored) if stored else None)
    audit(actor, "homework.file_removed", owner, {"name": name})


@transaction.atomic
def lesson_entry_copy(
    *, actor: Actor | None, entry: LessonEntry, lesson: Lesson, date: datetime.date
) -> LessonEntry:
    """A teacher copies an entry (content, links, files, and the homework still due after ``date``)
    to another lesson they teach (another group), on one of its days."""
    member = acting_member(actor, Role.TEACHER)
    if entry.teacher_id != member.pk:
        raise NotFound()
    if entry.lesson_id == lesson.pk and entry.date == date:
        raise ValidationFailed(fields={"lesson_id": [str(_("Choose another lesson or another day."))]})
    target, _created = entry_for(member, lesson, date)
    target.title, target.content, target.links = entry.title, entry.content, entry.links
    target.save()
    by = actor_id(actor)
    for attachment in entry.attachments.all():
        attachment_copy(attachment, {"entry": target}, by)
    copied = 0
    for homework in entry.homework.filter(due_on__gt=date).prefetch_related("attachments"):
        new = Homework.objects.create(
            entry=target,
            subject_id=target.subject_id,
            teacher=member,
            school_class_id=target.school_class_id,
            group_id=target.group_id,
            due_on=homework.due_on,
            instructions=homework.instructions,
            estimated_minutes=homework.estimated_minutes,
            online_submission=homework.online_submission,
        )
        for attachment in homework.attachments.all():
            attachment_copy(attachment, {"homework": new}, by)
        copied += 1
    audit(
        actor,
        "homework.entry_copied",
        target,
        {"from_entry_id": entry.pk, "lesson_id": lesson.pk, "date": date.isoformat(), "homework": copied},
    )
    return target
