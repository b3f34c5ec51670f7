"""Writes of the school years and their periods (trimesters, semesters)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.tenant_cache import tenant_cache_forget
from tenant_apps.structure.models import Period, PeriodKind, SchoolYear
from tenant_apps.structure.selectors import CALENDAR_KEYS
from tenant_apps.structure.services.common import (
    audit_with_changes,
    audit_with_values,
    delete_unused,
    required,
    state,
    unique,
)

YEAR_FIELDS = ("name", "start", "end", "week_a_monday", "is_current")
PERIOD_FIELDS = ("name", "kind", "start", "end")


def _year_dates(
    *, start: datetime.date, end: datetime.date, week_a_monday: datetime.date | None
) -> datetime.date:
    if end <= start:
        raise ValidationFailed(fields={"end": [str(_("The last day must be after the first."))]})
    monday = week_a_monday or start
    return monday - datetime.timedelta(days=monday.weekday())


@transaction.atomic
def school_year_create(
    *,
    actor: Actor | None,
    name: str,
    start: datetime.date,
    end: datetime.date,
    week_a_monday: datetime.date | None = None,
    is_current: bool = False,
) -> SchoolYear:
    monday = _year_dates(start=start, end=end, week_a_monday=week_a_monday)
    name = required(name, "name")
    if is_current:
        SchoolYear.objects.filter(is_current=True).update(is_current=False)
        tenant_cache_forget(*CALENDAR_KEYS)  # an update() sends no signal
    year = unique(
        lambda: SchoolYear.objects.create(
            name=name, start=start, end=end, week_a_monday=monday, is_current=is_current
        ),
        "name",
    )
    audit_with_values(
        actor=actor, action="structure.year_created", target=year, values=state(year, YEAR_FIELDS)
    )
    return year


@transaction.atomic
def school_year_update(
    *,
    actor: Actor | None,
    year: SchoolYear,
    name: str,
    start: datetime.date,
    end: datetime.date,
    week_a_monday: datetime.date | None = None,
    is_current: bool = False,
) -> SchoolYear:
    """Rename a year, change its dates (its periods must still fit in them), make it current."""
    monday = _year_dates(start=start, end=end, week_a_monday=week_a_monday)
    name = required(name, "name")
    outside = year.periods.exclude(start__gte=start, end__lte=end).order_by("start").first()
    if outside is not None:
        raise ValidationFailed(
            fields={
                "start" if outside.start < start else "end": [
                    gettext_now("The period “%(name)s” would no longer lie within the year.")
                    % {"name": outside.name}
                ]
            }
        )
    if is_current:
        SchoolYear.objects.filter(is_current=True).exclude(pk=year.pk).update(is_current=False)
    before = state(year, YEAR_FIELDS)
    year.name, year.start, year.end, year.week_a_monday, year.is_current = (
        name,
        start,
        end,
        monday,
        is_current,
    )
    unique(lambda: year.save(), "name")
    audit_with_changes(
        actor=actor,
        action="structure.year_updated",
        target=year,
        before=before,
        after=state(year, YEAR_FIELDS),
    )
    return year


@transaction.atomic
def school_year_delete(*, actor: Actor | None, year: SchoolYear) -> None:
    """Delete a year and its periods; refused while lessons, enrolments or anything else use it."""
    delete_unused(
        year,
        actor=actor,
        action="structure.year_deleted",
        name=year.name,
        values={"name": year.name, "start": year.start, "end": year.end},
        owned=[Period],
    )


def _period_checks(
    *, year: SchoolYear, kind: str, start: datetime.date, end: datetime.date, exclude: int | None = None
) -> None:
    if kind not in PeriodKind.values:
        raise ValidationFailed(fields={"kind": [str(_("Unknown kind of period."))]})
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if start < year.start or end > year.end:
        raise ValidationFailed(fields={"end": [str(_("The period must lie within its school year."))]})
    overlapping = Period.objects.filter(year=year, start__lte=end, end__gte=start)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.exists():
        raise ValidationFailed(fields={"start": [str(_("Periods of a year must not overlap."))]})


@transaction.atomic
def period_create(
    *, actor: Actor | None, year: SchoolYear, name: str, kind: str, start: datetime.date, end: datetime.date
) -> Period:
    name = required(name, "name")
    _period_checks(year=year, kind=kind, start=start, end=end)
    period = unique(
        lambda: Period.objects.create(year=year, name=name, kind=kind, start=start, end=end), "name"
    )
    audit_with_values(
        actor=actor,
        action="structure.period_created",
        target=period,
        values={"year": year.name, **state(period, PERIOD_FIELDS)},
    )
    return period


@transaction.atomic
def period_update(
    *, actor: Actor | None, period: Period, name: str, kind: str, start: datetime.date, end: datetime.date
) -> Period:
    """Change a period of its year (it stays in the same year, within it, without overlap)."""
    name = required(name, "name")
    _period_checks(year=period.year, kind=kind, start=start, end=end, exclude=period.pk)
    before = state(period, PERIOD_FIELDS)
    period.name, period.kind, period.start, period.end = name, kind, start, end
    unique(lambda: period.save(), "name")
    audit_with_changes(
        actor=actor,
        action="structure.period_updated",
        target=period,
        before=before,
        after=state(period, PERIOD_FIELDS),
    )
    return period


@transaction.atomic
def period_delete(*, actor: Actor | None, period: Period) -> None:
    delete_unused(
        period,
        actor=actor,
        action="structure.period_deleted",
        name=period.name,
        values=state(period, PERIOD_FIELDS),
    )
