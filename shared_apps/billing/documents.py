"""An issued invoice as a PDF (WeasyPrint, from an HTML template) and as CSV.

Both are made from the issued invoice's own rows, which never change: the same invoice gives the
same document every time. WeasyPrint needs the system's Pango library; without it the PDF is
refused with a clear message (503 ``pdf_unavailable``) and everything else keeps working.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ServiceUnavailable
from shared_apps.billing.models import Invoice, InvoiceKind

PDF_UNAVAILABLE_MESSAGE = gettext_lazy(
    "PDF invoices need WeasyPrint and the system's Pango library "
    "(apt-get install libpango-1.0-0 libpangoft2-1.0-0); the CSV works without them."
)


def _import_weasyprint() -> Any:
    import weasyprint

    return weasyprint


def _weasyprint() -> Any:
    try:
        return _import_weasyprint()
    except (ImportError, OSError) as error:  # OSError: the Pango library could not be loaded
        raise ServiceUnavailable(PDF_UNAVAILABLE_MESSAGE, code=ErrorCode.PDF_UNAVAILABLE) from error


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    lines = list(invoice.lines.all())
    return {
        "invoice": invoice,
        "lines": lines,
        "is_credit_note": invoice.kind == InvoiceKind.CREDIT_NOTE,
        "vat_percent": (invoice.vat_rate * 100).normalize(),
    }


def invoice_pdf(invoice: Invoice, *, language: str = "fr") -> bytes:
    """The invoice as a PDF (in French by default: the invoices' legal language)."""
    weasyprint = _weasyprint()
    with translation.override(language):
        html = render_to_string("billing/invoice_pdf.html", invoice_context(invoice))
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def invoice_csv(invoice: Invoice) -> str:
    """One row per line, then the totals (amounts with a dot, two decimals, in euros)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "number",
            "month",
            "funder",
            "uai",
            "establishment",
            "days_metered",
            "accounts",
            "active_users",
            "storage_bytes",
            "establishment_fee",
            "tier_fee",
            "users_fee",
            "storage_fee",
            "total_excl_vat",
        ]
    )
    for line in invoice.lines.all():
        writer.writerow(
            [
                invoice.number,
                invoice.month.strftime("%Y-%m"),
                invoice.funder_name,
                line.uai,
                line.establishment_name,
                line.days_metered,
                line.accounts,
                line.active_users,
                line.storage_bytes,
                _amount(line.establishment_fee),
                _amount(line.tier_fee),
                _amount(line.users_fee),
                _amount(line.storage_fee),
                _amount(line.total_excl_vat),
            ]
        )
    for label, value in (
        ("total_excl_vat", invoice.total_excl_vat),
        (f"vat_{invoice.vat_rate}", invoice.vat_amount),
        ("total_incl_vat", invoice.total_incl_vat),
    ):
        writer.writerow([invoice.number, "", "", "", label, "", "", "", "", "", "", "", "", _amount(value)])
    return out.getvalue()
