"""What an establishment's month costs under a plan: pure arithmetic on Decimals.

Rounding (documented in docs/billing.md): each component of a line (flat fee, size tier, active
users, storage) is rounded to the cent, half up; a line's total is the sum of its rounded
components; an invoice's total excluding VAT is the sum of its lines; the VAT is computed once,
on that total, and rounded to the cent, half up; the total including VAT is their sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
GB = Decimal(1000**3)  # storage is billed in decimal gigabytes (10^9 bytes)


def to_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PlanPrices:
    """A plan's prices as the computation needs them (copied from ``PricePlan`` and its tiers)."""

    establishment_fee: Decimal
    price_per_active_user: Decimal
    storage_allowance_gb: Decimal
    price_per_extra_gb: Decimal
    tiers: Sequence[tuple[int | None, Decimal]] = ()  # (up to accounts or None, monthly fee)


@dataclass(frozen=True)
class LineAmounts:
    establishment_fee: Decimal
    tier_fee: Decimal
    users_fee: Decimal
    storage_fee: Decimal

    @property
    def total(self) -> Decimal:
        return self.establishment_fee + self.tier_fee + self.users_fee + self.storage_fee


def tier_fee(prices: PlanPrices, accounts: int) -> Decimal:
    """The fee of the smallest tier whose bound holds ``accounts`` (0 without tiers)."""
    bounded = sorted((bound, fee) for bound, fee in prices.tiers if bound is not None)
    for bound, fee in bounded:
        if accounts <= bound:
            return fee
    unbounded = [fee for bound, fee in prices.tiers if bound is None]
    if unbounded:
        return unbounded[0]
    return bounded[-1][1] if bounded else Decimal("0")


def extra_storage_gb(prices: PlanPrices, storage_bytes: int) -> Decimal:
    return max(Decimal(storage_bytes) / GB - prices.storage_allowance_gb, Decimal("0"))


def line_amounts(prices: PlanPrices, *, accounts: int, active_users: int, storage_bytes: int) -> LineAmounts:
    return LineAmounts(
        establishment_fee=to_cent(prices.establishment_fee),
        tier_fee=to_cent(tier_fee(prices, accounts)),
        users_fee=to_cent(prices.price_per_active_user * active_users),
        storage_fee=to_cent(extra_storage_gb(prices, storage_bytes) * prices.price_per_extra_gb),
    )


def invoice_totals(line_totals: Sequence[Decimal], vat_rate: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(total excluding VAT, VAT, total including VAT) of lines already rounded to the cent."""
    excl = sum(line_totals, Decimal("0"))
    vat = to_cent(excl * vat_rate)
    return excl, vat, excl + vat
