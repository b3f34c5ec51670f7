"""A month's invoice for a small region, computed by hand to the cent; one invoice per funder and
month; a credit note correcting an issued invoice; issued invoices never change."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.billing.contracts import contract_plan_change
from shared_apps.billing.drafts import invoice_drafts
from shared_apps.billing.invoicing import credit_note_issue, invoice_issue, invoice_live, invoices_issue
from shared_apps.billing.models import Invoice, InvoiceKind, RecordIsImmutable, UsageDay
from tests.billing.helpers import contract, establishment, funder, plan
from tests.factories import UserFactory

MONTH = datetime.date(2025, 3, 1)
LAST = datetime.date(2025, 3, 31)


def usage(est, day, *, accounts, active_month, storage_bytes):
    UsageDay.objects.create(
        establishment_id=est.pk,
        day=day,
        accounts=accounts,
        active_month=active_month,
        storage_bytes=storage_bytes,
    )


@pytest.fixture
def small_region(db):
    """A funder paying for three establishments under a plan with every kind of price."""
    payer = funder(name="Conseil départemental test")
    the_plan = plan(
        establishment_fee="120.00",
        price_per_active_user="0.345",
        storage_allowance_gb="1",
        price_per_extra_gb="0.1234",
        tiers=[(100, Decimal("15.00")), (500, Decimal("40.00")), (None, Decimal("90.00"))],
    )
    the_contract = contract(payer, the_plan)
    small, medium, large = (
        establishment(payer, name="Collège A"),
        establishment(payer, name="Collège B"),
        establishment(payer, name="Collège C"),
    )
    # Earlier days of the month, then the last day, whose figures are the month's.
    for est in (small, medium, large):
        usage(est, MONTH, accounts=1, active_month=1, storage_bytes=1)
    usage(small, LAST, accounts=80, active_month=57, storage_bytes=2_500_000_000)
    usage(medium, LAST, accounts=320, active_month=201, storage_bytes=300_000_000)
    usage(large, LAST, accounts=1200, active_month=3, storage_bytes=10_555_000_000)
    return {"funder": payer, "plan": the_plan, "contract": the_contract, "schools": (small, medium, large)}


def test_the_month_is_invoiced_to_the_cent_as_computed_by_hand(small_region):
    # By hand, each component rounded to the cent half up:
    #   A: 120.00 + 15.00 (≤100) + 57 x 0.345 = 19.665 → 19.67 + 1.5 GB x 0.1234 = 0.1851 → 0.19 = 154.86
    #   B: 120.00 + 40.00 (≤500) + 201 x 0.345 = 69.345 → 69.35 + 0 (within 1 GB)            = 229.35
    #   C: 120.00 + 90.00 (more) + 3 x 0.345 = 1.035 → 1.04 + 9.555 GB x 0.1234 → 1.18       = 212.22
    #   total 596.43; VAT 20 % = 119.286 → 119.29; total including VAT 715.72
    operator = UserFactory()
    invoice = invoice_issue(actor=operator, funder=small_region["funder"], month=MONTH)

    lines = list(invoice.lines.order_by("position"))
    assert [line.establishment_name for line in lines] == ["Collège A", "Collège B", "Collège C"]
    assert [line.total_excl_vat for line in lines] == [
        Decimal("154.86"),
        Decimal("229.35"),
        Decimal("212.22"),
    ]
    assert [(line.tier_fee, line.users_fee, line.storage_fee) for line in lines] == [
        (Decimal("15.00"), Decimal("19.67"), Decimal("0.19")),
        (Decimal("40.00"), Decimal("69.35"), Decimal("0.00")),
        (Decimal("90.00"), Decimal("1.04"), Decimal("1.18")),
    ]
    assert [(line.accounts, line.active_users, line.days_metered) for line in lines] == [
        (80, 57, 2),
        (320, 201, 2),
        (1200, 3, 2),
    ]
    assert (invoice.total_excl_vat, invoice.vat_amount, invoice.total_incl_vat) == (
        Decimal("596.43"),
        Decimal("119.29"),
        Decimal("715.72"),
    )
    assert invoice.kind == InvoiceKind.INVOICE
    assert invoice.number == f"FA-{invoice.year}-{invoice.sequence:05d}"
    assert invoice.issued_by_id == operator.pk
    assert AuditEntry.objects.filter(action="billing.invoice_issued", target_id=str(invoice.pk)).exists()


def test_the_preview_shows_the_same_figures_without_writing(small_region):
    [draft] = invoice_drafts(MONTH, funder_ids=[small_region["funder"].pk])
    assert draft.totals == (Decimal("596.43"), Decimal("119.29"), Decimal("715.72"))
    assert not Invoice.objects.filter(funder=small_region["funder"]).exists()


def test_a_month_is_invoiced_once_per_funder(small_region):
    invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)
    with pytest.raises(Conflict):
        invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)
    assert invoices_issue(actor=None, month=MONTH) == []


def test_a_plan_change_applies_from_its_month(small_region):
    cheaper = plan(establishment_fee="100.00")
    contract_plan_change(
        actor=None, contract=small_region["contract"], plan=cheaper, effective_from=datetime.date(2025, 4, 1)
    )
    [march] = invoice_drafts(MONTH, funder_ids=[small_region["funder"].pk])
    assert march.plan == small_region["plan"]
    with pytest.raises(ValidationFailed):
        contract_plan_change(
            actor=None,
            contract=small_region["contract"],
            plan=cheaper,
            effective_from=datetime.date(2025, 4, 15),
        )


def test_a_credit_note_corrects_an_issued_invoice(small_region):
    # Given an issued invoice
    invoice = invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)
    # When an operator corrects it
    note = credit_note_issue(actor=UserFactory(), invoice=invoice, reason="Wrong plan applied")
    # Then a credit note cancels it, line by line, and references it
    assert note.kind == InvoiceKind.CREDIT_NOTE
    assert note.corrects == invoice
    assert note.number.startswith(f"AV-{note.year}-")
    assert (note.total_excl_vat, note.vat_amount, note.total_incl_vat) == (
        Decimal("-596.43"),
        Decimal("-119.29"),
        Decimal("-715.72"),
    )
    assert [line.total_excl_vat for line in note.lines.order_by("position")] == [
        Decimal("-154.86"),
        Decimal("-229.35"),
        Decimal("-212.22"),
    ]
    # The invoice itself is unchanged; the month may be invoiced again
    invoice.refresh_from_db()
    assert invoice.total_incl_vat == Decimal("715.72")
    assert invoice_live(funder=small_region["funder"], month=MONTH) is None
    again = invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)
    assert again.number != invoice.number
    # A second correction of the same invoice is refused
    with pytest.raises(Conflict):
        credit_note_issue(actor=None, invoice=invoice, reason="Twice")


def test_an_issued_invoice_never_changes(small_region):
    invoice = invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)
    invoice.total_excl_vat = Decimal("1.00")
    with pytest.raises(RecordIsImmutable):
        invoice.save()
    with pytest.raises(RecordIsImmutable):
        invoice.lines.update(total_excl_vat=Decimal("0"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_invoiceline WHERE invoice_id = %s", [invoice.pk])
    assert Invoice.objects.get(pk=invoice.pk).total_excl_vat == Decimal("596.43")


def test_nothing_is_invoiced_without_a_contract(db):
    payer = funder()
    school = establishment(payer)
    usage(school, LAST, accounts=10, active_month=5, storage_bytes=0)
    with pytest.raises(ValidationFailed):
        invoice_issue(actor=None, funder=payer, month=MONTH)
    [draft] = invoice_drafts(MONTH, funder_ids=[payer.pk])
    assert not draft.billable
