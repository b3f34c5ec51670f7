"""Invoice pages (portal): the list (operators: all; a funder's viewers: theirs), an invoice with
its PDF and CSV, the operators' preview of a month and its issue, the credit note. Thin."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.parsing import parse_month, parse_text, query_month
from mbn_platform.kernel.tenancy import request_access
from shared_apps.billing.documents import invoice_csv, invoice_pdf
from shared_apps.billing.drafts import invoice_drafts
from shared_apps.billing.invoicing import credit_note_issue, invoices_issue
from shared_apps.billing.models import Invoice
from shared_apps.billing.permissions import BILLING_OPERATORS, BILLING_READERS
from shared_apps.billing.selectors import funder_scope, invoice_visible, invoices_visible
from shared_apps.billing.views import BillingView


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class InvoiceListView(BillingView):
    def get(self, request: HttpRequest) -> HttpResponse:
        scope = funder_scope(access=request_access(request))
        page = Paginator(invoices_visible(scope=scope).select_related("funder"), 30).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "billing/invoice_list.html",
            {"page": page, "scope": scope, "default_month": previous_month(timezone.localdate())},
        )


class InvoicePreviewView(BillingView):
    """The month's invoices as they would be issued (GET), then issued (POST)."""

    required_region_roles = BILLING_OPERATORS

    def get(self, request: HttpRequest) -> HttpResponse:
        month = query_month(request.GET, "month") or previous_month(timezone.localdate())
        drafts = invoice_drafts(month)
        issued = {
            invoice.funder_id: invoice
            for invoice in Invoice.objects.filter(month=month, kind="invoice", credit_notes__isnull=True)
        }
        return render(
            request,
            "billing/invoice_preview.html",
            {"month": month, "drafts": [(draft, issued.get(draft.funder.pk)) for draft in drafts]},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        month = parse_month(request.POST.get("month", ""), field="month")
        issued = invoices_issue(actor=actor_of(request), month=month)
        messages.success(
            request,
            _("%(count)s invoice(s) issued for %(month)s.")
            % {"count": len(issued), "month": f"{month:%m/%Y}"},
        )
        return HttpResponseRedirect(reverse("billing-invoices"))


class InvoiceDetailView(BillingView):
    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        scope = funder_scope(access=request_access(request))
        invoice = invoice_visible(scope=scope, invoice_id=invoice_id)
        return render(
            request,
            "billing/invoice_detail.html",
            {
                "invoice": invoice,
                "lines": invoice.lines.all(),
                "credit_notes": list(invoice.credit_notes.all()),
                "can_correct": scope.operator and invoice.kind == "invoice",
            },
        )


class CreditNoteView(BillingView):
    """An operator corrects an invoice: a credit note cancelling it."""

    required_region_roles = BILLING_OPERATORS

    def post(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = invoice_visible(scope=funder_scope(access=request_access(request)), invoice_id=invoice_id)
        try:
            note = credit_note_issue(
                actor=actor_of(request),
                invoice=invoice,
                reason=parse_text(request.POST.get("reason", ""), field="reason", max_length=2000),
            )
        except ApplicationError as error:
            messages.error(
                request, "; ".join([error.message, *[m for ms in error.fields.values() for m in ms]])
            )
            return HttpResponseRedirect(reverse("billing-invoice", args=[invoice.pk]))
        messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
        return HttpResponseRedirect(reverse("billing-invoice", args=[note.pk]))


class InvoicePdfView(BillingView):
    required_region_roles = BILLING_READERS

    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = invoice_visible(scope=funder_scope(access=request_access(request)), invoice_id=invoice_id)
        response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
        return response


class InvoiceCsvView(BillingView):
    def get(self, request: HttpRequest, invoice_id: int) -> HttpResponse:
        invoice = invoice_visible(scope=funder_scope(access=request_access(request)), invoice_id=invoice_id)
        response = HttpResponse(invoice_csv(invoice), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.csv"'
        return response
