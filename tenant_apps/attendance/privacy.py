"""What attendance holds about students (``mbn_platform.kernel.privacy``): marks, lateness,
declarations and justifications with their attachments. Run in each establishment's schema."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.privacy import ESTABLISHMENT, ExportPart, Processing, privacy_register
from tenant_apps.attendance.models import AttendanceMark, Justification


def _export(user_ids: frozenset[int]) -> list[ExportPart]:
    marks = [
        {"date": str(m.date), "start": str(m.start_time), "status": m.status, "late_minutes": m.late_minutes}
        for m in AttendanceMark.objects.filter(student__user_id__in=user_ids).exclude(status="present")
    ]
    rows, files = [], []
    for j in Justification.objects.filter(student__user_id__in=user_ids):
        rows.append(
            {
                "start": str(j.start),
                "end": str(j.end),
                "reason": j.reason,
                "comment": j.comment,
                "status": j.status,
            }
        )
        if j.attachment:
            with j.attachment.open("rb") as stored:
                files.append(
                    (f"justifications/{j.pk}-{(j.attachment.name or '').rsplit('/', 1)[-1]}", stored.read())
                )
    return [ExportPart("absences", marks), ExportPart("justifications", rows, files)]


def school_year_start(day: datetime.date) -> datetime.date:
    """The first of September that starts the school year of this day."""
    return datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def _purge(now: datetime.datetime) -> int:
    """Attachments of justifications of past school years (the decision and dates stay)."""
    done = 0
    before = school_year_start(now.date())
    for j in Justification.objects.filter(end__lt=before).exclude(attachment=""):
        j.attachment.delete(save=False)
        Justification.objects.filter(pk=j.pk).update(attachment="")
        done += 1
    return done


def register() -> None:
    privacy_register(
        Processing(
            key="attendance.absences",
            name=_("Attendance"),
            purpose=_("Follow students' attendance and the justifications of their absences."),
            legal_basis=_("Legal obligation (compulsory schooling, education code L131-8)."),
            data=[_("absences, lateness, justifications and their attachments")],
            people=[_("students"), _("guardians who justify")],
            recipients=[
                _("the establishment's school-life staff and teachers"),
                _("the student's guardians"),
            ],
            retention=_(
                "Attachments until the end of the school year; the rest while the student is enrolled."
            ),
            scope=ESTABLISHMENT,
            export=_export,
            purge=_purge,
        )
    )
