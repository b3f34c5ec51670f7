"""Price plans and the funders' contracts (with the plan changes that take effect on a date)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.billing.models.funders import Funder


class PricePlan(models.Model):
    """What an establishment costs a month: a flat fee, a fee by size (accounts), a price per
    active user, and storage beyond an allowance. Amounts in euros, excluding VAT."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    establishment_fee = models.DecimalField(
        _("flat fee per establishment and month"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    price_per_active_user = models.DecimalField(
        _("price per active user and month"), max_digits=10, decimal_places=4, default=Decimal("0")
    )
    storage_allowance_gb = models.DecimalField(
        _("storage included per establishment (GB)"), max_digits=10, decimal_places=3, default=Decimal("0")
    )
    price_per_extra_gb = models.DecimalField(
        _("price per GB beyond the allowance and month"),
        max_digits=10,
        decimal_places=4,
        default=Decimal("0"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("price plan")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class PriceTier(models.Model):
    """A size tier of a plan: establishments with at most ``up_to_accounts`` accounts (no limit
    when empty) pay ``monthly_fee`` a month on top of the flat fee. The smallest tier that fits
    applies."""

    plan = models.ForeignKey(PricePlan, on_delete=models.CASCADE, related_name="tiers")
    up_to_accounts = models.PositiveIntegerField(_("up to (accounts)"), null=True, blank=True)
    monthly_fee = models.DecimalField(_("monthly fee"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("size tier")
        ordering: ClassVar = [models.F("up_to_accounts").asc(nulls_last=True)]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "up_to_accounts"], name="billing_tier_unique_bound"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} ≤ {self.up_to_accounts}: {self.monthly_fee}"


def default_vat_rate() -> Decimal:
    return Decimal(str(settings.BILLING_VAT_RATE))


class Contract(models.Model):
    """A funder's contract over a period (open-ended when ``ends_on`` is empty)."""

    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4, default=default_vat_rate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        ordering: ClassVar = ["funder_id", "-starts_on"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="billing_contract_period",
            ),
            models.CheckConstraint(
                condition=models.Q(vat_rate__gte=0) & models.Q(vat_rate__lt=1), name="billing_contract_vat"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ContractPlan(models.Model):
    """The plan of a contract from the first day of a month on (a plan change)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="plans")
    plan = models.ForeignKey(PricePlan, on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract plan")
        ordering: ClassVar = ["contract_id", "effective_from"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["contract", "effective_from"], name="billing_contract_plan_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.plan_id} from {self.effective_from}"
