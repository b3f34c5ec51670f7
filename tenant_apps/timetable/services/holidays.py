"""Writes of the holidays (each leaves one audit entry)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record, audit_values
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import ValidationFailed
from tenant_apps.timetable.models import Holiday


def _holiday_validate(name: str, start: datetime.date, end: datetime.date) -> None:
    if not name.strip():
        raise ValidationFailed(fields={"name": [str(_("Give a name."))]})
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if (end - start).days > 120:
        raise ValidationFailed(fields={"end": [str(_("Holidays of more than 120 days: check the dates."))]})


def _state(holiday: Holiday) -> dict[str, object]:
    return {"name": holiday.name, "start": holiday.start, "end": holiday.end}


@transaction.atomic
def holiday_create(*, actor: Actor | None, name: str, start: datetime.date, end: datetime.date) -> Holiday:
    """Holidays: no recurring lesson takes place; a week all of holidays does not count in the
    A/B alternation."""
    _holiday_validate(name, start, end)
    holiday = Holiday.objects.create(name=name.strip(), start=start, end=end)
    audit_record(
        actor=actor,
        action="timetable.holiday_created",
        establishment=schema_establishment(),
        target=holiday,
        details=audit_values(_state(holiday)),
    )
    return holiday


@transaction.atomic
def holiday_update(
    *, actor: Actor | None, holiday: Holiday, name: str, start: datetime.date, end: datetime.date
) -> Holiday:
    _holiday_validate(name, start, end)
    before = _state(holiday)
    holiday.name, holiday.start, holiday.end = name.strip(), start, end
    holiday.save()
    changes = audit_changes(before, _state(holiday))
    if changes:
        audit_record(
            actor=actor,
            action="timetable.holiday_updated",
            establishment=schema_establishment(),
            target=holiday,
            details={"changes": changes},
        )
    return holiday


@transaction.atomic
def holiday_delete(*, actor: Actor | None, holiday: Holiday) -> None:
    details = audit_values(_state(holiday))
    target = Holiday(pk=holiday.pk)
    holiday.delete()
    audit_record(
        actor=actor,
        action="timetable.holiday_deleted",
        establishment=schema_establishment(),
        target=target,
        details=details,
    )
