"""What attendance adds to the pages of the apps below it, at start-up (``apps.py``): its entries
in the school's navigation, and the "Register" link next to each lesson of the timetable's week
pages. The school and timetable apps import nothing of attendance."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tenant_apps.attendance.permissions import (
    ATTENDANCE_STAFF,
    EXEMPTION_READERS,
    GUARDIANS,
    REGISTER_TAKERS,
    SETTINGS_MANAGERS,
    STATISTICS_READERS,
    STUDENTS,
)
from tenant_apps.attendance.rules import register_is_open
from tenant_apps.school.navigation import NavEntry, navigation_register
from tenant_apps.timetable.occurrences import Occurrence
from tenant_apps.timetable.week_links import OccurrenceLink, occurrence_link_register


def register_navigation() -> None:
    navigation_register(
        NavEntry(_("My attendance"), "attendance-mine", STUDENTS, order=20),
        NavEntry(_("Absences"), "attendance-family", GUARDIANS, order=30),
        NavEntry(_("Attendance follow-up"), "attendance-follow-up", ATTENDANCE_STAFF, order=40),
        NavEntry(_("Lateness"), "attendance-lateness", ATTENDANCE_STAFF, order=50),
        NavEntry(_("Absences of whole days"), "attendance-absences", ATTENDANCE_STAFF, order=51),
        NavEntry(_("EPS exemptions"), "attendance-exemptions", EXEMPTION_READERS, order=52),
        NavEntry(_("Infirmary"), "attendance-infirmary", ATTENDANCE_STAFF, order=53),
        NavEntry(_("Absenteeism report"), "attendance-threshold", ATTENDANCE_STAFF, order=54),
        NavEntry(_("Attendance statistics"), "attendance-statistics", STATISTICS_READERS, order=60),
        NavEntry(_("Attendance settings"), "attendance-settings", SETTINGS_MANAGERS, order=95),
    )


def register_url(occurrence: Occurrence) -> str | None:
    """The register page of a lesson that takes place, from its day on (None for a cancelled or
    moved-away one, or one of a later day: its register is not open yet)."""
    if not occurrence.takes_place or not register_is_open(occurrence):
        return None
    if occurrence.lesson_id is not None:
        return reverse(
            "attendance-register", args=[occurrence.lesson_id, occurrence.occurrence_date.isoformat()]
        )
    if occurrence.exceptional_id is not None:
        return reverse("attendance-register-exceptional", args=[occurrence.exceptional_id])
    return None


def register_links() -> None:
    occurrence_link_register(
        OccurrenceLink(
            name="attendance-register", label=_("Register"), roles=REGISTER_TAKERS, url=register_url
        )
    )
