"""The monthly list the head sends to the academic authorities: the students with at least four
unjustified half-days of absence in the month (the legal threshold, Code de l'éducation
L131-8), counted as the statistics count them (``halfdays.py``, the absences recorded without a
register included)."""

from __future__ import annotations

import calendar
import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from shared_apps.identity.roles import Role
from tenant_apps.attendance.halfdays import Counts
from tenant_apps.attendance.selectors import statistics
from tenant_apps.school.models import Member

LEGAL_THRESHOLD = 4


@dataclass(frozen=True)
class ThresholdRow:
    student: Member
    counts: Counts


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def threshold_list(*, month: datetime.date, threshold: int = LEGAL_THRESHOLD) -> list[ThresholdRow]:
    """The students with ``threshold`` unjustified half-days or more in the month of ``month``,
    by class and name (a fixed number of queries)."""
    start, end = month_bounds(month)
    students = Member.objects.filter(roles__contains=[Role.STUDENT])
    counts = statistics(students=students, start=start, end=end)
    over = [pk for pk, c in counts.items() if c.unjustified >= threshold]
    found = (
        Member.objects.filter(pk__in=over)
        .select_related("school_class")
        .order_by("school_class__name", "display_name", "pk")
    )
    return [ThresholdRow(student, counts[student.pk]) for student in found]


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # CSV injection


def threshold_csv(rows: list[ThresholdRow], *, month: datetime.date) -> str:
    """The list as CSV (semicolons, as French spreadsheets read them)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Month"),
            _("Class"),
            _("Student"),
            _("Unjustified half-days"),
            _("Justified half-days"),
            _("Half-days absent"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                month.strftime("%Y-%m"),
                _cell(row.student.school_class.name if row.student.school_class else ""),
                _cell(row.student.display_name),
                row.counts.unjustified,
                row.counts.justified,
                row.counts.half_days,
            ]
        )
    return out.getvalue()
