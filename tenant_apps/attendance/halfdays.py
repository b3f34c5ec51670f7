"""Counting absences in half-days, as French schools report them.

A day splits at the establishment's ``AttendancePolicy.half_day_split`` (12:00 by default) into a
morning and an afternoon; a student absent from any lesson of a half-day is absent that half-day
(counted once, however many lessons). A half-day is justified when every absence in it is covered
by an accepted justification.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

MORNING, AFTERNOON = "am", "pm"


@dataclass(frozen=True)
class MarkRow:
    student_id: int
    date: datetime.date
    start_time: datetime.time
    status: str
    late_minutes: int


@dataclass
class Counts:
    half_days: int = 0
    justified: int = 0
    unjustified: int = 0
    late: int = 0
    late_minutes: int = 0


def half_of(start: datetime.time, split: datetime.time) -> str:
    return MORNING if start < split else AFTERNOON


def count(
    *,
    marks: Iterable[MarkRow],
    split: datetime.time,
    justified: dict[int, list[tuple[datetime.date, datetime.date]]],
    recorded: Iterable[tuple[int, datetime.date, str, bool]] = (),
) -> dict[int, Counts]:
    """Counts per student id. ``justified``: each student's accepted date ranges (inclusive).
    ``recorded``: half-days of absences recorded without a register (student id, date, half,
    justified by the staff), counted once with the marks of the same half-day."""
    halves: dict[tuple[int, datetime.date, str], bool] = {}  # → every absence in it justified
    counts: dict[int, Counts] = {}
    for student_id, day, half, staff_justified in recorded:
        counts.setdefault(student_id, Counts())
        covered = staff_justified or any(start <= day <= end for start, end in justified.get(student_id, ()))
        key = (student_id, day, half)
        halves[key] = halves.get(key, True) and covered
    for mark in marks:
        student = counts.setdefault(mark.student_id, Counts())
        if mark.status == "late":
            student.late += 1
            student.late_minutes += mark.late_minutes
        if mark.status != "absent":
            continue
        covered = any(start <= mark.date <= end for start, end in justified.get(mark.student_id, ()))
        key = (mark.student_id, mark.date, half_of(mark.start_time, split))
        halves[key] = halves.get(key, True) and covered
    for (student_id, _date, _half), all_justified in halves.items():
        student = counts[student_id]
        student.half_days += 1
        if all_justified:
            student.justified += 1
        else:
            student.unjustified += 1
    return counts
