"""Writes of attendance (the caller selects the schema): ``registers`` (registers, mark
corrections, late arrivals, the review of held notices), ``justifications`` (absences declared
ahead, justifications and their decision), ``settings`` (the establishment's attendance
settings), ``bulk`` (many past registers at once: the demo), ``desk`` (absences recorded without
a register, EPS exemptions, infirmary visits). Every write takes ``actor``
(``mbn_platform.kernel.actors``) and leaves one audit entry (``attendance.…``; a correction
records the mark before → after). The notices themselves are sent by ``notices.py``, in a task."""

from __future__ import annotations

from tenant_apps.attendance.services.bulk import PastRegister, registers_bulk_take
from tenant_apps.attendance.services.desk import (
    absence_period_delete,
    absence_period_record,
    infirmary_visit_record,
    sport_exemption_record,
)
from tenant_apps.attendance.services.justifications import (
    absence_declare,
    justification_decide,
    justification_submit,
)
from tenant_apps.attendance.services.registers import (
    MarkIn,
    absence_notices_review,
    late_arrival_record,
    mark_set,
    policy,
    register_save,
)
from tenant_apps.attendance.services.settings import (
    AttendanceSettings,
    attendance_settings,
    attendance_settings_update,
)

__all__ = [
    "AttendanceSettings",
    "MarkIn",
    "PastRegister",
    "absence_declare",
    "absence_notices_review",
    "absence_period_delete",
    "absence_period_record",
    "attendance_settings",
    "attendance_settings_update",
    "infirmary_visit_record",
    "justification_decide",
    "justification_submit",
    "late_arrival_record",
    "mark_set",
    "policy",
    "register_save",
    "registers_bulk_take",
    "sport_exemption_record",
]
