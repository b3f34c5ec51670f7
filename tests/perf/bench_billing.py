"""Billing benchmarks (issue: billing): the daily metering run and the monthly invoice run over
the whole region, with their time and SQL query count.

The region: the establishments the provisioning benchmark onboarded when it ran before this
one (tests/perf/conftest.py runs this file after it), topped up with establishment rows of the
public schema only (the metering reads no establishment's schema: memberships and sessions are
public, storage is listed under each one's prefix), up to MBN_BENCH_ESTABLISHMENTS (841 in
`make bench`, a sample in `make test`). Each has a few dozen people; about a third sign in on a
given day. Their creation dates are moved before the month measured, which is in the past.

1. The metering of one day for every establishment: the number of queries must not grow with
   the establishments or the people (a fixed number per day: no query per establishment or per
   person), and the time per day is printed.
2. The invoice run of that month (one invoice per funder, a line per establishment).
"""

from __future__ import annotations

import datetime
import os
import secrets
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared_apps.billing.contracts import contract_create, price_plan_create
from shared_apps.billing.funders import funder_default_for
from shared_apps.billing.invoicing import invoices_issue
from shared_apps.billing.metering import metering_day_record
from shared_apps.billing.models import Contract, FunderAssignment, Invoice, UsageDay
from shared_apps.identity.models import Membership, User, UserSession
from tenants.models import Establishment, EstablishmentStatus
from tenants.provisioning.region import FIRST_NUMBER, region_establishments
from tenants.uai import uai_check_letter

pytestmark = pytest.mark.perf
#: Run after the provisioning benchmark, to reuse the region it onboarded (tests/perf/conftest.py).
BENCH_AFTER_REGION = True
REGION_SIZE = int(os.environ.get("MBN_BENCH_ESTABLISHMENTS", "841"))
PEOPLE = 24  # per establishment
ACTIVE_PERCENT = 35
MONTH = (timezone.localdate().replace(day=1) - datetime.timedelta(days=400)).replace(day=1)
DAYS_METERED = 7  # the first week is metered day by day (timed); the figures scale per day


def _aware(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _billing_only_uai(uai: str) -> str:
    """The generator's UAI moved to numbers 9000+ of its département: these rows have no schema,
    and the region benchmark (bench_provisioning.py) must still onboard every generated UAI."""
    digits = f"{uai[:3]}{9000 + int(uai[3:7]) - FIRST_NUMBER:04d}"
    return digits + uai_check_letter(digits)


def _region() -> list[Establishment]:
    """REGION_SIZE establishments: the onboarded ones, then public rows made from the region
    generator's data (no schema), each attached to its default funder."""
    existing = list(
        Establishment.objects.exclude(schema_name="public")
        .exclude(status=EstablishmentStatus.PROVISIONING)
        .order_by("pk")[:REGION_SIZE]
    )
    missing = REGION_SIZE - len(existing)
    if missing > 0:
        taken = set(Establishment.objects.values_list("uai", flat=True))
        rows = []
        for data in region_establishments(REGION_SIZE + len(taken)):
            if len(rows) == missing:
                break
            uai = _billing_only_uai(data.uai)
            if uai not in taken:
                rows.append(
                    Establishment(
                        schema_name=f"t_bb_{secrets.token_hex(5)}",
                        uai=uai,
                        name=data.name,
                        kind=data.kind,
                        academie=data.academie,
                        departement=data.departement,
                        status=EstablishmentStatus.ACTIVE,
                    )
                )
        existing += Establishment.objects.bulk_create(rows)
    before = _aware(MONTH - datetime.timedelta(days=1))
    Establishment.objects.filter(pk__in=[e.pk for e in existing]).update(created_at=before)
    # Onboarded ones were attached to their funder today: from before the month, like their rows.
    FunderAssignment.objects.filter(establishment__in=existing, effective_from__gte=MONTH).update(
        effective_from=MONTH - datetime.timedelta(days=1)
    )
    assigned = set(FunderAssignment.objects.values_list("establishment_id", flat=True))
    FunderAssignment.objects.bulk_create(
        [
            FunderAssignment(
                establishment=e,
                funder=funder_default_for(kind=e.kind, departement=e.departement),
                effective_from=MONTH - datetime.timedelta(days=1),
            )
            for e in existing
            if e.pk not in assigned
        ]
    )
    return existing


def _people_and_sessions(region: list[Establishment]) -> int:
    users = User.objects.bulk_create(
        [
            User(login=f"bb{secrets.token_hex(6)}", first_name="Bench", last_name=str(i), password="!")
            for i in range(len(region) * PEOPLE)
        ],
        batch_size=5000,
    )
    roles = ["student"] * 16 + ["guardian"] * 5 + ["teacher"] * 3
    Membership.objects.bulk_create(
        [
            Membership(user=user, establishment=region[i // PEOPLE], role=roles[i % PEOPLE])
            for i, user in enumerate(users)
        ],
        batch_size=5000,
    )
    Membership.objects.filter(user__in=users).update(created_at=_aware(MONTH - datetime.timedelta(days=1)))
    sessions = []
    for offset in range(DAYS_METERED):
        day = MONTH + datetime.timedelta(days=offset)
        for i, user in enumerate(users):
            if (i * 7 + offset * 13) % 100 < ACTIVE_PERCENT:
                sessions.append(
                    UserSession(
                        user=user,
                        session_key_hash=secrets.token_hex(32),
                        last_seen_at=_aware(day, 9 + i % 8),
                    )
                )
    UserSession.objects.bulk_create(sessions, batch_size=5000)
    opened = F("last_seen_at") - datetime.timedelta(hours=1)
    UserSession.objects.filter(user__in=users).update(created_at=opened)
    return len(sessions)


def test_metering_and_invoicing_the_region(committed_db, bench_report):
    region = _region()
    sessions = _people_and_sessions(region)
    plan = price_plan_create(
        actor=None,
        code=f"bench-{secrets.token_hex(3)}",
        name="Bench plan",
        establishment_fee=Decimal("100.00"),
        price_per_active_user=Decimal("0.40"),
        tiers=[(500, Decimal("20.00")), (None, Decimal("60.00"))],
    )
    assignments = FunderAssignment.objects.filter(establishment__in=region)
    funder_ids = set(assignments.values_list("funder_id", flat=True))
    covering = Contract.objects.filter(starts_on__lte=MONTH).exclude(ends_on__lt=MONTH)
    for funder_id in funder_ids - set(covering.values_list("funder_id", flat=True)):
        contract_create(
            actor=None,
            funder=FunderAssignment.objects.filter(funder_id=funder_id).first().funder,
            reference=f"BENCH-{funder_id}-{secrets.token_hex(2)}",
            plan=plan,
            starts_on=MONTH,
        )

    per_day = []
    for offset in range(DAYS_METERED):
        day = MONTH + datetime.timedelta(days=offset)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            written = metering_day_record(actor=None, day=day)
            elapsed = time.perf_counter() - start
        per_day.append((elapsed, len(queries), written))
    seconds = sum(t for t, _q, _w in per_day) / len(per_day)
    queries = max(q for _t, q, _w in per_day)
    bench_report(
        f"metering {len(region)} establishments ({len(region) * PEOPLE} people, {sessions} sessions "
        f"over {DAYS_METERED} days): {seconds:.2f} s a day, {queries} SQL queries a day "
        f"({queries / len(region):.3f} per establishment: fixed, not per person)"
    )
    assert all(written >= len(region) for _t, _q, written in per_day)
    assert queries <= 12  # a fixed number per day, whatever the region's size
    recorded = UsageDay.objects.filter(day=MONTH, establishment_id__in=[e.pk for e in region])
    assert recorded.count() == len(region)

    with CaptureQueriesContext(connection) as queries_run:
        start = time.perf_counter()
        issued = invoices_issue(actor=None, month=MONTH)
        elapsed = time.perf_counter() - start
    lines = sum(invoice.lines.count() for invoice in issued)
    bench_report(
        f"invoice run for {MONTH:%Y-%m}: {len(issued)} invoices, {lines} lines, {elapsed:.2f} s, "
        f"{len(queries_run)} SQL queries ({len(queries_run) / max(len(issued), 1):.0f} per invoice)"
    )
    assert lines >= len(region)
    assert Invoice.objects.filter(month=MONTH).count() == len(issued)
