"""Writes of the timetable (the caller selects the schema), one module per concern: ``lessons``
(recurring lessons), ``changes`` (one-off changes, with the notification of the people concerned,
and exceptional lessons), ``holidays``, ``feeds`` (calendar feed tokens), ``imports`` (timetable
files). Every write takes ``actor`` (``mbn_platform.kernel.actors``) and leaves one audit entry
(``timetable.…``; an edit records what changed, before → after). Slots are checked by
``slots.slot_validate``, one rule for recurring and exceptional lessons."""

from __future__ import annotations

from tenant_apps.timetable.services.changes import (
    exceptional_lesson_create,
    exceptional_lesson_delete,
    exceptional_lesson_update,
    lesson_change_delete,
    lesson_change_set,
)
from tenant_apps.timetable.services.feeds import ical_token_create, ical_token_revoke, ical_token_user
from tenant_apps.timetable.services.holidays import holiday_create, holiday_delete, holiday_update
from tenant_apps.timetable.services.imports import timetable_import_apply, timetable_import_preview
from tenant_apps.timetable.services.lessons import lesson_create, lesson_delete, lesson_end, lesson_update
from tenant_apps.timetable.services.substitutions import (
    Assignment,
    teacher_absence_assign,
    teacher_absence_delete,
    teacher_absence_notify,
    teacher_absence_record,
)

__all__ = [
    "Assignment",
    "exceptional_lesson_create",
    "exceptional_lesson_delete",
    "exceptional_lesson_update",
    "holiday_create",
    "holiday_delete",
    "holiday_update",
    "ical_token_create",
    "ical_token_revoke",
    "ical_token_user",
    "lesson_change_delete",
    "lesson_change_set",
    "lesson_create",
    "lesson_delete",
    "lesson_end",
    "lesson_update",
    "teacher_absence_assign",
    "teacher_absence_delete",
    "teacher_absence_notify",
    "teacher_absence_record",
    "timetable_import_apply",
    "timetable_import_preview",
]
