"""Writes of the homework notebook (the caller selects the schema): ``entries`` (what was done in
a lesson, its files, a copy to another group), ``homework`` (set, files, withdrawn, ticked done),
``submissions`` (handed in online, returned with a comment). Every write takes ``actor`` and
leaves one audit entry (``homework.…``)."""

from __future__ import annotations

from tenant_apps.homework.services.entries import (
    attachment_remove,
    lesson_entry_attach,
    lesson_entry_copy,
    lesson_entry_save,
)
from tenant_apps.homework.services.homework import (
    homework_attach,
    homework_delete,
    homework_done_set,
    homework_set,
    next_lesson_date,
)
from tenant_apps.homework.services.submissions import submission_return, submission_submit

__all__ = [
    "attachment_remove",
    "homework_attach",
    "homework_delete",
    "homework_done_set",
    "homework_set",
    "lesson_entry_attach",
    "lesson_entry_copy",
    "lesson_entry_save",
    "next_lesson_date",
    "submission_return",
    "submission_submit",
]
