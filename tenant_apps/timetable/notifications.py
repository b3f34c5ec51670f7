"""E-mails to the people concerned by a lesson change (the notifications issue will route these
through the person's preferred channels)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenant_apps.school.models import Member
from tenant_apps.timetable.models import Lesson, LessonChange
from tenant_apps.timetable.occurrences import occurrence_apply_change, occurrence_of_lesson


def people_emails(*, user_ids: set[int]) -> list[tuple[str, str]]:
    """(e-mail, language) of these region-wide users (the public user table, read by id)."""
    from shared_apps.identity.models import User

    return list(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .values_list("email", "language")
    )


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


def lesson_change_notification_send(*, change_id: int) -> int:
    """Send the change to its students, their guardians and the teachers; returns the e-mail count."""
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
        sent = 0
        for email, language in people_emails(user_ids=user_ids):
            with translation.override(language or "fr"):
                if occ.cancelled:
                    what = _("cancelled")
                else:
                    parts = []
                    if occ.moved_from:
                        parts.append(
                            _("moved to %(date)s %(time)s") % {"date": occ.date, "time": f"{occ.start:%H:%M}"}
                        )
                    if occ.room_changed:
                        parts.append(_("in room %(room)s") % {"room": occ.room})
                    if occ.replaced:
                        parts.append(_("taught by %(teacher)s") % {"teacher": occ.teacher})
                    what = ", ".join(parts)
                subject = _("Timetable change: %(subject)s on %(date)s") % {
                    "subject": occ.subject,
                    "date": change.date,
                }
                body = _("%(subject)s (%(audience)s) of %(date)s at %(time)s: %(what)s.") % {
                    "subject": occ.subject,
                    "audience": occ.audience,
                    "date": change.date,
                    "time": f"{lesson.start_time:%H:%M}",
                    "what": what,
                }
                if change.note:
                    body += "\n" + change.note
            send_mail(subject, body, None, [email])
            sent += 1
        change.notified_at = timezone.now()
        change.save(update_fields=["notified_at"])
    return sent


def lesson_change_undone_notification_send(
    *, lesson_id: int, day: datetime.date, extra_user_ids: Iterable[int] = ()
) -> int:
    """Tell the people concerned that a change was undone: the lesson of ``day`` takes place as
    planned. Nothing is sent when a new change of that occurrence exists meanwhile (its own
    notice goes out) or the lesson is gone. Returns the e-mail count."""
    lesson = (
        Lesson.objects.select_related("subject", "teacher", "room", "school_class", "group")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or LessonChange.objects.filter(lesson_id=lesson_id, date=day).exists():
        return 0
    occ = occurrence_of_lesson(lesson, day)
    sent = 0
    for email, language in people_emails(
        user_ids=people_concerned(lesson=lesson, extra_user_ids=set(extra_user_ids))
    ):
        with translation.override(language or "fr"):
            subject = _("Timetable: %(subject)s on %(date)s takes place as planned") % {
                "subject": occ.subject,
                "date": day,
            }
            body = _(
                "%(subject)s (%(audience)s) of %(date)s at %(time)s takes place as planned: "
                "the change announced is cancelled."
            ) % {
                "subject": occ.subject,
                "audience": occ.audience,
                "date": day,
                "time": f"{occ.start:%H:%M}",
            }
        send_mail(subject, body, None, [email])
        sent += 1
    return sent
