"""Absences declared ahead by a guardian, justifications (a guardian sends them, school-life staff
decide)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.attendance import selectors, services
from tenant_apps.attendance.models import AbsenceReason, Justification
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF, GUARDIANS, JUSTIFICATION_READERS
from tenant_apps.timetable.selectors import children_here


def _my_child(request: Request, child_user_id: int) -> Any:
    access = request_access(request)
    child = next(
        (c for c in children_here(guardian_user_id=access.user_id or 0) if c.user_id == child_user_id), None
    )
    if child is None:
        raise NotFound()
    return child


class JustificationOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    student_user_id = serializers.IntegerField(source="student.user_id")
    student = serializers.CharField(source="student.display_name")
    start = DateInRange()
    end = DateInRange()
    reason = serializers.CharField()
    comment = serializers.CharField()
    has_attachment = serializers.SerializerMethodField()
    status = serializers.CharField()
    decision_comment = serializers.CharField()

    def get_has_attachment(self, obj: Justification) -> bool:
        return bool(obj.attachment)


class DeclarationApi(BaseAPIView):
    """A guardian declares a child's absence ahead (becomes a pending justification)."""

    required_roles = GUARDIANS

    class DeclarationIn(serializers.Serializer[object]):
        child = serializers.IntegerField(help_text="the child's user id")
        start = DateInRange()
        end = DateInRange()
        reason = serializers.ChoiceField(choices=AbsenceReason.choices)
        comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)

    @extend_schema(request=DeclarationIn, responses={201: JustificationOut})
    def post(self, request: Request) -> Response:
        data = self.DeclarationIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        child = _my_child(request, v.pop("child"))
        declaration = services.absence_declare(actor=actor_of(request), student=child, **v)
        return Response(JustificationOut(declaration.justifications.get()).data, status=201)


class JustificationListApi(BaseAPIView):
    """GET: justifications (school-life staff: all, ``status`` filter; a guardian: their children's).
    POST (guardian, multipart): justify absences with an optional attachment."""

    pagination_class = DefaultPagination

    required_roles = JUSTIFICATION_READERS
    write_roles = GUARDIANS
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class JustificationIn(serializers.Serializer[object]):
        child = serializers.IntegerField()
        start = DateInRange()
        end = DateInRange()
        reason = serializers.ChoiceField(choices=AbsenceReason.choices)
        comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
        attachment = serializers.FileField(required=False, allow_null=True)

    @extend_schema(parameters=[OpenApiParameter("status", str)], responses=JustificationOut(many=True))
    def get(self, request: Request) -> Response:
        access = request_access(request)
        queryset = selectors.justifications_visible(user_id=access.user_id or 0, roles=access.roles)
        if request.query_params.get("status"):
            queryset = queryset.filter(status=request.query_params["status"])
        return self.page_response(request, queryset, lambda rows: JustificationOut(rows, many=True).data)

    @extend_schema(request=JustificationIn, responses={201: JustificationOut})
    def post(self, request: Request) -> Response:
        data = self.JustificationIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        child = _my_child(request, v.pop("child"))
        justification = services.justification_submit(actor=actor_of(request), student=child, **v)
        return Response(JustificationOut(justification).data, status=201)


class JustificationDecisionApi(BaseAPIView):
    required_roles = ATTENDANCE_STAFF

    class DecisionIn(serializers.Serializer[object]):
        accept = serializers.BooleanField()
        comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)

    @extend_schema(request=DecisionIn, responses=JustificationOut)
    def post(self, request: Request, justification_id: int) -> Response:
        justification = get_or_404(Justification.objects.select_related("student"), pk=justification_id)
        data = self.DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.justification_decide(
            actor=actor_of(request), justification=justification, **data.validated_data
        )
        return Response(JustificationOut(decided).data)
