"""Reads of the region's school calendar. What every establishment's timetable reads on each
page (its zone's days off, its zone) is cached region-wide (the ``platform`` cache) under a
version that every write bumps: a school page costs no query for it once warm."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Q, QuerySet

from shared_apps.schoolcalendar.models import RegionHoliday
from tenants.models import Establishment

VERSION_KEY = "schoolcalendar:version"
TIMEOUT = 3600


@dataclass(frozen=True)
class RegionDay:
    """Days off of the region calendar, as the establishments read them."""

    name: str
    start: datetime.date
    end: datetime.date
    kind: str
    zone: str


def _version() -> int:
    cache = caches["platform"]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return int(version)


def calendar_cache_bump() -> None:
    """Make every cached read of the calendar (days off, zones) stale."""
    cache = caches["platform"]
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(VERSION_KEY, 2, timeout=None)


def region_holidays_of_zone(*, zone: str) -> list[RegionDay]:
    """The days off of a zone: its own and those of every zone (all years; cached)."""
    key = f"schoolcalendar:{_version()}:zone:{zone or '-'}"
    cache = caches["platform"]
    found: list[RegionDay] | None = cache.get(key)
    if found is None:
        rows = (
            RegionHoliday.objects.filter(Q(zone="") | Q(zone=zone))
            if zone
            else RegionHoliday.objects.filter(zone="")
        )
        found = [RegionDay(h.name, h.start, h.end, h.kind, h.zone) for h in rows.order_by("start", "pk")]
        cache.set(key, found, timeout=TIMEOUT)
    return found


def zone_of_schema(*, schema_name: str) -> str:
    """The zone of the establishment of a schema ("" when none or unknown; cached)."""
    key = f"schoolcalendar:{_version()}:schema:{schema_name}"
    cache = caches["platform"]
    zone: str | None = cache.get(key)
    if zone is None:
        zone = (
            Establishment.objects.filter(schema_name=schema_name).values_list("zone", flat=True).first() or ""
        )
        cache.set(key, zone, timeout=TIMEOUT)
    return zone


def region_days_off(*, schema_name: str, start: datetime.date, end: datetime.date) -> list[RegionDay]:
    """The region's days off that an establishment follows and that meet [start, end]."""
    zone = zone_of_schema(schema_name=schema_name)
    return [d for d in region_holidays_of_zone(zone=zone) if d.start <= end and d.end >= start]


def region_holidays_list(
    *, zone: str | None = None, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[RegionHoliday]:
    """The calendar's rows (of one zone and every zone's when ``zone`` is given), by date."""
    found = RegionHoliday.objects.order_by("start", "zone", "pk")
    if zone:
        found = found.filter(Q(zone="") | Q(zone=zone))
    if start is not None:
        found = found.filter(end__gte=start)
    if end is not None:
        found = found.filter(start__lte=end)
    return found
