"""Homework: set by the teacher of a lesson for a later date (or the lesson's next occurrence),
ticked done by its students."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.richtext import rich_text_clean, rich_text_is_empty
from shared_apps.identity.roles import Role
from tenant_apps.homework.models import Attachment, Homework, HomeworkDone
from tenant_apps.homework.selectors import audience_of_student
from tenant_apps.homework.services.common import acting_member, attachment_store, audit, lesson_taught
from tenant_apps.homework.services.entries import entry_for
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.occurrences import Scope, occurrences

MAX_AHEAD_DAYS = 366


def next_lesson_date(lesson: Lesson, after: datetime.date) -> datetime.date | None:
    """The next day (after ``after``, within ten weeks) the lesson takes place."""
    scope = Scope(lessons=Q(pk=lesson.pk), exceptional=Q(pk__in=[]))
    found = occurrences(
        scope=scope, start=after + datetime.timedelta(days=1), end=after + datetime.timedelta(days=70)
    )
    return next((o.date for o in found if o.takes_place and o.lesson_id == lesson.pk), None)


@transaction.atomic
def homework_set(
    *,
    actor: Actor | None,
    lesson: Lesson,
    date: datetime.date,
    instructions: str,
    due_on: datetime.date | None = None,
    for_next_lesson: bool = False,
    estimated_minutes: int | None = None,
    online_submission: bool = False,
) -> Homework:
    """A teacher of the lesson on ``date`` sets homework for its class or group, due on a later
    date (``due_on``) or for the lesson's next occurrence (``for_next_lesson``)."""
    member = acting_member(actor, Role.TEACHER)
    lesson_taught(member, lesson, date)
    if for_next_lesson:
        due_on = next_lesson_date(lesson, date)
        if due_on is None:
            raise ValidationFailed(fields={"due_on": [str(_("This lesson has no next occurrence soon."))]})
    if due_on is None:
        raise ValidationFailed(fields={"due_on": [str(_("Give the day it is due."))]})
    if due_on <= date:
        raise ValidationFailed(fields={"due_on": [str(_("Homework is due after the lesson it is set in."))]})
    if (due_on - date).days > MAX_AHEAD_DAYS:
        raise ValidationFailed(fields={"due_on": [str(_("At most one year ahead."))]})
    cleaned = rich_text_clean(instructions)
    if rich_text_is_empty(cleaned):
        raise ValidationFailed(fields={"instructions": [str(_("Say what is to be done."))]})
    if estimated_minutes is not None and not 1 <= estimated_minutes <= 600:
        raise ValidationFailed(fields={"estimated_minutes": [str(_("Between 1 and 600 minutes."))]})
    entry, _created = entry_for(member, lesson, date)
    homework = Homework.objects.create(
        entry=entry,
        subject_id=entry.subject_id,
        teacher=member,
        school_class_id=entry.school_class_id,
        group_id=entry.group_id,
        due_on=due_on,
        instructions=cleaned,
        estimated_minutes=estimated_minutes,
        online_submission=online_submission,
    )
    audit(
        actor,
        "homework.set",
        homework,
        {
            "entry_id": entry.pk,
            "due_on": due_on.isoformat(),
            "estimated_minutes": estimated_minutes,
            "online_submission": online_submission,
        },
    )
    return homework


def _own(actor: Actor | None, homework: Homework) -> None:
    member = acting_member(actor, Role.TEACHER)
    if homework.teacher_id != member.pk:
        raise NotFound()


@transaction.atomic
def homework_attach(*, actor: Actor | None, homework: Homework, upload: Any) -> Attachment:
    _own(actor, homework)
    attachment = attachment_store(owner={"homework": homework}, upload=upload, added_by=actor_id(actor))
    audit(actor, "homework.file_added", homework, {"attachment_id": attachment.pk, "name": attachment.name})
    return attachment


@transaction.atomic
def homework_delete(*, actor: Actor | None, homework: Homework) -> None:
    """The teacher who set it withdraws a homework (its files and what was handed in go with it)."""
    _own(actor, homework)
    names = [
        a.file.name
        for a in Attachment.objects.filter(Q(homework=homework) | Q(submission__homework=homework))
    ]
    storage = Attachment._meta.get_field("file").storage
    audit(
        actor,
        "homework.deleted",
        homework,
        {"due_on": homework.due_on.isoformat(), "entry_id": homework.entry_id},
    )
    homework.delete()

    def files_delete() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(files_delete)


@transaction.atomic
def homework_done_set(*, actor: Actor | None, homework: Homework, done: bool) -> bool:
    """A student ticks a homework of their class or groups done (or not done any more)."""
    student = acting_member(actor, Role.STUDENT)
    if not Homework.objects.filter(audience_of_student(student), pk=homework.pk).exists():
        raise NotFound()
    if done:
        _mark, created = HomeworkDone.objects.get_or_create(homework=homework, student=student)
        changed = created
    else:
        changed = HomeworkDone.objects.filter(homework=homework, student=student).delete()[0] > 0
    if changed:
        audit(
            actor, "homework.done" if done else "homework.undone", homework, {"student_id": student.user_id}
        )
    return done
