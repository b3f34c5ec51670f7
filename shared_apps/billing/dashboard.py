"""The dashboard's figures: per establishment (the sortable table and its CSV), and over time
(the charts), for the establishments of a scope. A fixed number of queries whatever the number of
establishments (the series are summed in SQL)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Sum

from shared_apps.billing.models import UsageDay
from shared_apps.billing.selectors import FunderScope

SORT_KEYS = ("name", "uai", "funder", "accounts", "active", "active_month", "adoption", "sign_ins", "storage")


@dataclass
class EstablishmentRow:
    uai: str
    name: str
    funder: str
    accounts: int = 0
    active: int = 0
    active_month: int = 0
    sign_ins: int = 0
    storage: int = 0
    last_day: datetime.date | None = None

    @property
    def adoption(self) -> Decimal:
        """Share of the accounts active this month so far, in percent (one decimal)."""
        if not self.accounts:
            return Decimal("0")
        return (Decimal(100) * self.active_month / self.accounts).quantize(Decimal("0.1"))


def establishment_rows(
    *, scope: FunderScope, today: datetime.date, sort: str = "name", descending: bool = False
) -> list[EstablishmentRow]:
    """Each establishment of the scope with its latest usage record and its sign-ins of the last
    30 days, sorted (three queries)."""
    establishments = list(scope.establishments().only("pk", "uai", "name", "funded_by__name"))
    ids = [e.pk for e in establishments]
    latest = {
        record.establishment_id: record
        for record in UsageDay.objects.filter(establishment_id__in=ids, day__lt=today)
        .order_by("establishment_id", "-day")
        .distinct("establishment_id")
        .only("establishment_id", "day", "accounts", "active", "active_month", "storage_bytes")
    }
    since = today - datetime.timedelta(days=30)
    sign_ins = dict(
        UsageDay.objects.filter(establishment_id__in=ids, day__gte=since, day__lt=today)
        .values("establishment_id")
        .annotate(n=Sum("sign_ins"))
        .values_list("establishment_id", "n")
    )
    rows = []
    for establishment in establishments:
        row = EstablishmentRow(
            uai=establishment.uai,
            name=establishment.name,
            funder=establishment.funded_by.name if establishment.funded_by else "",
            sign_ins=int(sign_ins.get(establishment.pk) or 0),
        )
        record = latest.get(establishment.pk)
        if record is not None:
            row.accounts, row.active, row.active_month = record.accounts, record.active, record.active_month
            row.storage, row.last_day = record.storage_bytes, record.day
        rows.append(row)
    key = sort if sort in SORT_KEYS else "name"
    rows.sort(key=lambda r: (getattr(r, key), r.name), reverse=descending)
    return rows


@dataclass
class Series:
    """Figures over time for the charts."""

    days: list[datetime.date] = field(default_factory=list)
    sign_ins: list[int] = field(default_factory=list)
    active: list[int] = field(default_factory=list)
    storage: list[int] = field(default_factory=list)
    weeks: list[datetime.date] = field(default_factory=list)  # each week's Monday
    weekly_by_role: dict[str, list[int]] = field(default_factory=dict)


DAILY_SQL = """
SELECT u.day, sum(u.sign_ins), sum(u.active), sum(u.storage_bytes)
FROM billing_usageday u
WHERE u.day >= %(since)s AND u.day < %(until)s AND (%(all)s OR u.establishment_id = ANY(%(ids)s))
GROUP BY u.day ORDER BY u.day
"""

# Each week's distinct active users per role: the records of the week's last recorded day.
WEEKLY_SQL = """
WITH last_days AS (
    SELECT date_trunc('week', u.day)::date AS week, max(u.day) AS day
    FROM billing_usageday u
    WHERE u.day >= %(since)s AND u.day < %(until)s AND (%(all)s OR u.establishment_id = ANY(%(ids)s))
    GROUP BY 1
)
SELECT last_days.week, roles.key, sum(roles.value::int)
FROM last_days
JOIN billing_usageday u ON u.day = last_days.day
CROSS JOIN LATERAL jsonb_each_text(u.active_week_by_role) AS roles
WHERE %(all)s OR u.establishment_id = ANY(%(ids)s)
GROUP BY 1, 2 ORDER BY 1, 2
"""


def usage_series(
    *, establishment_ids: list[int] | None, since: datetime.date, until: datetime.date
) -> Series:
    """Daily sums (sign-ins, active users, storage) and weekly active users per role, over the
    establishments given (every one when None), from ``since`` to the day before ``until``."""
    params: dict[str, Any] = {
        "since": since,
        "until": until,
        "all": establishment_ids is None,
        "ids": establishment_ids or [],
    }
    series = Series()
    with connection.cursor() as cursor:
        cursor.execute(DAILY_SQL, params)
        for day, sign_ins, active, storage in cursor.fetchall():
            series.days.append(day)
            series.sign_ins.append(int(sign_ins))
            series.active.append(int(active))
            series.storage.append(int(storage))
        cursor.execute(WEEKLY_SQL, params)
        weekly: dict[datetime.date, dict[str, int]] = defaultdict(dict)
        for week, role, count in cursor.fetchall():
            weekly[week][role] = int(count)
    series.weeks = sorted(weekly)
    roles = sorted({role for counts in weekly.values() for role in counts})
    series.weekly_by_role = {role: [weekly[week].get(role, 0) for week in series.weeks] for role in roles}
    return series
