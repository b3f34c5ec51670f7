"""Telling the people concerned by a lesson change (its students, their guardians, the teachers),
through the notification service (type ``lesson_change``), and who they are."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.school.models import Member
from tenant_apps.timetable.models import Lesson, LessonChange
from tenant_apps.timetable.occurrences import Occurrence, occurrence_apply_change, occurrence_of_lesson


def guardians_of(*, child_user_ids: set[int]) -> dict[int, set[int]]:
    from shared_apps.identity.models import GuardianLink

    found: dict[int, set[int]] = {}
    for guardian_id, child_id in GuardianLink.objects.filter(child_id__in=child_user_ids).values_list(
        "guardian_id", "child_id"
    ):
        found.setdefault(child_id, set()).add(guardian_id)
    return found


def people_concerned(*, lesson: Lesson, extra_user_ids: set[int]) -> set[int]:
    """The user ids of a lesson's students, their guardians, its teacher and ``extra_user_ids``."""
    class_ids = [lesson.school_class_id] if lesson.school_class_id else []
    group_ids = [lesson.group_id] if lesson.group_id else []
    co_teachers: list[int] = []
    if lesson.has_participants:
        for teacher, school_class, group in lesson.participants.values_list(
            "teacher__user_id", "school_class_id", "group_id"
        ):
            co_teachers += [teacher] if teacher else []
            class_ids += [school_class] if school_class else []
            group_ids += [group] if group else []
    students = Member.objects.filter(is_active=True).filter(
        Q(school_class_id__in=class_ids) | Q(teaching_groups__in=group_ids)
    )
    student_ids = set(students.values_list("user_id", flat=True))
    user_ids = student_ids | {lesson.teacher.user_id} | set(co_teachers) | extra_user_ids
    for guardians in guardians_of(child_user_ids=student_ids).values():
        user_ids |= guardians
    return user_ids


def _change_what(occ: Occurrence) -> Text:
    """What became of the occurrence, in the reader's words (cancelled, moved, room, teacher)."""
    if occ.cancelled:
        return Text(gettext_noop("cancelled"))
    parts: list[Text] = []
    if occ.moved_from:
        parts.append(Text(gettext_noop("moved to %(date)s %(time)s"), date=occ.date, time=occ.start))
    if occ.room_changed:
        parts.append(Text(gettext_noop("in room %(room)s"), room=str(occ.room)))
    if occ.replaced:
        parts.append(Text(gettext_noop("taught by %(teacher)s"), teacher=str(occ.teacher)))
    slots = ", ".join(f"%(p{n})s" for n in range(len(parts)))
    return Text(slots, **{f"p{n}": part for n, part in enumerate(parts)})


def lesson_change_notification_send(*, change_id: int) -> int:
    """Notify the change to its students, their guardians and the teachers (through the
    notification service); returns the number of people told."""
    with transaction.atomic():
        change = (
            LessonChange.objects.select_for_update(of=("self",))
            .select_related("lesson__subject", "lesson__teacher", "lesson__room", "lesson__school_class")
            .select_related("lesson__group", "new_room", "replacement_teacher")
            .filter(pk=change_id, notified_at__isnull=True)
            .first()
        )
        if change is None:
            return 0
        lesson = change.lesson
        occ = occurrence_apply_change(occurrence_of_lesson(lesson, change.date), change)
        extra = {change.replacement_teacher.user_id} if change.replacement_teacher is not None else set()
        user_ids = people_concerned(lesson=lesson, extra_user_ids=extra)
        body = Text(
            gettext_noop("%(subject)s (%(audience)s) of %(date)s at %(time)s: %(what)s."),
            subject=str(occ.subject),
            audience=str(occ.audience),
            date=change.date,
            time=lesson.start_time,
            what=_change_what(occ),
        )
        if change.note:
            body = Text("%(body)s\n%(note)s", body=body, note=change.note)
        notified = notify(
            actor=None,
            type=NotificationType.LESSON_CHANGE,
            recipients=user_ids,
            title=Text(
                gettext_noop("Timetable change: %(subject)s on %(date)s"),
                subject=str(occ.subject),
                date=change.date,
            ),
            body=body,
            link="/timetable/",
        )
        change.notified_at = timezone.now()
        change.save(update_fields=["notified_at"])
    return notified.recipients


def lesson_change_undone_notification_send(
    *, lesson_id: int, day: datetime.date, extra_user_ids: Iterable[int] = ()
) -> int:
    """Tell the people concerned that a change was undone: the lesson of ``day`` takes place as
    planned. Nothing is sent when a new change of that occurrence exists meanwhile (its own
    notice goes out) or the lesson is gone. Returns the number of people told."""
    lesson = (
        Lesson.objects.select_related("subject", "teacher", "room", "school_class", "group")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or LessonChange.objects.filter(lesson_id=lesson_id, date=day).exists():
        return 0
    occ = occurrence_of_lesson(lesson, day)
    with transaction.atomic():
        notified = notify(
            actor=None,
            type=NotificationType.LESSON_CHANGE,
            recipients=people_concerned(lesson=lesson, extra_user_ids=set(extra_user_ids)),
            title=Text(
                gettext_noop("Timetable: %(subject)s on %(date)s takes place as planned"),
                subject=str(occ.subject),
                date=day,
            ),
            body=Text(
                gettext_noop(
                    "%(subject)s (%(audience)s) of %(date)s at %(time)s takes place as planned: "
                    "the change announced is cancelled."
                ),
                subject=str(occ.subject),
                audience=str(occ.audience),
                date=day,
                time=occ.start,
            ),
            link="/timetable/",
        )
    return notified.recipients
