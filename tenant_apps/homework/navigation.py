"""What the notebook adds, at start-up (``apps.py``), to the pages of the apps below it: its entry
in the school's navigation, a "Notebook" link next to each lesson a teacher sees on the week
pages, and the homework due under each day of a student's week."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.permissions import ANY_MEMBER
from tenant_apps.homework.permissions import NOTEBOOK_WRITERS
from tenant_apps.homework.selectors import homework_of_student
from tenant_apps.school.models import Member
from tenant_apps.school.navigation import NavEntry, navigation_register
from tenant_apps.timetable.occurrences import Occurrence
from tenant_apps.timetable.week_links import OccurrenceLink, occurrence_link_register, week_day_notes_register


def register_navigation() -> None:
    navigation_register(NavEntry(gettext_lazy("Homework"), "homework-home", ANY_MEMBER, order=15))


def notebook_url(occurrence: Occurrence) -> str | None:
    if occurrence.lesson_id is None or occurrence.cancelled:
        return None
    return reverse("homework-lesson", args=[occurrence.lesson_id, occurrence.occurrence_date.isoformat()])


def homework_due(
    student: Member, start: datetime.date, end: datetime.date
) -> dict[datetime.date, list[tuple[str, str]]]:
    """The homework a student has due each day of [start, end] (one query)."""
    found: dict[datetime.date, list[tuple[str, str]]] = {}
    for homework in homework_of_student(student=student, start=start, end=end):
        done = _(" (done)") if getattr(homework, "is_done", False) else ""
        text = _("Homework due: %(subject)s%(done)s") % {"subject": homework.subject.name, "done": done}
        found.setdefault(homework.due_on, []).append((text, reverse("homework-detail", args=[homework.pk])))
    return found


def register_links() -> None:
    occurrence_link_register(
        OccurrenceLink("homework-notebook", gettext_lazy("Notebook"), NOTEBOOK_WRITERS, notebook_url)
    )
    week_day_notes_register("homework", homework_due)
