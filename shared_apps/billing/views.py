"""The billing dashboard (portal): operators see every funder's establishments, a funder's
viewers their own funder's only (any other establishment is 404). Thin: figures come from
``dashboard``, charts from ``charts``."""

from __future__ import annotations

import csv
import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.parsing import query_int, query_text
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.billing.charts import Chart, chart
from shared_apps.billing.dashboard import SORT_KEYS, Series, establishment_rows, usage_series
from shared_apps.billing.permissions import BILLING_READERS
from shared_apps.billing.selectors import FunderScope, establishment_visible, funder_of_filter, funder_scope
from shared_apps.identity.roles import Role

ROLE_LABELS = dict(Role.choices)
CSV_HEADER = (
    "uai",
    "establishment",
    "funder",
    "accounts",
    "active_last_day",
    "active_month",
    "adoption_percent",
    "sign_ins_30_days",
    "storage_bytes",
    "last_day",
)
WEEKS = 12


def scope_of(request: HttpRequest) -> FunderScope:
    scope = funder_scope(access=request_access(request))
    return scope.narrowed(
        funder_of_filter(scope=scope, code=query_text(request.GET, "funder", max_length=60))
    )


def _gb(value: float) -> str:
    return f"{value / 1000**3:.2f}"


def series_charts(series: Series) -> list[Chart]:
    weeks = [week.strftime("%d/%m") for week in series.weeks]
    days = [day.strftime("%d/%m") for day in series.days]
    return [
        chart(
            title=_("Active users per role, per week"),
            description=_("People who signed in at least once during the week, by their role."),
            categories=weeks,
            series=[
                (str(ROLE_LABELS.get(role, role)), values) for role, values in series.weekly_by_role.items()
            ],
            category_header=_("Week of"),
        ),
        chart(
            title=_("Sign-ins per day"),
            description=_("Sessions opened each day."),
            categories=days,
            series=[(_("Sign-ins"), series.sign_ins)],
            kind="bar",
            category_header=_("Day"),
        ),
        chart(
            title=_("Storage used (GB)"),
            description=_("Files stored, in gigabytes, each day."),
            categories=days,
            series=[(_("Storage (GB)"), series.storage)],
            category_header=_("Day"),
            value_format=lambda v: _gb(v),
        ),
    ]


def _period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    return monday - datetime.timedelta(weeks=WEEKS - 1), today


class BillingView(RolesRequiredMixin, View):
    required_region_roles = BILLING_READERS


class DashboardView(BillingView):
    """Adoption and activity of the establishments in one's scope: charts and a sortable table."""

    def get(self, request: HttpRequest) -> HttpResponse:
        scope = scope_of(request)
        today = timezone.localdate()
        sort = query_text(request.GET, "sort", max_length=20) or "name"
        descending = query_int(request.GET, "desc", default=0, maximum=1) == 1
        rows = establishment_rows(scope=scope, today=today, sort=sort, descending=descending)
        since, until = _period(today)
        series = usage_series(
            establishment_ids=None
            if scope.funder_id is None
            else list(scope.establishments().values_list("pk", flat=True)),
            since=since,
            until=until,
        )
        funder_code = request.GET.get("funder", "") if scope.operator else ""
        shown = scope.funders().first() if scope.funder_id is not None else None
        return render(
            request,
            "billing/dashboard.html",
            {
                "rows": rows,
                "charts": series_charts(series),
                "scope": scope,
                "funders": scope.funders() if scope.operator else [],
                "funder_code": funder_code,
                "columns": _columns(sort, descending, funder_code),
                "csv_query": urlencode({"funder": funder_code, "sort": sort, "desc": int(descending)}),
                "title": shown.name if shown is not None else _("All funders"),
            },
        )


def _columns(sort: str, descending: bool, funder_code: str) -> list[dict[str, Any]]:
    labels = {
        "name": _("Establishment"),
        "uai": "UAI",
        "funder": _("Funder"),
        "accounts": _("Accounts"),
        "active": _("Active yesterday"),
        "active_month": _("Active this month"),
        "adoption": _("Adoption (%)"),
        "sign_ins": _("Sign-ins (30 days)"),
        "storage": _("Storage (GB)"),
    }
    columns = []
    for key in SORT_KEYS:
        current = key == sort
        query = {"sort": key, "desc": int(current and not descending)}
        if funder_code:
            query["funder"] = funder_code
        columns.append(
            {
                "key": key,
                "label": labels[key],
                "url": f"?{urlencode(query)}",
                "aria_sort": ("descending" if descending else "ascending") if current else None,
            }
        )
    return columns


class DashboardCsvView(BillingView):
    """The dashboard's table as CSV (same scope, filter and order)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        scope = scope_of(request)
        rows = establishment_rows(
            scope=scope,
            today=timezone.localdate(),
            sort=query_text(request.GET, "sort", max_length=20) or "name",
            descending=query_int(request.GET, "desc", default=0, maximum=1) == 1,
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="mbn-usage.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        for row in rows:
            last_day = row.last_day.isoformat() if row.last_day else ""
            figures = [row.accounts, row.active, row.active_month, row.adoption, row.sign_ins, row.storage]
            writer.writerow([row.uai, row.name, row.funder, *figures, last_day])
        return response


class EstablishmentUsageView(BillingView):
    """One establishment's activity over time (404 outside one's scope)."""

    def get(self, request: HttpRequest, uai: str) -> HttpResponse:
        scope = funder_scope(access=request_access(request))
        establishment = establishment_visible(scope=scope, uai=uai)
        since, until = _period(timezone.localdate())
        series = usage_series(establishment_ids=[establishment.pk], since=since, until=until)
        return render(
            request,
            "billing/establishment.html",
            {"item": establishment, "charts": series_charts(series), "scope": scope},
        )
