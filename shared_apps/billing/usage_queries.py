"""The metering's aggregate queries: a fixed number of queries per day for the whole region,
whatever the number of establishments or people (never one query per person).

Active users come from what the platform already records: the signed-in sessions
(``identity.UserSession``: created at sign-in, ``last_seen_at`` refreshed while in use), joined
with the memberships. A person is active on a day when one of their sessions was in use during it
(opened before the day's end and last seen after its start). A membership counts on a day when
it was created before the day's end and is still active, or departed during or after the day (by
its last change; see docs/billing.md for what this approximates).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

ACCOUNTS_SQL = """
SELECT m.establishment_id, m.role, count(*)
FROM identity_membership m
WHERE m.created_at < %(end)s AND (m.status = 'active' OR m.updated_at >= %(start)s)
GROUP BY m.establishment_id, m.role
"""

# Per establishment and role, and per establishment (a person with two roles counting once):
# people active on the day, from the Monday, from the first of the month.
ACTIVE_SQL = """
WITH seen AS (
    SELECT user_id,
           bool_or(last_seen_at >= %(start)s) AS day,
           bool_or(last_seen_at >= %(week)s) AS week,
           bool_or(last_seen_at >= %(month)s) AS month
    FROM identity_usersession
    WHERE created_at < %(end)s AND last_seen_at >= LEAST(%(week)s, %(month)s)
    GROUP BY user_id
)
SELECT m.establishment_id, m.role,
       count(DISTINCT m.user_id) FILTER (WHERE seen.day),
       count(DISTINCT m.user_id) FILTER (WHERE seen.week),
       count(DISTINCT m.user_id) FILTER (WHERE seen.month)
FROM identity_membership m JOIN seen ON seen.user_id = m.user_id
WHERE m.created_at < %(end)s AND (m.status = 'active' OR m.updated_at >= %(start)s)
GROUP BY GROUPING SETS ((m.establishment_id, m.role), (m.establishment_id))
"""

# Sign-ins (sessions opened during the day) of the establishment's people.
SIGN_INS_SQL = """
WITH opened AS (
    SELECT user_id, count(*) AS n
    FROM identity_usersession
    WHERE created_at >= %(start)s AND created_at < %(end)s
    GROUP BY user_id
), people AS (
    SELECT DISTINCT m.establishment_id, m.user_id
    FROM identity_membership m
    WHERE m.created_at < %(end)s AND (m.status = 'active' OR m.updated_at >= %(start)s)
)
SELECT people.establishment_id, sum(opened.n)
FROM people JOIN opened ON opened.user_id = people.user_id
GROUP BY people.establishment_id
"""


@dataclass
class DayFigures:
    accounts_by_role: dict[str, int] = field(default_factory=dict)
    active_by_role: dict[str, int] = field(default_factory=dict)
    active: int = 0
    active_week_by_role: dict[str, int] = field(default_factory=dict)
    active_month: int = 0
    sign_ins: int = 0

    @property
    def accounts(self) -> int:
        return sum(self.accounts_by_role.values())


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The day's start and end (the next day's start) in the platform's time zone."""
    from django.utils import timezone

    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def day_figures(day: datetime.date) -> dict[int, DayFigures]:
    """Every establishment's figures for the day, by establishment id (three queries)."""
    start, end = day_bounds(day)
    week, _ = day_bounds(day - datetime.timedelta(days=day.weekday()))
    month, _ = day_bounds(day.replace(day=1))
    params = {"start": start, "end": end, "week": week, "month": month}
    figures: dict[int, DayFigures] = defaultdict(DayFigures)
    with connection.cursor() as cursor:
        cursor.execute(ACCOUNTS_SQL, params)
        for establishment_id, role, count in cursor.fetchall():
            figures[establishment_id].accounts_by_role[role] = count
        cursor.execute(ACTIVE_SQL, params)
        for establishment_id, role, on_day, in_week, in_month in cursor.fetchall():
            entry = figures[establishment_id]
            if role is None:  # the establishment's row of the grouping sets
                entry.active = on_day
                entry.active_month = in_month
            else:
                if on_day:
                    entry.active_by_role[role] = on_day
                if in_week:
                    entry.active_week_by_role[role] = in_week
        cursor.execute(SIGN_INS_SQL, params)
        for establishment_id, count in cursor.fetchall():
            figures[establishment_id].sign_ins = int(count)
    return figures
