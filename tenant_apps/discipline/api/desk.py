"""The detention roster and the yearly statistics (school-life staff and the leadership)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView
from mbn_platform.kernel.parsing import query_date
from tenant_apps.discipline.api.records import PunishmentOut
from tenant_apps.discipline.permissions import DISCIPLINE_STAFF
from tenant_apps.discipline.selectors import detentions_between
from tenant_apps.discipline.statistics import year_statistics
from tenant_apps.structure.selectors import current_school_year


class DetentionListApi(BaseAPIView):
    """GET ``?from=&to=``: the detentions of those days (by default the next fortnight)."""

    required_roles = DISCIPLINE_STAFF

    @extend_schema(
        parameters=[OpenApiParameter("from", datetime.date), OpenApiParameter("to", datetime.date)],
        responses=PunishmentOut(many=True),
    )
    def get(self, request: Request) -> Response:
        start = query_date(request.query_params, "from") or timezone.localdate()
        end = query_date(request.query_params, "to") or start + datetime.timedelta(days=13)
        return Response(PunishmentOut(detentions_between(start=start, end=end), many=True).data)


class StatisticsApi(BaseAPIView):
    """GET: the current school year's counts, per month: incidents, punishments by kind,
    pronounced sanctions by kind; and per class."""

    required_roles = DISCIPLINE_STAFF

    class StatisticsOut(serializers.Serializer[object]):
        year = serializers.CharField()
        months = serializers.ListField(child=serializers.DateField())
        rows = serializers.JSONField(help_text="[{what, per_month, total}]")
        by_class = serializers.JSONField(help_text="[{class, punishments, sanctions}]")

    @extend_schema(responses=StatisticsOut)
    def get(self, request: Request) -> Response:
        year = current_school_year()
        if year is None:
            return Response({"year": "", "months": [], "rows": [], "by_class": []})
        stats = year_statistics(year=year)
        return Response(
            {
                "year": year.name,
                "months": [m.isoformat() for m in stats.months],
                "rows": [
                    {"what": key, "per_month": counts, "total": total} for key, counts, total in stats.rows()
                ],
                "by_class": [{"class": c, "punishments": p, "sanctions": s} for c, p, s in stats.by_class],
            }
        )
