"""An issued invoice as a PDF (its text read back) and as CSV; without Pango the PDF is refused
with a clear message, not a crash."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from mbn_platform.kernel.errors import ServiceUnavailable
from shared_apps.billing import documents
from shared_apps.billing.documents import invoice_csv, invoice_pdf
from shared_apps.billing.invoicing import credit_note_issue, invoice_issue
from tests.billing.test_invoices import MONTH, small_region  # noqa: F401  (a fixture)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_says_what_the_invoice_holds(small_region):  # noqa: F811
    invoice = invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)

    pdf = invoice_pdf(invoice)

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert f"Facture {invoice.number}" in text  # French: the invoices' language
    assert "Conseil départemental test" in text
    for name in ("Collège A", "Collège B", "Collège C"):
        assert name in text
    assert "596,43" in text and "119,29" in text and "715,72" in text
    assert "03/2025" in text


def test_the_credit_note_pdf_names_the_invoice_it_cancels(small_region):  # noqa: F811
    invoice = invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)
    note = credit_note_issue(actor=None, invoice=invoice, reason="Erreur de tarif")
    text = _text(invoice_pdf(note))
    assert f"Avoir {note.number}" in text
    assert invoice.number in text and "Erreur de tarif" in text
    assert "-715,72" in text


def test_the_csv_has_a_row_per_establishment_and_the_totals(small_region):  # noqa: F811
    invoice = invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)
    rows = list(csv.reader(io.StringIO(invoice_csv(invoice))))
    assert rows[0][:5] == ["number", "month", "funder", "uai", "establishment"]
    assert [row[4] for row in rows[1:4]] == ["Collège A", "Collège B", "Collège C"]
    assert [row[-1] for row in rows[1:4]] == ["154.86", "229.35", "212.22"]
    assert [(row[4], row[-1]) for row in rows[4:]] == [
        ("total_excl_vat", "596.43"),
        ("vat_0.2000", "119.29"),
        ("total_incl_vat", "715.72"),
    ]


def test_without_pango_the_pdf_is_refused_with_a_clear_message(small_region, monkeypatch):  # noqa: F811
    invoice = invoice_issue(actor=None, funder=small_region["funder"], month=MONTH)

    def no_pango() -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(documents, "_import_weasyprint", no_pango)
    with pytest.raises(ServiceUnavailable) as error:
        invoice_pdf(invoice)
    assert error.value.code == "pdf_unavailable"
    assert "Pango" in error.value.message
