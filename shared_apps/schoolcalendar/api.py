"""The region calendar's API (``/api/v1/region/…`` on the portal): anyone signed in reads it;
region operators write it and set an establishment's zone."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination, patch_values
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_date, query_text
from shared_apps.schoolcalendar import services
from shared_apps.schoolcalendar.models import DayOffKind
from shared_apps.schoolcalendar.permissions import CALENDAR_EDITORS, CALENDAR_READERS
from shared_apps.schoolcalendar.selectors import region_holidays_list
from tenants.models import Establishment
from tenants.zones import Zone

ZONE_CHOICES = ["", *Zone.values]


class RegionHolidayIn(serializers.Serializer[object]):
    kind = serializers.ChoiceField(choices=DayOffKind.values, default=DayOffKind.HOLIDAYS)
    zone = serializers.ChoiceField(choices=ZONE_CHOICES, default="", allow_blank=True)
    name = serializers.CharField(max_length=100)
    start = serializers.DateField()
    end = serializers.DateField()


class RegionHolidayOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    zone = serializers.CharField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


FIELDS = ["kind", "zone", "name", "start", "end"]


class RegionHolidayListApi(BaseAPIView):
    """GET: the days off (``zone``: one zone's and every zone's; ``from``/``to``); POST: add."""

    pagination_class = DefaultPagination
    required_roles = CALENDAR_READERS
    write_roles: frozenset[str] = frozenset()  # no establishment role writes here
    write_region_roles = CALENDAR_EDITORS

    @extend_schema(
        parameters=[
            OpenApiParameter("zone", str),
            OpenApiParameter("from", str),
            OpenApiParameter("to", str),
        ],
        responses=RegionHolidayOut(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        zone = query_text(params, "zone") or None
        if zone is not None and zone not in Zone.values:
            raise ValidationFailed(fields={"zone": [str(_("Unknown zone."))]})
        found = region_holidays_list(
            zone=zone, start=query_date(params, "from"), end=query_date(params, "to")
        )
        return self.page_response(request, found, lambda rows: RegionHolidayOut(rows, many=True).data)

    @extend_schema(request=RegionHolidayIn, responses={201: RegionHolidayOut})
    def post(self, request: Request) -> Response:
        data = RegionHolidayIn(data=request.data)
        data.is_valid(raise_exception=True)
        day = services.region_holiday_create(actor=actor_of(request), **data.validated_data)
        return Response(RegionHolidayOut(day).data, status=201)


class RegionHolidayDetailApi(BaseAPIView):
    required_roles = CALENDAR_READERS
    write_roles: frozenset[str] = frozenset()
    write_region_roles = CALENDAR_EDITORS

    @extend_schema(responses=RegionHolidayOut)
    def get(self, request: Request, day_id: int) -> Response:
        return Response(RegionHolidayOut(get_or_404(region_holidays_list(), pk=day_id)).data)

    @extend_schema(request=RegionHolidayIn, responses=RegionHolidayOut)
    def patch(self, request: Request, day_id: int) -> Response:
        day = get_or_404(region_holidays_list(), pk=day_id)
        data = RegionHolidayIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = patch_values(day, data.validated_data, FIELDS)
        services.region_holiday_update(actor=actor_of(request), day=day, **values)
        return Response(RegionHolidayOut(day).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, day_id: int) -> Response:
        services.region_holiday_delete(
            actor=actor_of(request), day=get_or_404(region_holidays_list(), pk=day_id)
        )
        return Response(status=204)


class EstablishmentZoneApi(BaseAPIView):
    """PUT ``{"zone": "A"|"B"|"C"|""}``: the zone whose holidays an establishment follows."""

    required_region_roles = CALENDAR_EDITORS

    class ZoneIn(serializers.Serializer[object]):
        zone = serializers.ChoiceField(choices=ZONE_CHOICES, allow_blank=True)

    class ZoneOut(serializers.Serializer[object]):
        uai = serializers.CharField()
        zone = serializers.CharField()

    @extend_schema(request=ZoneIn, responses=ZoneOut)
    def put(self, request: Request, uai: str) -> Response:
        establishment = get_or_404(Establishment.objects.all(), uai=uai.upper())
        data = self.ZoneIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.establishment_zone_set(
            actor=actor_of(request), establishment=establishment, zone=data.validated_data["zone"]
        )
        return Response(self.ZoneOut(establishment).data)
