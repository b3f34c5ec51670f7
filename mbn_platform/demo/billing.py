"""The demo's billing: price plans and a contract for each funder of the demo schools, a funder's
viewer (``financeur.bas-rhin``: the Bas-Rhin council's dashboard), three months of sign-ins
metered day by day through the metering service, and one issued invoice per funder (the last
complete month). Deterministic and idempotent: running it again adds only the days since.

The invoices' PDFs are made on download: on a machine without Pango the demo still seeds and
serves everything, and the PDF link answers 503 with the reason (docs/billing.md).
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone

from mbn_platform.demo.data import DEMO_PASSWORD
from shared_apps.billing.contracts import contract_create, price_plan_create
from shared_apps.billing.funders import funder_viewer_attach
from shared_apps.billing.invoicing import invoice_issue, invoice_live
from shared_apps.billing.metering import metering_day_record
from shared_apps.billing.models import Contract, Funder, FunderAssignment, PricePlan, UsageDay
from shared_apps.identity.models import Membership, User, UserSession
from tenants.models import Establishment

DAYS = 92
VIEWER_LOGIN = "financeur.bas-rhin"
PLANS = (
    # code, name, flat fee, per active user, storage included (GB), per extra GB, size tiers
    (
        "region-2026",
        "Formule régionale lycées",
        "150.00",
        "0.42",
        "20",
        "0.05",
        ((500, "60.00"), (1500, "120.00"), (None, "200.00")),
    ),
    (
        "departement-2026",
        "Formule départementale collèges",
        "90.00",
        "0.35",
        "10",
        "0.05",
        ((400, "30.00"), (None, "80.00")),
    ),
)


def _plans() -> dict[str, PricePlan]:
    found = {plan.code: plan for plan in PricePlan.objects.filter(code__in=[p[0] for p in PLANS])}
    for code, name, fee, per_user, allowance, per_gb, tiers in PLANS:
        if code not in found:
            found[code] = price_plan_create(
                actor=None,
                code=code,
                name=name,
                establishment_fee=Decimal(fee),
                price_per_active_user=Decimal(per_user),
                storage_allowance_gb=Decimal(allowance),
                price_per_extra_gb=Decimal(per_gb),
                tiers=[(bound, Decimal(amount)) for bound, amount in tiers],
            )
    return found


def _contracts(funders: list[Funder], start: datetime.date) -> None:
    plans = _plans()
    for funder in funders:
        if not Contract.objects.filter(funder=funder).exists():
            plan = plans["departement-2026" if funder.kind == "departement" else "region-2026"]
            contract_create(
                actor=None, funder=funder, reference=f"MBN-{funder.code.upper()}", plan=plan, starts_on=start
            )


def _active(user_id: int, day: datetime.date, rate: int) -> bool:
    """Whether a person signed in that day: a fixed pseudo-random draw (``rate`` percent)."""
    digest = hashlib.sha256(f"{user_id}:{day.isoformat()}".encode()).digest()
    return digest[0] * 100 // 256 < rate


def _sign_ins(schools: list[Establishment], days: list[datetime.date]) -> None:
    """Sessions of the schools' people on school days (fewer at weekends), made once each."""
    people = sorted(
        set(Membership.objects.filter(establishment__in=schools).values_list("user_id", flat=True))
    )
    sessions = []
    for day in days:
        rate = 8 if day.weekday() >= 5 else 45
        for user_id in people:
            if _active(user_id, day, rate):
                start = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(7 + user_id % 12, 5))
                )
                key = hashlib.sha256(f"demo-session:{user_id}:{day.isoformat()}".encode()).hexdigest()
                sessions.append((key, user_id, start))
    existing = set(
        UserSession.objects.filter(session_key_hash__in=[k for k, _u, _s in sessions]).values_list(
            "session_key_hash", flat=True
        )
    )
    rows = [
        UserSession(
            user_id=user_id,
            session_key_hash=key,
            user_agent="demo",
            last_seen_at=start + datetime.timedelta(minutes=40),
            ended_at=start + datetime.timedelta(minutes=45),
            end_reason="signed_out",
        )
        for key, user_id, start in sessions
        if key not in existing
    ]
    UserSession.objects.bulk_create(rows, batch_size=2000)
    # created_at is set on insert: the demo's sessions are in the past, opened 40 minutes before
    # they were last seen.
    UserSession.objects.filter(session_key_hash__in=[row.session_key_hash for row in rows]).update(
        created_at=F("last_seen_at") - datetime.timedelta(minutes=40)
    )


def _backdate(schools: list[Establishment], since: datetime.date) -> None:
    """The demo's schools have been on the platform for three months: their rows, memberships
    and funder assignments are dated back (once), so that those months can be metered."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    ids = [s.pk for s in Establishment.objects.filter(pk__in=[s.pk for s in schools], created_at__gt=start)]
    if ids:
        Establishment.objects.filter(pk__in=ids).update(created_at=start)
        Membership.objects.filter(establishment_id__in=ids, created_at__gt=start).update(created_at=start)
        FunderAssignment.objects.filter(establishment_id__in=ids, effective_from__gt=since).update(
            effective_from=since
        )


def demo_billing_seed(schools: list[Establishment]) -> None:
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(DAYS, 0, -1)]
    _backdate(schools, days[0].replace(day=1))
    funders = list(Funder.objects.filter(pk__in=[s.funded_by_id for s in schools if s.funded_by_id]))
    _contracts(funders, start=days[0].replace(day=1))
    viewer = User.objects.filter(login=VIEWER_LOGIN).first()
    council = next((f for f in funders if f.code == "departement-67"), None)
    if viewer is None and council is not None:
        viewer = User(login=VIEWER_LOGIN, first_name="Francine", last_name="Haas")
        viewer.email = f"{VIEWER_LOGIN}@demo.mbn.invalid"
        viewer.password = make_password(DEMO_PASSWORD)
        viewer.save()
        funder_viewer_attach(actor=None, user=viewer, funder=council)
    recorded = set(UsageDay.objects.filter(day__gte=days[0]).values_list("day", flat=True).distinct())
    todo = [day for day in days if day not in recorded]
    if todo:
        _sign_ins(schools, todo)
        for day in todo:
            metering_day_record(actor=None, day=day)
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for funder in funders:
        if invoice_live(funder=funder, month=last_month) is None:
            invoice_issue(actor=None, funder=funder, month=last_month)
