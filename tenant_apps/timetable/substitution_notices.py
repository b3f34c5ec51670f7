"""What the people concerned by a teacher's absence are told: one notice per person, listing
every lesson of the absence that concerns them (its students, their guardians, the absent
teacher, the co-teachers, each replacement), rather than one message per lesson."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shared_apps.notifications.service import notify
from shared_apps.notifications.types import NotificationType
from tenant_apps.timetable.models import LessonChange, TeacherAbsence
from tenant_apps.timetable.notifications import people_concerned
from tenant_apps.timetable.occurrences import (
    NO_PARTICIPANTS,
    occurrence_apply_change,
    occurrence_of_lesson,
    participants_of,
)


@dataclass
class AbsenceNotice:
    """One person's notice: the title and one line per lesson that concerns them."""

    user_id: int
    title: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _line(change: LessonChange, participants: object) -> str:
    lesson = change.lesson
    occ = occurrence_apply_change(occurrence_of_lesson(lesson, change.date, participants), change)  # type: ignore[arg-type]
    when = f"{date_format(change.date, 'D j/m')} {lesson.start_time:%H:%M}"
    if occ.cancelled:
        what = _("cancelled")
    elif occ.replaced:
        what = _("taught by %(teacher)s") % {"teacher": occ.teacher}
    else:
        what = _("takes place")
    return f"{when} · {occ.subject} ({occ.audience}): {what}"


def absence_notices(*, absence: TeacherAbsence) -> dict[int, AbsenceNotice]:
    """Each person concerned and their notice (user id → notice), the lessons by date."""
    changes = list(
        absence.changes.select_related(
            "lesson__subject", "lesson__teacher", "lesson__room", "lesson__school_class", "lesson__group"
        )
        .select_related("replacement_teacher", "absent_teacher", "new_room")
        .order_by("date", "lesson__start_time", "pk")
    )
    shared = participants_of([c.lesson for c in changes])
    title = _("Timetable: %(teacher)s absent from %(start)s to %(end)s") % {
        "teacher": absence.teacher.display_name,
        "start": date_format(absence.start, "SHORT_DATE_FORMAT"),
        "end": date_format(absence.end, "SHORT_DATE_FORMAT"),
    }
    notices: dict[int, AbsenceNotice] = {}
    lines: dict[int, list[str]] = defaultdict(list)
    for change in changes:
        extra = {absence.teacher.user_id}
        if change.replacement_teacher is not None:
            extra.add(change.replacement_teacher.user_id)
        line = _line(change, shared.get(change.lesson_id, NO_PARTICIPANTS))
        for user_id in people_concerned(lesson=change.lesson, extra_user_ids=extra):
            lines[user_id].append(line)
    for user_id, found in lines.items():
        notices[user_id] = AbsenceNotice(user_id=user_id, title=title, lines=found)
    return notices


def teacher_absence_notification_send(*, absence_id: int) -> int:
    """Hand each person's notice over, once per version of the absence (its changes unchanged
    since the last notice: ``notified_at``); returns the number of people told."""
    with transaction.atomic():
        absence = (
            TeacherAbsence.objects.select_for_update(of=("self",))
            .select_related("teacher")
            .filter(pk=absence_id, notified_at__isnull=True)
            .first()
        )
        if absence is None:
            return 0
        notices = absence_notices(absence=absence)
        notices_hand_over(absence=absence, notices=list(notices.values()))
        now = timezone.now()
        absence.changes.update(notified_at=now)
        absence.notified_at = now
        absence.save(update_fields=["notified_at"])
    return len(notices)


def notices_hand_over(*, absence: TeacherAbsence, notices: list[AbsenceNotice]) -> None:
    """Give the notices to the notification service (type ``lesson_change``): one event per
    distinct notice of this absence version (people whose lessons are the same share it), each
    person told once. The words are those of the language active when the notice is built (the
    lines carry dates formatted there)."""
    same: dict[tuple[str, str], list[int]] = defaultdict(list)
    for notice in notices:
        same[(notice.title, notice.text)].append(notice.user_id)
    for (title, text), user_ids in same.items():
        notify(
            actor=None,
            type=NotificationType.LESSON_CHANGE,
            recipients=user_ids,
            title=title,
            body=text,
            link="/timetable/",
        )
