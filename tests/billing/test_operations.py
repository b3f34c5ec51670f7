"""Operators' operations through the pages and the API: preview and issue a month, correct an
invoice, change an establishment's funder; each audited."""

from __future__ import annotations

import datetime

import pytest

from shared_apps.audit.models import AuditEntry
from shared_apps.billing.models import Invoice, InvoiceKind, UsageDay
from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole
from tests.billing.helpers import contract, establishment, funder, plan
from tests.conftest import client_for
from tests.factories import UserFactory

MONTH = datetime.date(2025, 6, 1)


@pytest.fixture
def operator(db):
    user = UserFactory()
    RegionRoleAssignment.objects.create(user=user, role=RegionRole.REGION_OPERATOR)
    return user


@pytest.fixture
def billable(db):
    payer = funder(name="Funder billable")
    contract(payer, plan(establishment_fee="99.99"))
    school = establishment(payer, name="Collège Facturé")
    UsageDay.objects.create(establishment_id=school.pk, day=MONTH, accounts=10, active_month=4)
    return payer


def test_the_operator_previews_then_issues_the_month(operator, billable):
    client = client_for(operator)
    preview = client.get("/billing/invoices/preview/", {"month": "2025-06"}).content.decode()
    assert "Collège Facturé" in preview
    assert "99.99 €" in preview
    assert not Invoice.objects.filter(funder=billable).exists()

    response = client.post("/billing/invoices/preview/", {"month": "2025-06"})

    assert response.status_code == 302
    invoice = Invoice.objects.get(funder=billable, month=MONTH)
    assert invoice.total_excl_vat == invoice.lines.get().total_excl_vat
    assert client.get(f"/billing/invoices/{invoice.pk}/").status_code == 200


def test_the_api_issues_and_corrects(operator, billable):
    api = client_for(operator, api=True)
    preview = api.get("/api/v1/billing/invoices/preview/", {"month": "2025-06"}).json()["results"]
    assert [d["total_excl_vat"] for d in preview if d["funder"] == billable.code] == ["99.99"]

    issued = api.post("/api/v1/billing/invoices/issue/", {"month": "2025-06", "funder": billable.code})
    assert issued.status_code == 201
    [invoice] = issued.json()
    assert invoice["total_incl_vat"] == "119.99"  # 99.99 + 20.00 (19.998 rounded)
    again = api.post("/api/v1/billing/invoices/issue/", {"month": "2025-06", "funder": billable.code})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_invoiced"

    note = api.post(f"/api/v1/billing/invoices/{invoice['id']}/credit-note/", {"reason": "Wrong month"})
    assert note.status_code == 201
    assert note.json()["corrects"] == invoice["number"]
    assert note.json()["kind"] == InvoiceKind.CREDIT_NOTE
    assert AuditEntry.objects.filter(action="billing.credit_note_issued", actor=operator).exists()


def test_the_credit_note_page_needs_a_reason(operator, billable):
    client = client_for(operator)
    client.post("/billing/invoices/preview/", {"month": "2025-06"})
    invoice = Invoice.objects.get(funder=billable, month=MONTH)
    client.post(f"/billing/invoices/{invoice.pk}/credit-note/", {"reason": "  "})
    assert not Invoice.objects.filter(corrects=invoice).exists()
    client.post(f"/billing/invoices/{invoice.pk}/credit-note/", {"reason": "Duplicate"})
    assert Invoice.objects.get(corrects=invoice).reason == "Duplicate"


def test_the_console_changes_an_establishments_funder(operator, school_a):
    other = funder(name="Nouveau financeur")
    client = client_for(operator)
    page = client.get(f"/console/establishments/{school_a.uai}/").content.decode()
    assert "Conseil départemental du Bas-Rhin" in page and "Funder history" in page

    client.post(
        f"/console/establishments/{school_a.uai}/",
        {"action": "funder", "funder": other.code, "effective_from": "", "reason": "New convention"},
    )

    school_a.refresh_from_db()
    assert school_a.funded_by == other
    assert "Nouveau financeur" in client.get(f"/console/establishments/{school_a.uai}/").content.decode()
    assert AuditEntry.objects.filter(action="billing.funder_assigned", establishment_id=school_a.pk).exists()


def test_the_api_changes_an_establishments_funder(operator, school_b):
    other = funder()
    api = client_for(operator, api=True)
    response = api.post(
        f"/api/v1/billing/establishments/{school_b.uai}/funder/", {"funder": other.code, "reason": "x"}
    )
    assert response.status_code == 200
    assert response.json()["code"] == other.code
    unknown = api.post(f"/api/v1/billing/establishments/{school_b.uai}/funder/", {"funder": "nobody"})
    assert unknown.status_code == 400
    assert "funder" in unknown.json()["error"]["fields"]
