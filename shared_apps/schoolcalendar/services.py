"""Writes of the region's school calendar (each leaves one audit entry and makes the cached
reads stale): the zones' holidays, the bank holidays, an establishment's zone."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record, audit_values
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.schoolcalendar.models import DayOffKind, RegionHoliday
from shared_apps.schoolcalendar.selectors import calendar_cache_bump
from tenants.models import Establishment
from tenants.zones import Zone


def _stale() -> None:
    # Now (this transaction's own reads) and after the commit (a read made meanwhile by another
    # process may have cached the old rows).
    calendar_cache_bump()
    transaction.on_commit(calendar_cache_bump)


def _validate(*, kind: str, zone: str, name: str, start: datetime.date, end: datetime.date) -> None:
    if kind not in DayOffKind.values:
        raise ValidationFailed(fields={"kind": [str(_("Unknown kind."))]})
    if zone and zone not in Zone.values:
        raise ValidationFailed(fields={"zone": [str(_("Unknown zone."))]})
    if not name.strip():
        raise ValidationFailed(fields={"name": [str(_("Give a name."))]})
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if (end - start).days > 120:
        raise ValidationFailed(fields={"end": [str(_("Holidays of more than 120 days: check the dates."))]})


def _state(day: RegionHoliday) -> dict[str, object]:
    return {"kind": day.kind, "zone": day.zone, "name": day.name, "start": day.start, "end": day.end}


@transaction.atomic
def region_holiday_create(
    *,
    actor: Actor | None,
    name: str,
    start: datetime.date,
    end: datetime.date,
    zone: str = "",
    kind: str = DayOffKind.HOLIDAYS,
) -> RegionHoliday:
    """Days off for one zone (or every zone: ``zone`` ""), for every establishment that follows
    it: no lesson takes place, and a week all of them does not count in the A/B alternation."""
    _validate(kind=kind, zone=zone, name=name, start=start, end=end)
    day = RegionHoliday.objects.create(kind=kind, zone=zone, name=name.strip(), start=start, end=end)
    audit_record(
        actor=actor, action="schoolcalendar.holiday_created", target=day, details=audit_values(_state(day))
    )
    _stale()
    return day


@transaction.atomic
def region_holiday_update(
    *,
    actor: Actor | None,
    day: RegionHoliday,
    name: str,
    start: datetime.date,
    end: datetime.date,
    zone: str = "",
    kind: str = DayOffKind.HOLIDAYS,
) -> RegionHoliday:
    _validate(kind=kind, zone=zone, name=name, start=start, end=end)
    before = _state(day)
    day.kind, day.zone, day.name, day.start, day.end = kind, zone, name.strip(), start, end
    day.save()
    changes = audit_changes(before, _state(day))
    if changes:
        audit_record(
            actor=actor, action="schoolcalendar.holiday_updated", target=day, details={"changes": changes}
        )
        _stale()
    return day


@transaction.atomic
def region_holiday_delete(*, actor: Actor | None, day: RegionHoliday) -> None:
    details = audit_values(_state(day))
    target = RegionHoliday(pk=day.pk)
    day.delete()
    audit_record(actor=actor, action="schoolcalendar.holiday_deleted", target=target, details=details)
    _stale()


@transaction.atomic
def establishment_zone_set(*, actor: Actor | None, establishment: Establishment, zone: str) -> Establishment:
    """Which zone's holidays an establishment follows ("": none of the three)."""
    if zone and zone not in Zone.values:
        raise ValidationFailed(fields={"zone": [str(_("Unknown zone."))]})
    before = establishment.zone
    if before == zone:
        return establishment
    establishment.zone = zone
    establishment.save(update_fields=["zone", "updated_at"])
    audit_record(
        actor=actor,
        action="schoolcalendar.zone_set",
        establishment=establishment,
        target=establishment,
        details={"changes": audit_changes({"zone": before}, {"zone": zone})},
    )
    _stale()
    return establishment
