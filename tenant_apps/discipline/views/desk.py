"""The discipline desk: the home page (each person's view: staff the recent incidents,
punishments and sanctions; a teacher their students'; a guardian their children's punishments
and pronounced sanctions; a student their own), the detention roster and the yearly
statistics."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from mbn_platform.kernel.parsing import query_date
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.discipline import selectors
from tenant_apps.discipline.models import PunishmentKind, PunishmentStatus, SanctionKind
from tenant_apps.discipline.permissions import DISCIPLINE_READERS, DISCIPLINE_STAFF, DISCIPLINE_WRITERS
from tenant_apps.discipline.statistics import year_statistics
from tenant_apps.structure.selectors import current_school_year

RECENT = 50


class DisciplineHomeView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        access = request_access(request)
        user_id, roles = access.user_id or 0, access.roles
        context = {
            "can_write": bool(roles & DISCIPLINE_WRITERS),
            "is_staff": bool(roles & DISCIPLINE_STAFF),
            "incidents": list(selectors.incidents_visible(user_id=user_id, roles=roles)[:RECENT]),
            "punishments": list(selectors.punishments_visible(user_id=user_id, roles=roles)[:RECENT]),
            "sanctions": list(selectors.sanctions_visible(user_id=user_id, roles=roles)[:RECENT]),
        }
        return render(request, "discipline/home.html", context)


class DetentionRosterView(RolesRequiredMixin, View):
    """``/discipline/detentions/?from=``: a fortnight of detentions from a Monday, day by day, with
    their supervisor and place; mark each done or not done."""

    required_roles = DISCIPLINE_STAFF

    def get(self, request: HttpRequest) -> HttpResponse:
        start = query_date(request.GET, "from") or timezone.localdate()
        start -= datetime.timedelta(days=start.weekday())
        end = start + datetime.timedelta(days=13)
        days: dict[datetime.date, list[object]] = {}
        for detention in selectors.detentions_between(start=start, end=end):
            days.setdefault(detention.date, []).append(detention)  # type: ignore[arg-type]
        context = {
            "start": start,
            "end": end,
            "previous": start - datetime.timedelta(days=14),
            "next": end + datetime.timedelta(days=1),
            "days": sorted(days.items()),
            "statuses": PunishmentStatus.choices,
        }
        return render(request, "discipline/detentions.html", context)


class StatisticsView(RolesRequiredMixin, View):
    required_roles = DISCIPLINE_STAFF

    def get(self, request: HttpRequest) -> HttpResponse:
        year = current_school_year()
        stats = year_statistics(year=year) if year is not None else None
        labels = {
            "incidents": "",
            **{f"punishment:{k}": str(label) for k, label in PunishmentKind.choices},
            **{f"sanction:{k}": str(label) for k, label in SanctionKind.choices},
        }
        rows = (
            [(labels.get(key) or key, counts, total, key) for key, counts, total in stats.rows()]
            if stats
            else []
        )
        return render(request, "discipline/statistics.html", {"year": year, "stats": stats, "rows": rows})
