"""Yearly statistics of discipline (school-life staff and the leadership): over a school year,
incidents, punishments by kind and sanctions pronounced by kind, per month and per class, in a
fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth

from tenant_apps.discipline.models import (
    Incident,
    Punishment,
    PunishmentKind,
    PunishmentStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from tenant_apps.structure.models import SchoolYear


@dataclass
class YearStatistics:
    year: SchoolYear
    months: list[datetime.date]
    incidents: dict[datetime.date, int] = field(default_factory=dict)
    punishments: dict[str, dict[datetime.date, int]] = field(default_factory=dict)
    sanctions: dict[str, dict[datetime.date, int]] = field(default_factory=dict)
    by_class: list[tuple[str, int, int]] = field(default_factory=list)  # class, punishments, sanctions

    def total(self, counts: dict[datetime.date, int]) -> int:
        return sum(counts.values())

    @property
    def incident_total(self) -> int:
        return self.total(self.incidents)

    def rows(self) -> list[tuple[str, list[int], int]]:
        """(label, count per month, total) for incidents, each kind of punishment and sanction."""
        found: list[tuple[str, list[int], int]] = []
        for label, counts in (
            ("incidents", self.incidents),
            *((f"punishment:{k}", self.punishments.get(k, {})) for k in PunishmentKind.values),
            *((f"sanction:{k}", self.sanctions.get(k, {})) for k in SanctionKind.values),
        ):
            found.append((label, [counts.get(m, 0) for m in self.months], self.total(counts)))
        return found


def _months(year: SchoolYear) -> list[datetime.date]:
    months, day = [], year.start.replace(day=1)
    while day <= year.end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def year_statistics(*, year: SchoolYear) -> YearStatistics:
    stats = YearStatistics(year=year, months=_months(year))
    for row in (
        Incident.objects.filter(occurred_at__date__range=(year.start, year.end))
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(n=Count("pk"))
    ):
        stats.incidents[
            row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        ] = row["n"]
    punishments = Punishment.objects.filter(given_on__range=(year.start, year.end)).exclude(
        status=PunishmentStatus.CANCELLED
    )
    for row in (
        punishments.annotate(month=TruncMonth("given_on")).values("kind", "month").annotate(n=Count("pk"))
    ):
        stats.punishments.setdefault(row["kind"], {})[row["month"]] = row["n"]
    sanctions = Sanction.objects.filter(
        status=SanctionStatus.PRONOUNCED, decided_on__range=(year.start, year.end)
    )
    for row in (
        sanctions.annotate(month=TruncMonth("decided_on")).values("kind", "month").annotate(n=Count("pk"))
    ):
        stats.sanctions.setdefault(row["kind"], {})[row["month"]] = row["n"]
    per_class: Counter[str] = Counter()
    per_class_sanctions: Counter[str] = Counter()
    for name, n in punishments.values_list("student__school_class__name").annotate(n=Count("pk")):
        per_class[name or "—"] += n
    for name, n in sanctions.values_list("student__school_class__name").annotate(n=Count("pk")):
        per_class_sanctions[name or "—"] += n
    stats.by_class = sorted(
        (name, per_class[name], per_class_sanctions[name])
        for name in set(per_class) | set(per_class_sanctions)
    )
    return stats
