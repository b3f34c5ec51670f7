"""The establishment's attendance settings, changed by its leadership: whether absence notices
wait for school life's review (``school.SchoolSettings.absence_notification_review``) and when
the afternoon starts for counting half-days (``AttendancePolicy.half_day_split``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import ValidationFailed
from tenant_apps.attendance.models import AttendancePolicy
from tenant_apps.school.models import SchoolSettings
from tenant_apps.school.services import school_settings_ensure

#: The afternoon may start between these times (a split outside them counts nothing sensible).
EARLIEST_SPLIT, LATEST_SPLIT = datetime.time(10, 0), datetime.time(15, 0)


@dataclass(frozen=True)
class AttendanceSettings:
    absence_notification_review: bool
    half_day_split: datetime.time

    def as_dict(self) -> dict[str, Any]:
        return {
            "absence_notification_review": self.absence_notification_review,
            "half_day_split": self.half_day_split,
        }


def _settings_row() -> SchoolSettings:
    establishment = schema_establishment()
    return school_settings_ensure(display_name=establishment.name if establishment is not None else "")


def attendance_settings() -> AttendanceSettings:
    """The current settings (defaults where nothing was saved)."""
    review = (
        SchoolSettings.objects.order_by("pk").values_list("absence_notification_review", flat=True).first()
    )
    split = AttendancePolicy.objects.order_by("pk").values_list("half_day_split", flat=True).first()
    return AttendanceSettings(
        absence_notification_review=bool(review), half_day_split=split or datetime.time(12, 0)
    )


@transaction.atomic
def attendance_settings_update(
    *, actor: Actor | None, absence_notification_review: bool, half_day_split: datetime.time
) -> AttendanceSettings:
    """Save both settings; one audit entry with what changed, before → after (none if nothing did).

    A new split applies to every count made from now on, past absences included (half-days are
    counted when read, never stored)."""
    if not (EARLIEST_SPLIT <= half_day_split <= LATEST_SPLIT):
        raise ValidationFailed(fields={"half_day_split": [str(_("Give a time between 10:00 and 15:00."))]})
    before = attendance_settings()
    school_settings = _settings_row()
    school_settings.absence_notification_review = absence_notification_review
    school_settings.save(update_fields=["absence_notification_review", "updated_at"])
    policy = AttendancePolicy.objects.order_by("pk").first() or AttendancePolicy()
    policy.half_day_split = half_day_split
    policy.save()
    after = attendance_settings()
    changes = audit_changes(before.as_dict(), after.as_dict())
    if changes:
        audit_record(
            actor=actor,
            action="attendance.settings_updated",
            establishment=schema_establishment(),
            target=school_settings,
            details={"changes": changes},
        )
    return after
