"""Issuing invoices and credit notes.

Numbers: one series per kind (``FA`` invoices, ``AV`` credit notes), restarting each year (of the
issue date), without gaps: the next number is taken from the series' counter row, locked with
``SELECT … FOR UPDATE``, in the very transaction that writes the invoice; concurrent issues wait
for each other there, and a rolled-back issue gives its number back. A funder's row is locked
first (so that one month of one funder is invoiced once), then the counter: always in this
order, so two issues never deadlock.

An issued invoice never changes (``models.immutable``). A correction is a credit note that
references it and cancels it line by line; the month can then be invoiced again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.billing.drafts import InvoiceDraft, invoice_drafts
from shared_apps.billing.models import Funder, Invoice, InvoiceCounter, InvoiceKind, InvoiceLine

SERIES = {InvoiceKind.INVOICE: "FA", InvoiceKind.CREDIT_NOTE: "AV"}


def number_next(*, series: str, year: int) -> tuple[int, str]:
    """The next number of a series and year, taken under the counter row's lock (call inside the
    transaction that writes the invoice)."""
    InvoiceCounter.objects.get_or_create(series=series, year=year)
    counter = InvoiceCounter.objects.select_for_update().get(series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, f"{series}-{year}-{counter.last_number:05d}"


def invoice_live(*, funder: Funder, month: datetime.date) -> Invoice | None:
    """The funder's invoice of the month that no credit note cancelled, if any."""
    return (
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE, funder=funder, month=month.replace(day=1), credit_notes__isnull=True
        )
        .order_by("-pk")
        .first()
    )


def _write(
    *,
    actor: Actor | None,
    kind: str,
    draft_funder: Funder,
    month: datetime.date,
    contract_reference: str,
    plan_name: str,
    vat_rate: Decimal,
    totals: tuple[Decimal, Decimal, Decimal],
    lines: list[InvoiceLine],
    contract_id: int | None,
    corrects: Invoice | None = None,
    reason: str = "",
) -> Invoice:
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    series = SERIES[InvoiceKind(kind)]
    sequence, number = number_next(series=series, year=year)
    invoice = Invoice.objects.create(
        kind=kind,
        number=number,
        series=series,
        year=year,
        sequence=sequence,
        funder=draft_funder,
        funder_name=draft_funder.name,
        funder_address=draft_funder.address,
        month=month,
        contract_id=contract_id,
        contract_reference=contract_reference,
        plan_name=plan_name,
        vat_rate=vat_rate,
        total_excl_vat=totals[0],
        vat_amount=totals[1],
        total_incl_vat=totals[2],
        corrects=corrects,
        reason=reason,
        issued_at=issued_at,
        issued_by_id=actor_id(actor),
    )
    for position, line in enumerate(lines, start=1):
        line.invoice = invoice
        line.position = position
    InvoiceLine.objects.bulk_create(lines)
    audit_record(
        actor=actor,
        action="billing.credit_note_issued" if corrects else "billing.invoice_issued",
        target=invoice,
        details={
            "number": number,
            "funder": draft_funder.code,
            "month": month.isoformat(),
            "total_excl_vat": str(totals[0]),
            "corrects": corrects.number if corrects else None,
        },
    )
    return invoice


@transaction.atomic
def invoice_issue(*, actor: Actor | None, funder: Funder, month: datetime.date) -> Invoice:
    """Issue the funder's invoice of the month (409 when it has one already, 400 when there is
    nothing to bill: no contract, no plan or no usage)."""
    locked = Funder.objects.select_for_update().get(pk=funder.pk)
    if invoice_live(funder=locked, month=month) is not None:
        raise Conflict(_("This month is already invoiced for this funder."), code=ErrorCode.ALREADY_INVOICED)
    drafts = invoice_drafts(month, funder_ids=[locked.pk])
    draft: InvoiceDraft | None = drafts[0] if drafts else None
    if draft is None or not draft.billable or draft.contract is None or draft.plan is None:
        raise ValidationFailed(
            _("Nothing to invoice: no contract, no plan or no usage recorded for this month."),
            code=ErrorCode.NOTHING_TO_INVOICE,
        )
    lines = [
        InvoiceLine(
            establishment_id=line.establishment_id,
            uai=line.uai,
            establishment_name=line.name,
            days_metered=line.days_metered,
            accounts=line.accounts,
            active_users=line.active_users,
            storage_bytes=line.storage_bytes,
            establishment_fee=line.amounts.establishment_fee,
            tier_fee=line.amounts.tier_fee,
            users_fee=line.amounts.users_fee,
            storage_fee=line.amounts.storage_fee,
            total_excl_vat=line.amounts.total,
        )
        for line in draft.lines
    ]
    return _write(
        actor=actor,
        kind=InvoiceKind.INVOICE,
        draft_funder=locked,
        month=draft.month,
        contract_reference=draft.contract.reference,
        plan_name=draft.plan.name,
        vat_rate=draft.vat_rate,
        totals=draft.totals,
        lines=lines,
        contract_id=draft.contract.pk,
    )


def invoices_issue(*, actor: Actor | None, month: datetime.date) -> list[Invoice]:
    """Issue every billable invoice of the month not issued yet (each in its own transaction)."""
    issued = []
    for draft in invoice_drafts(month):
        if draft.billable and invoice_live(funder=draft.funder, month=month) is None:
            try:
                issued.append(invoice_issue(actor=actor, funder=draft.funder, month=month))
            except Conflict:  # issued meanwhile by someone else
                continue
    return issued


@transaction.atomic
def credit_note_issue(*, actor: Actor | None, invoice: Invoice, reason: str) -> Invoice:
    """Cancel an issued invoice with a credit note of the opposite amounts, which references it.
    The month can then be invoiced again (with corrected figures or prices)."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the invoice is corrected.")]})
    if invoice.kind != InvoiceKind.INVOICE:
        raise ValidationFailed(
            _("Only an invoice can be corrected by a credit note."), code=ErrorCode.INVALID
        )
    Funder.objects.select_for_update().get(pk=invoice.funder_id)
    if Invoice.objects.filter(corrects=invoice).exists():
        raise Conflict(_("This invoice has been corrected already."), code=ErrorCode.ALREADY_CORRECTED)
    lines = [
        InvoiceLine(
            establishment_id=line.establishment_id,
            uai=line.uai,
            establishment_name=line.establishment_name,
            days_metered=line.days_metered,
            accounts=line.accounts,
            active_users=line.active_users,
            storage_bytes=line.storage_bytes,
            establishment_fee=-line.establishment_fee,
            tier_fee=-line.tier_fee,
            users_fee=-line.users_fee,
            storage_fee=-line.storage_fee,
            total_excl_vat=-line.total_excl_vat,
        )
        for line in invoice.lines.all()
    ]
    return _write(
        actor=actor,
        kind=InvoiceKind.CREDIT_NOTE,
        draft_funder=invoice.funder,
        month=invoice.month,
        contract_reference=invoice.contract_reference,
        plan_name=invoice.plan_name,
        vat_rate=invoice.vat_rate,
        totals=(-invoice.total_excl_vat, -invoice.vat_amount, -invoice.total_incl_vat),
        lines=lines,
        contract_id=invoice.contract_id,
        corrects=invoice,
        reason=reason[:2000],
    )
