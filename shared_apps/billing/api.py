"""The billing API (portal, /api/v1/billing/): funders, usage records, invoices (operators: all;
a funder's viewers: their own), the month's preview and issue, credit notes, an establishment's
funder. Thin: services and selectors do the work."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import parse_month, query_date, query_text
from mbn_platform.kernel.tenancy import request_access
from shared_apps.billing.drafts import InvoiceDraft, invoice_drafts
from shared_apps.billing.funders import establishment_funder_assign, funder_named
from shared_apps.billing.invoicing import credit_note_issue, invoice_issue, invoices_issue
from shared_apps.billing.models import Funder, Invoice, UsageDay
from shared_apps.billing.permissions import BILLING_OPERATORS, BILLING_READERS
from shared_apps.billing.selectors import (
    establishment_visible,
    funder_scope,
    invoice_visible,
    invoices_visible,
)
from tenants.models import Establishment


class FunderOut(serializers.Serializer[Funder]):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    departement = serializers.CharField()


class UsageOut(serializers.Serializer[UsageDay]):
    day = serializers.DateField()
    accounts = serializers.IntegerField()
    accounts_by_role = serializers.DictField(child=serializers.IntegerField())
    active = serializers.IntegerField()
    active_by_role = serializers.DictField(child=serializers.IntegerField())
    active_week_by_role = serializers.DictField(child=serializers.IntegerField())
    active_month = serializers.IntegerField()
    sign_ins = serializers.IntegerField()
    storage_bytes = serializers.IntegerField()
    storage_files = serializers.IntegerField()


class LineOut(serializers.Serializer[Any]):
    uai = serializers.CharField()
    establishment_name = serializers.CharField()
    days_metered = serializers.IntegerField()
    accounts = serializers.IntegerField()
    active_users = serializers.IntegerField()
    storage_bytes = serializers.IntegerField()
    establishment_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    tier_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    users_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    storage_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    total_excl_vat = serializers.DecimalField(max_digits=12, decimal_places=2)


class InvoiceOut(serializers.Serializer[Invoice]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    funder = serializers.CharField(source="funder.code")
    funder_name = serializers.CharField()
    month = serializers.DateField(format="%Y-%m")
    contract_reference = serializers.CharField()
    plan_name = serializers.CharField()
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    total_excl_vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    vat_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_incl_vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    corrects = serializers.CharField(source="corrects.number", default=None)
    reason = serializers.CharField()
    issued_at = serializers.DateTimeField()
    pdf_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()

    def get_pdf_url(self, obj: Invoice) -> str:
        return reverse("billing-invoice-pdf", args=[obj.pk])

    def get_csv_url(self, obj: Invoice) -> str:
        return reverse("billing-invoice-csv", args=[obj.pk])


class InvoiceDetailOut(InvoiceOut):
    lines = LineOut(many=True, source="lines.all")


def _draft_data(draft: InvoiceDraft) -> dict[str, Any]:
    excl, vat, incl = draft.totals
    return {
        "funder": draft.funder.code,
        "funder_name": draft.funder.name,
        "month": draft.month.strftime("%Y-%m"),
        "billable": draft.billable,
        "contract_reference": draft.contract.reference if draft.contract else "",
        "plan_name": draft.plan.name if draft.plan else "",
        "total_excl_vat": str(excl),
        "vat_amount": str(vat),
        "total_incl_vat": str(incl),
        "lines": [
            {
                "uai": line.uai,
                "establishment_name": line.name,
                "accounts": line.accounts,
                "active_users": line.active_users,
                "storage_bytes": line.storage_bytes,
                "total_excl_vat": str(line.amounts.total),
            }
            for line in draft.lines
        ],
    }


class FunderListApi(BaseAPIView):
    """The funders one may see (operators: all; a funder's viewer: theirs)."""

    required_region_roles = BILLING_READERS
    pagination_class = DefaultPagination

    @extend_schema(responses=FunderOut(many=True))
    def get(self, request: Request) -> Response:
        scope = funder_scope(access=request_access(request))
        return self.page_response(request, scope.funders(), lambda rows: FunderOut(rows, many=True).data)  # type: ignore[arg-type]


class UsageListApi(BaseAPIView):
    """An establishment's daily usage records (``?establishment=<UAI>&from=&to=``), oldest first."""

    required_region_roles = BILLING_READERS
    pagination_class = DefaultPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("establishment", str, required=True),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
        ],
        responses=UsageOut(many=True),
    )
    def get(self, request: Request) -> Response:
        scope = funder_scope(access=request_access(request))
        establishment = establishment_visible(
            scope=scope, uai=query_text(request.query_params, "establishment", max_length=8)
        )
        records = UsageDay.objects.filter(establishment_id=establishment.pk).order_by("day")
        since, until = query_date(request.query_params, "from"), query_date(request.query_params, "to")
        if since:
            records = records.filter(day__gte=since)
        if until:
            records = records.filter(day__lte=until)
        return self.page_response(request, records, lambda rows: UsageOut(rows, many=True).data)  # type: ignore[arg-type]


class InvoiceListApi(BaseAPIView):
    required_region_roles = BILLING_READERS
    pagination_class = DefaultPagination

    @extend_schema(responses=InvoiceOut(many=True))
    def get(self, request: Request) -> Response:
        scope = funder_scope(access=request_access(request))
        invoices = invoices_visible(scope=scope).select_related("funder")
        return self.page_response(request, invoices, lambda rows: InvoiceOut(rows, many=True).data)  # type: ignore[arg-type]


class InvoiceDetailApi(BaseAPIView):
    required_region_roles = BILLING_READERS

    @extend_schema(responses=InvoiceDetailOut)
    def get(self, request: Request, invoice_id: int) -> Response:
        invoice = invoice_visible(scope=funder_scope(access=request_access(request)), invoice_id=invoice_id)
        return Response(InvoiceDetailOut(invoice).data)


class InvoicePreviewApi(BaseAPIView):
    """The month's invoices as they would be issued (``?month=YYYY-MM``); nothing is written."""

    required_region_roles = BILLING_OPERATORS

    @extend_schema(parameters=[OpenApiParameter("month", str, required=True)], responses=dict)
    def get(self, request: Request) -> Response:
        month = parse_month(request.query_params.get("month", ""), field="month")
        return Response({"results": [_draft_data(draft) for draft in invoice_drafts(month)]})


class IssueIn(serializers.Serializer[dict[str, Any]]):
    month = serializers.CharField(max_length=7)
    funder = serializers.CharField(max_length=200, required=False, allow_blank=True)


class InvoiceIssueApi(BaseAPIView):
    """Issue the month's invoices (every billable funder not invoiced yet, or the one named)."""

    required_region_roles = BILLING_OPERATORS

    @extend_schema(request=IssueIn, responses={201: InvoiceOut(many=True)})
    def post(self, request: Request) -> Response:
        data = IssueIn(data=request.data)
        data.is_valid(raise_exception=True)
        month = parse_month(data.validated_data["month"], field="month")
        if data.validated_data.get("funder"):
            funder = funder_named(data.validated_data["funder"], field="funder")
            issued = [invoice_issue(actor=actor_of(request), funder=funder, month=month)]
        else:
            issued = invoices_issue(actor=actor_of(request), month=month)
        return Response(InvoiceOut(issued, many=True).data, status=status.HTTP_201_CREATED)  # type: ignore[arg-type]


class CreditNoteIn(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=2000)


class CreditNoteApi(BaseAPIView):
    """Correct an issued invoice: a credit note that cancels it (the month may then be invoiced again)."""

    required_region_roles = BILLING_OPERATORS

    @extend_schema(request=CreditNoteIn, responses={201: InvoiceDetailOut})
    def post(self, request: Request, invoice_id: int) -> Response:
        data = CreditNoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        invoice = invoice_visible(scope=funder_scope(access=request_access(request)), invoice_id=invoice_id)
        note = credit_note_issue(
            actor=actor_of(request), invoice=invoice, reason=data.validated_data["reason"]
        )
        return Response(InvoiceDetailOut(note).data, status=status.HTTP_201_CREATED)


class FunderIn(serializers.Serializer[dict[str, Any]]):
    funder = serializers.CharField(max_length=200)
    effective_from = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class EstablishmentFunderApi(BaseAPIView):
    """Attach an establishment to another funder from a date (history and audit kept)."""

    required_region_roles = BILLING_OPERATORS

    @extend_schema(request=FunderIn, responses=FunderOut)
    def post(self, request: Request, uai: str) -> Response:
        data = FunderIn(data=request.data)
        data.is_valid(raise_exception=True)
        establishment = get_or_404(Establishment.objects.exclude(schema_name="public"), uai=uai.upper())
        establishment_funder_assign(
            actor=actor_of(request),
            establishment=establishment,
            funder=funder_named(data.validated_data["funder"], field="funder"),
            effective_from=data.validated_data.get("effective_from"),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(FunderOut(establishment.funded_by).data)
