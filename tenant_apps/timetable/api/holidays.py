"""The holidays (everyone here reads them; structure managers write them) and one's secret
calendar feed address."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination, patch_values
from mbn_platform.kernel.lookups import get_named, get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.structure.models import SchoolYear
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable import services
from tenant_apps.timetable.permissions import LESSON_MANAGERS, WEEK_READERS
from tenant_apps.timetable.selectors import days_off_of_year, holidays_list


class HolidayIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=100)
    start = DateInRange()
    end = DateInRange()


class HolidayOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start = DateInRange()
    end = DateInRange()


class HolidayListApi(BaseAPIView):
    """GET: the holidays (of ``year`` when given; anyone here); POST: add (structure managers)."""

    pagination_class = DefaultPagination

    required_roles = WEEK_READERS
    write_roles = LESSON_MANAGERS

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=HolidayOut(many=True))
    def get(self, request: Request) -> Response:
        found = holidays_list(
            year=get_named(SchoolYear, query_int(request.query_params, "year"), field="year")
        )
        return self.page_response(request, found, lambda rows: HolidayOut(rows, many=True).data)

    @extend_schema(request=HolidayIn, responses={201: HolidayOut})
    def post(self, request: Request) -> Response:
        data = HolidayIn(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = services.holiday_create(actor=actor_of(request), **data.validated_data)
        return Response(HolidayOut(holiday).data, status=201)


class DaysOffApi(BaseAPIView):
    """GET ``?year=``: every day off of a school year (the current one by default): the region's
    (its zone's holidays, bank holidays: ``origin`` "region") and the school's own ("local")."""

    required_roles = WEEK_READERS

    class DayOffOut(serializers.Serializer[object]):
        name = serializers.CharField()
        start = serializers.DateField()
        end = serializers.DateField()
        origin = serializers.CharField(source="source", help_text="region or local")

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=DayOffOut(many=True))
    def get(self, request: Request) -> Response:
        year = (
            get_named(SchoolYear, query_int(request.query_params, "year"), field="year")
            or current_school_year()
        )
        days = days_off_of_year(year=year) if year is not None else []
        return Response(self.DayOffOut(days, many=True).data)


class HolidayDetailApi(BaseAPIView):
    required_roles = WEEK_READERS
    write_roles = LESSON_MANAGERS

    @extend_schema(responses=HolidayOut)
    def get(self, request: Request, holiday_id: int) -> Response:
        return Response(HolidayOut(get_or_404(holidays_list(), pk=holiday_id)).data)

    @extend_schema(request=HolidayIn, responses=HolidayOut)
    def patch(self, request: Request, holiday_id: int) -> Response:
        holiday = get_or_404(holidays_list(), pk=holiday_id)
        data = HolidayIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = patch_values(holiday, data.validated_data, ["name", "start", "end"])
        services.holiday_update(actor=actor_of(request), holiday=holiday, **values)
        return Response(HolidayOut(holiday).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, holiday_id: int) -> Response:
        services.holiday_delete(actor=actor_of(request), holiday=get_or_404(holidays_list(), pk=holiday_id))
        return Response(status=204)


class CalendarTokenApi(BaseAPIView):
    """POST: a new secret feed address (the previous one stops working); DELETE: revoke it."""

    required_roles = WEEK_READERS

    class FeedOut(serializers.Serializer[object]):
        url = serializers.CharField()

    @extend_schema(request=None, responses={201: FeedOut})
    def post(self, request: Request) -> Response:
        user_id = request_access(request).user_id or 0
        token = services.ical_token_create(actor=actor_of(request), user_id=user_id)
        return Response({"url": request.build_absolute_uri(f"/calendar/{token}.ics")}, status=201)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        services.ical_token_revoke(actor=actor_of(request), user_id=request_access(request).user_id or 0)
        return Response(status=204)
