"""Writes of price plans and contracts (plan changes take effect on the first day of a month)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record, audit_values
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.billing.models import Contract, ContractPlan, Funder, PricePlan, PriceTier


@transaction.atomic
def price_plan_create(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    establishment_fee: Decimal = Decimal("0"),
    price_per_active_user: Decimal = Decimal("0"),
    storage_allowance_gb: Decimal = Decimal("0"),
    price_per_extra_gb: Decimal = Decimal("0"),
    tiers: Sequence[tuple[int | None, Decimal]] = (),
) -> PricePlan:
    """A plan and its size tiers ((at most so many accounts, or None for no limit) → monthly fee)."""
    amounts = {
        "establishment_fee": establishment_fee,
        "price_per_active_user": price_per_active_user,
        "storage_allowance_gb": storage_allowance_gb,
        "price_per_extra_gb": price_per_extra_gb,
    }
    negative = {name: [_("Must not be negative.")] for name, value in amounts.items() if value < 0}
    if negative or any(fee < 0 for _bound, fee in tiers):
        raise ValidationFailed(fields=negative or {"tiers": [_("Must not be negative.")]})
    plan = PricePlan.objects.create(code=code, name=name, **amounts)
    PriceTier.objects.bulk_create(
        [PriceTier(plan=plan, up_to_accounts=bound, monthly_fee=fee) for bound, fee in tiers]
    )
    audit_record(
        actor=actor,
        action="billing.plan_created",
        target=plan,
        details=audit_values({**amounts, "code": code, "tiers": [f"{b}:{f}" for b, f in tiers]}),
    )
    return plan


def _first_of_month(day: datetime.date, *, field: str) -> datetime.date:
    if day.day != 1:
        raise ValidationFailed(fields={field: [_("A plan change takes effect on the first day of a month.")]})
    return day


@transaction.atomic
def contract_create(
    *,
    actor: Actor | None,
    funder: Funder,
    reference: str,
    plan: PricePlan,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    vat_rate: Decimal | None = None,
) -> Contract:
    """A funder's contract from ``starts_on`` (the first of a month) with its first plan."""
    _first_of_month(starts_on, field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed(fields={"ends_on": [_("The contract cannot end before it starts.")]})
    if vat_rate is not None and not Decimal("0") <= vat_rate < Decimal("1"):
        raise ValidationFailed(fields={"vat_rate": [_("A rate between 0 and 1, e.g. 0.20.")]})
    contract = Contract.objects.create(
        funder=funder,
        reference=reference,
        starts_on=starts_on,
        ends_on=ends_on,
        **({"vat_rate": vat_rate} if vat_rate is not None else {}),
    )
    ContractPlan.objects.create(contract=contract, plan=plan, effective_from=starts_on)
    audit_record(
        actor=actor,
        action="billing.contract_created",
        target=contract,
        details=audit_values(
            {
                "funder": funder.code,
                "reference": reference,
                "plan": plan.code,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "vat_rate": contract.vat_rate,
            }
        ),
    )
    return contract


@transaction.atomic
def contract_plan_change(
    *, actor: Actor | None, contract: Contract, plan: PricePlan, effective_from: datetime.date
) -> ContractPlan:
    """Change a contract's plan from the first day of a month on (months invoiced already keep
    their invoices: an issued invoice never changes)."""
    _first_of_month(effective_from, field="effective_from")
    if effective_from < contract.starts_on:
        raise ValidationFailed(fields={"effective_from": [_("The contract has not started then.")]})
    previous = contract.plans.filter(effective_from__lte=effective_from).order_by("-effective_from").first()
    change, _created = ContractPlan.objects.update_or_create(
        contract=contract, effective_from=effective_from, defaults={"plan": plan}
    )
    audit_record(
        actor=actor,
        action="billing.contract_plan_changed",
        target=contract,
        details={
            "changes": {"plan": {"from": previous.plan.code if previous else None, "to": plan.code}},
            "effective_from": effective_from.isoformat(),
        },
    )
    return change
