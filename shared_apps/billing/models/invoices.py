"""Invoices and credit notes: numbered without gaps per series and year, never changed once
issued (a correction is a credit note that references the invoice)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.billing.models.contracts import Contract
from shared_apps.billing.models.funders import Funder
from shared_apps.billing.models.immutable import ImmutableModel, ImmutableQuerySet


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceCounter(models.Model):
    """The last number given in a series and year. Issuing locks this row (SELECT … FOR UPDATE)
    and takes the next number in the transaction that writes the invoice: a rolled-back issue
    gives its number back, so numbers have no gaps."""

    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice counter")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["series", "year"], name="billing_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_number}"


class Invoice(ImmutableModel):
    """A funder's invoice for a month (or a credit note correcting one), as issued.

    What it names (funder, contract, plan, establishments) is copied into it: a later change of
    a funder's address or a plan's prices never changes an issued invoice.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=InvoiceKind.choices)
    number = models.CharField(_("number"), max_length=32, unique=True)
    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="invoices")
    funder_name = models.CharField(max_length=200)
    funder_address = models.TextField(blank=True, default="")
    month = models.DateField(_("month"))  # its first day
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    contract_reference = models.CharField(max_length=60, blank=True, default="")
    plan_name = models.CharField(max_length=200, blank=True, default="")
    vat_rate = models.DecimalField(max_digits=5, decimal_places=4)
    total_excl_vat = models.DecimalField(_("total excluding VAT"), max_digits=14, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total_incl_vat = models.DecimalField(_("total including VAT"), max_digits=14, decimal_places=2)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    reason = models.TextField(_("reason"), blank=True, default="")
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        ordering: ClassVar = ["-issued_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["series", "year", "sequence"], name="billing_invoice_sequence"),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", corrects__isnull=True)
                | models.Q(kind="credit_note", corrects__isnull=False),
                name="billing_credit_note_corrects",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["funder", "month"], name="billing_invoice_month_idx")]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(ImmutableModel):
    """One establishment of an invoice: its metered figures for the month and their prices."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField()
    establishment = models.ForeignKey(
        "tenants.Establishment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    uai = models.CharField(max_length=8)
    establishment_name = models.CharField(max_length=200)
    days_metered = models.PositiveSmallIntegerField(default=0)
    accounts = models.IntegerField(default=0)
    active_users = models.IntegerField(default=0)
    storage_bytes = models.BigIntegerField(default=0)
    establishment_fee = models.DecimalField(max_digits=12, decimal_places=2)
    tier_fee = models.DecimalField(max_digits=12, decimal_places=2)
    users_fee = models.DecimalField(max_digits=12, decimal_places=2)
    storage_fee = models.DecimalField(max_digits=12, decimal_places=2)
    total_excl_vat = models.DecimalField(max_digits=12, decimal_places=2)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice line")
        ordering: ClassVar = ["invoice_id", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["invoice", "position"], name="billing_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}#{self.position} {self.uai}"
