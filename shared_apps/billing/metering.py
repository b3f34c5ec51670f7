"""The daily metering: one immutable usage record per establishment and day.

``metering_day_record`` records one day (re-running it adds nothing: a record exists once per
establishment and day); ``metering_catch_up`` records every day since the last recorded one up
to yesterday, so a day missed (the beat down, a failed run) is filled in by the next run. The
number of SQL queries of a day is fixed (``usage_queries``), whatever the number of
establishments and people; storage is measured per establishment from the storage's listing
under its prefix (no SQL).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.storage import prefix_usage
from shared_apps.billing.models import UsageDay
from shared_apps.billing.usage_queries import DayFigures, day_bounds, day_figures
from tenants.models import Establishment, EstablishmentStatus

logger = logging.getLogger(__name__)
#: How far back a first run (no record yet) or a long outage is caught up.
MAX_CATCH_UP_DAYS = 62


def metered_establishments(day: datetime.date) -> list[Establishment]:
    """The establishments that existed at the end of the day and have been onboarded."""
    _start, end = day_bounds(day)
    return list(
        Establishment.objects.exclude(schema_name="public")
        .exclude(status=EstablishmentStatus.PROVISIONING)
        .filter(created_at__lt=end)
        .only("pk", "schema_name")
        .order_by("pk")
    )


@transaction.atomic
def metering_day_record(*, actor: Actor | None, day: datetime.date) -> int:
    """Record the day's usage of every establishment not recorded for it yet; return how many
    records were written (0 when the day was recorded already)."""
    if day >= timezone.localdate():
        raise ValueError("Only a day that is over can be metered.")
    done = set(UsageDay.objects.filter(day=day).values_list("establishment_id", flat=True))
    todo = [e for e in metered_establishments(day) if e.pk not in done]
    if not todo:
        return 0
    figures = day_figures(day)
    records = []
    for establishment in todo:
        entry = figures.get(establishment.pk, DayFigures())
        stored = prefix_usage(f"{establishment.schema_name}/")
        records.append(
            UsageDay(
                establishment_id=establishment.pk,
                day=day,
                accounts_by_role=entry.accounts_by_role,
                accounts=entry.accounts,
                active_by_role=entry.active_by_role,
                active=entry.active,
                active_week_by_role=entry.active_week_by_role,
                active_month=entry.active_month,
                sign_ins=entry.sign_ins,
                storage_bytes=stored.bytes,
                storage_files=stored.files,
            )
        )
    # A concurrent run of the same day may have written some: those are kept, not doubled.
    written = UsageDay.objects.bulk_create(records, ignore_conflicts=True)
    audit_record(
        actor=actor,
        action="billing.usage_recorded",
        details={"day": day.isoformat(), "records": len(written)},
    )
    return len(written)


def metering_catch_up(*, actor: Actor | None, until: datetime.date | None = None) -> list[datetime.date]:
    """Record every day from the day after the last recorded one up to ``until`` (yesterday by
    default; at most ``MAX_CATCH_UP_DAYS`` back); return the days recorded. Each day is its own
    transaction: a failure keeps the days before it."""
    last_day = until or timezone.localdate() - datetime.timedelta(days=1)
    latest = UsageDay.objects.aggregate(latest=Max("day"))["latest"]
    first = max(
        latest + datetime.timedelta(days=1) if latest else last_day,
        last_day - datetime.timedelta(days=MAX_CATCH_UP_DAYS - 1),
    )
    recorded = []
    day = first
    while day <= last_day:
        if metering_day_record(actor=actor, day=day):
            recorded.append(day)
        day += datetime.timedelta(days=1)
    if recorded:
        logger.info("billing: usage recorded for %s day(s), up to %s", len(recorded), last_day)
    return recorded
