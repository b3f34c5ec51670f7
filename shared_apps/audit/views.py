"""The audit log pages: the whole region for operators (portal), one establishment's entries for
its admins and head (its host). Filters, pages without counting the whole log, CSV export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.audit.export import audit_csv_rows, audit_export_record
from shared_apps.audit.permissions import ESTABLISHMENT_AUDIT_READERS, REGION_AUDIT_READERS
from shared_apps.audit.selectors import AuditFilters, audit_entries, audit_filters_from
from tenants.requests import current_establishment

PAGE_SIZE = 50
MAX_PAGE = 100_000


def impersonating(request: HttpRequest) -> bool:
    """Whether a support agent makes this request as someone else (``support``'s middleware)."""
    return getattr(request, "impersonation", None) is not None


class AuditLogPage(RolesRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        error: ApplicationError | None = None
        try:
            filters = audit_filters_from(request.GET)
        except ApplicationError as invalid:
            error, filters = invalid, AuditFilters()
        try:
            number = query_int(request.GET, "page", default=1, minimum=1, maximum=MAX_PAGE) or 1
        except ApplicationError:
            number = 1
        establishment = current_establishment(request)
        start = (number - 1) * PAGE_SIZE
        # One more than a page tells whether there is a next one, without counting the log.
        rows = list(
            audit_entries(
                establishment=establishment, filters=filters, hide_impersonation=impersonating(request)
            )[start : start + PAGE_SIZE + 1]
        )
        query = urlencode(filters.as_params())
        return render(
            request,
            "audit/log.html",
            {
                "entries": rows[:PAGE_SIZE],
                "filters": filters,
                "error": error,
                "number": number,
                "has_next": len(rows) > PAGE_SIZE,
                "query": query,
                "region": establishment is None,
            },
            status=error.status if error else 200,
        )


class AuditExportPage(RolesRequiredMixin, View):
    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        filters = audit_filters_from(request.GET)
        establishment = current_establishment(request)
        audit_export_record(
            actor=actor_of(request), establishment=establishment, filters=filters, request=request
        )
        entries = audit_entries(
            establishment=establishment, filters=filters, hide_impersonation=impersonating(request)
        )
        response = StreamingHttpResponse(audit_csv_rows(entries), content_type="text/csv; charset=utf-8")
        scope = establishment.uai if establishment is not None else "region"
        response["Content-Disposition"] = (
            f'attachment; filename="audit-{scope}-{timezone.now():%Y%m%d-%H%M}.csv"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class RegionAuditLogView(AuditLogPage):
    required_region_roles = REGION_AUDIT_READERS


class EstablishmentAuditLogView(AuditLogPage):
    required_roles = ESTABLISHMENT_AUDIT_READERS


class RegionAuditExportView(AuditExportPage):
    required_region_roles = REGION_AUDIT_READERS


class EstablishmentAuditExportView(AuditExportPage):
    required_roles = ESTABLISHMENT_AUDIT_READERS
