"""The month's invoices as they would be issued (the operators' preview, and what issuing
writes): per funder with a contract that month, one line per establishment it funded on the
month's last day, from the month's usage records. Reads only; a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from shared_apps.billing.models import Contract, ContractPlan, Funder, FunderAssignment, PricePlan, UsageDay
from shared_apps.billing.pricing import LineAmounts, PlanPrices, invoice_totals, line_amounts
from tenants.models import Establishment


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass(frozen=True)
class LineDraft:
    establishment_id: int
    uai: str
    name: str
    days_metered: int
    accounts: int
    active_users: int
    storage_bytes: int
    amounts: LineAmounts


@dataclass
class InvoiceDraft:
    funder: Funder
    month: datetime.date
    contract: Contract | None
    plan: PricePlan | None
    lines: list[LineDraft] = field(default_factory=list)

    @property
    def vat_rate(self) -> Decimal:
        return self.contract.vat_rate if self.contract else Decimal("0")

    @property
    def totals(self) -> tuple[Decimal, Decimal, Decimal]:
        return invoice_totals([line.amounts.total for line in self.lines], self.vat_rate)

    @property
    def billable(self) -> bool:
        return self.contract is not None and self.plan is not None and bool(self.lines)


def plan_prices(plan: PricePlan) -> PlanPrices:
    return PlanPrices(
        establishment_fee=plan.establishment_fee,
        price_per_active_user=plan.price_per_active_user,
        storage_allowance_gb=plan.storage_allowance_gb,
        price_per_extra_gb=plan.price_per_extra_gb,
        tiers=[(tier.up_to_accounts, tier.monthly_fee) for tier in plan.tiers.all()],
    )


def funders_on(day: datetime.date) -> dict[int, int]:
    """Establishment id → the funder in force on ``day`` (its latest assignment from then)."""
    rows = (
        FunderAssignment.objects.filter(effective_from__lte=day)
        .order_by("establishment_id", "-effective_from", "-pk")
        .distinct("establishment_id")
        .values_list("establishment_id", "funder_id")
    )
    return dict(rows)


@dataclass(frozen=True)
class MonthUsage:
    days: int
    accounts: int
    active_users: int
    storage_bytes: int


def usage_of_month(month: datetime.date, establishment_ids: list[int] | None = None) -> dict[int, MonthUsage]:
    """Per establishment: days recorded, and its last record's accounts, distinct active users
    of the month so far (the whole month's on its last day) and storage."""
    first, last = month_bounds(month)
    records = UsageDay.objects.filter(day__gte=first, day__lte=last)
    if establishment_ids is not None:
        records = records.filter(establishment_id__in=establishment_ids)
    days = dict(
        records.values("establishment_id").annotate(n=Count("pk")).values_list("establishment_id", "n")
    )
    latest = records.order_by("establishment_id", "-day").distinct("establishment_id")
    return {
        row.establishment_id: MonthUsage(
            days=days.get(row.establishment_id, 0),
            accounts=row.accounts,
            active_users=row.active_month,
            storage_bytes=row.storage_bytes,
        )
        for row in latest.only("establishment_id", "accounts", "active_month", "storage_bytes")
    }


def contracts_of_month(month: datetime.date) -> dict[int, tuple[Contract, PricePlan | None]]:
    """Funder id → its contract in force during the month (the latest started) and the plan in
    force on the month's first day."""
    first, last = month_bounds(month)
    contracts = (
        Contract.objects.filter(starts_on__lte=last)
        .exclude(ends_on__lt=first)
        .order_by("funder_id", "-starts_on", "-pk")
        .distinct("funder_id")
    )
    found = {contract.funder_id: contract for contract in contracts}
    plans: dict[int, PricePlan] = {}
    for change in (
        ContractPlan.objects.filter(contract__in=list(found.values()), effective_from__lte=first)
        .select_related("plan")
        .prefetch_related("plan__tiers")
        .order_by("contract_id", "effective_from")
    ):
        plans[change.contract_id] = change.plan  # the latest one in force wins
    return {funder_id: (contract, plans.get(contract.pk)) for funder_id, contract in found.items()}


def invoice_drafts(month: datetime.date, *, funder_ids: list[int] | None = None) -> list[InvoiceDraft]:
    """The month's invoices, one per funder that funds an establishment with usage that month
    (those without a contract or plan are listed, not billable)."""
    first, last = month_bounds(month)
    funder_of = funders_on(last)
    if funder_ids is not None:
        funder_of = {e: f for e, f in funder_of.items() if f in funder_ids}
    usage = usage_of_month(first, establishment_ids=None if funder_ids is None else list(funder_of))
    by_funder: dict[int, list[int]] = defaultdict(list)
    for establishment_id in sorted(usage):
        funder_id = funder_of.get(establishment_id)
        if funder_id is not None:
            by_funder[funder_id].append(establishment_id)
    if not by_funder:
        return []
    funders = Funder.objects.in_bulk(list(by_funder))
    contracts = contracts_of_month(first)
    establishments = Establishment.objects.only("pk", "uai", "name").in_bulk(
        [e for ids in by_funder.values() for e in ids]
    )
    drafts = []
    for funder_id in sorted(by_funder, key=lambda pk: funders[pk].name):
        contract, plan = contracts.get(funder_id, (None, None))
        draft = InvoiceDraft(funder=funders[funder_id], month=first, contract=contract, plan=plan)
        prices = plan_prices(plan) if plan is not None else None
        for establishment_id in by_funder[funder_id]:
            establishment = establishments.get(establishment_id)
            if establishment is None or prices is None:  # offboarded since, or nothing to price
                continue
            figures = usage[establishment_id]
            draft.lines.append(
                LineDraft(
                    establishment_id=establishment_id,
                    uai=establishment.uai,
                    name=establishment.name,
                    days_metered=figures.days,
                    accounts=figures.accounts,
                    active_users=figures.active_users,
                    storage_bytes=figures.storage_bytes,
                    amounts=line_amounts(
                        prices,
                        accounts=figures.accounts,
                        active_users=figures.active_users,
                        storage_bytes=figures.storage_bytes,
                    ),
                )
            )
        draft.lines.sort(key=lambda line: (line.name, line.uai))
        drafts.append(draft)
    return drafts
