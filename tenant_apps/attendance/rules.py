"""Attendance's rules that are neither reads nor writes: when a register may be taken."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tenant_apps.timetable.occurrences import Occurrence


def register_is_open(occurrence: Occurrence, *, today: datetime.date | None = None) -> bool:
    """A register may be taken from the day its lesson takes place on, never before: a register
    taken ahead would tell guardians of absences that have not happened. (Late corrections of
    past registers stay possible.)"""
    return occurrence.date <= (today or timezone.localdate())
