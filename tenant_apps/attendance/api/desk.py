"""School life's desk in the API: absences recorded without a register, EPS exemptions,
infirmary visits, and the monthly threshold list."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_text
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.attendance import desk_selectors, services
from tenant_apps.attendance.models import AbsenceReason, Half, InfirmaryOutcome
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF, EXEMPTION_READERS
from tenant_apps.attendance.threshold import threshold_list
from tenant_apps.school.models import Member


def _student(user_id: int) -> Member:
    found = desk_selectors.desk_students().filter(user_id=user_id).first()
    if found is None:
        raise ValidationFailed(fields={"student": [str(_("Unknown student."))]})
    return found


class PeriodOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student.user_id")
    student_name = serializers.CharField(source="student.display_name")
    start = serializers.DateField()
    start_half = serializers.CharField()
    end = serializers.DateField()
    end_half = serializers.CharField()
    reason = serializers.CharField()
    justified = serializers.BooleanField()
    comment = serializers.CharField()


class PeriodIn(serializers.Serializer[object]):
    student = serializers.IntegerField(help_text="the student's user id")
    start = serializers.DateField()
    start_half = serializers.ChoiceField(choices=Half.values, default=Half.MORNING)
    end = serializers.DateField()
    end_half = serializers.ChoiceField(choices=Half.values, default=Half.AFTERNOON)
    reason = serializers.ChoiceField(choices=AbsenceReason.values)
    justified = serializers.BooleanField(default=False)
    comment = serializers.CharField(required=False, default="", allow_blank=True)


class AbsencePeriodListApi(BaseAPIView):
    """GET: the absences recorded without a register; POST: record one (whole or several days)."""

    required_roles = ATTENDANCE_STAFF
    pagination_class = DefaultPagination

    @extend_schema(responses=PeriodOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            request, desk_selectors.absence_periods(), lambda rows: PeriodOut(rows, many=True).data
        )

    @extend_schema(request=PeriodIn, responses={201: PeriodOut})
    def post(self, request: Request) -> Response:
        data = PeriodIn(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        values["student"] = _student(values["student"])
        period = services.absence_period_record(actor=actor_of(request), **values)
        return Response(PeriodOut(period).data, status=201)


class AbsencePeriodDetailApi(BaseAPIView):
    required_roles = ATTENDANCE_STAFF

    @extend_schema(responses={204: None})
    def delete(self, request: Request, period_id: int) -> Response:
        services.absence_period_delete(
            actor=actor_of(request), period=get_or_404(desk_selectors.absence_periods(), pk=period_id)
        )
        return Response(status=204)


class ExemptionOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student.user_id")
    student_name = serializers.CharField(source="student.display_name")
    start = serializers.DateField()
    end = serializers.DateField()
    is_partial = serializers.BooleanField(source="partial")
    details = serializers.CharField()
    has_certificate = serializers.SerializerMethodField()

    def get_has_certificate(self, exemption: Any) -> bool:
        return bool(exemption.certificate)


class ExemptionIn(serializers.Serializer[object]):
    student = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    is_partial = serializers.BooleanField(default=False)
    details = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)
    certificate = serializers.FileField(required=False, allow_null=True)


class SportExemptionListApi(BaseAPIView):
    """GET: the EPS exemptions (a teacher: their students' in force today); POST (multipart):
    record one, with its certificate (school-life staff)."""

    required_roles = EXEMPTION_READERS
    write_roles = ATTENDANCE_STAFF
    pagination_class = DefaultPagination
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(responses=ExemptionOut(many=True))
    def get(self, request: Request) -> Response:
        access = request_access(request)
        staff = bool(access.roles & ATTENDANCE_STAFF)
        found = desk_selectors.sport_exemptions_visible(
            user_id=access.user_id or 0,
            roles=access.roles,
            current_on=None if staff else timezone.localdate(),
        )
        return self.page_response(request, found, lambda rows: ExemptionOut(rows, many=True).data)

    @extend_schema(request={"multipart/form-data": ExemptionIn}, responses={201: ExemptionOut})
    def post(self, request: Request) -> Response:
        data = ExemptionIn(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        values["student"] = _student(values["student"])
        values["partial"] = values.pop("is_partial")
        exemption = services.sport_exemption_record(actor=actor_of(request), **values)
        return Response(ExemptionOut(exemption).data, status=201)


class VisitOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student.user_id")
    student_name = serializers.CharField(source="student.display_name")
    arrived_at = serializers.DateTimeField()
    left_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    care = serializers.CharField()
    outcome = serializers.CharField()


class VisitIn(serializers.Serializer[object]):
    student = serializers.IntegerField()
    arrived_at = serializers.DateTimeField()
    left_at = serializers.DateTimeField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=200)
    care = serializers.CharField(required=False, default="", allow_blank=True)
    outcome = serializers.ChoiceField(choices=InfirmaryOutcome.values)


class InfirmaryVisitListApi(BaseAPIView):
    required_roles = ATTENDANCE_STAFF
    pagination_class = DefaultPagination

    @extend_schema(responses=VisitOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            request, desk_selectors.infirmary_visits(), lambda rows: VisitOut(rows, many=True).data
        )

    @extend_schema(request=VisitIn, responses={201: VisitOut})
    def post(self, request: Request) -> Response:
        data = VisitIn(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        values["student"] = _student(values["student"])
        visit = services.infirmary_visit_record(actor=actor_of(request), **values)
        return Response(VisitOut(visit).data, status=201)


class ThresholdApi(BaseAPIView):
    """GET ``?month=YYYY-MM``: the students with four unjustified half-days or more that month."""

    required_roles = ATTENDANCE_STAFF

    class RowOut(serializers.Serializer[object]):
        student = serializers.IntegerField()
        name = serializers.CharField()
        school_class = serializers.CharField()
        unjustified = serializers.IntegerField()
        justified = serializers.IntegerField()
        half_days = serializers.IntegerField()

    @extend_schema(parameters=[OpenApiParameter("month", str)], responses=RowOut(many=True))
    def get(self, request: Request) -> Response:
        text = query_text(request.query_params, "month")
        try:
            month = datetime.date.fromisoformat(f"{text}-01") if text else timezone.localdate().replace(day=1)
        except ValueError as exc:
            raise ValidationFailed(fields={"month": [str(_("Give a month as YYYY-MM."))]}) from exc
        rows = threshold_list(month=month)
        return Response(
            [
                {
                    "student": r.student.user_id,
                    "name": r.student.display_name,
                    "school_class": r.student.school_class.name if r.student.school_class else "",
                    "unjustified": r.counts.unjustified,
                    "justified": r.counts.justified,
                    "half_days": r.counts.half_days,
                }
                for r in rows
            ]
        )
