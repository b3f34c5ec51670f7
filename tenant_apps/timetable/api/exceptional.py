"""Exceptional lessons (a catch-up lesson, an exam): list, add, edit, delete."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination, HourMinuteField, patch_values
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_date
from tenant_apps.timetable import services
from tenant_apps.timetable.api.lessons import LESSON_PARTS
from tenant_apps.timetable.permissions import TIMETABLE_EDITORS
from tenant_apps.timetable.selectors import exceptional_lessons_between


class ExceptionalOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    date = DateInRange()
    start_time = HourMinuteField()
    end_time = HourMinuteField()
    subject_id = serializers.IntegerField()
    teacher_id = serializers.IntegerField()
    school_class_id = serializers.IntegerField(allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    room_id = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    subject = serializers.CharField(source="subject.name")
    teacher = serializers.CharField(source="teacher.display_name")
    audience = serializers.CharField(source="audience_name")


class ExceptionalIn(serializers.Serializer[object]):
    date = DateInRange()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    subject_id = serializers.IntegerField()
    teacher_id = serializers.IntegerField()
    school_class_id = serializers.IntegerField(required=False, allow_null=True)
    group_id = serializers.IntegerField(required=False, allow_null=True)
    room_id = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)


#: The plain values of an exceptional lesson's input (its ids name what ``LESSON_PARTS`` says).
EXCEPTIONAL_VALUES = ["date", "start_time", "end_time", "note"]


class ExceptionalLessonListApi(BaseAPIView):
    """GET: exceptional lessons between ``from`` and ``to`` (dates, both optional); POST: add one."""

    pagination_class = DefaultPagination

    required_roles = TIMETABLE_EDITORS

    @extend_schema(
        parameters=[OpenApiParameter("from", str), OpenApiParameter("to", str)],
        responses=ExceptionalOut(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        found = exceptional_lessons_between(start=query_date(params, "from"), end=query_date(params, "to"))
        return self.page_response(request, found, lambda rows: ExceptionalOut(rows, many=True).data)

    @extend_schema(request=ExceptionalIn, responses={201: ExceptionalOut})
    def post(self, request: Request) -> Response:
        data = ExceptionalIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        parts = {name.removesuffix("_id"): fetch(name, v.get(name)) for name, fetch in LESSON_PARTS.items()}
        exc = services.exceptional_lesson_create(
            actor=actor_of(request), **{name: v[name] for name in EXCEPTIONAL_VALUES}, **parts
        )
        return Response(ExceptionalOut(get_or_404(exceptional_lessons_between(), pk=exc.pk)).data, status=201)


class ExceptionalLessonDetailApi(BaseAPIView):
    """GET, PATCH or DELETE an exceptional lesson (one whose register was taken: 409)."""

    required_roles = TIMETABLE_EDITORS

    @extend_schema(responses=ExceptionalOut)
    def get(self, request: Request, exceptional_id: int) -> Response:
        return Response(ExceptionalOut(get_or_404(exceptional_lessons_between(), pk=exceptional_id)).data)

    @extend_schema(request=ExceptionalIn, responses=ExceptionalOut)
    def patch(self, request: Request, exceptional_id: int) -> Response:
        exc = get_or_404(exceptional_lessons_between(), pk=exceptional_id)
        data = ExceptionalIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = patch_values(exc, data.validated_data, EXCEPTIONAL_VALUES, related=LESSON_PARTS)
        services.exceptional_lesson_update(actor=actor_of(request), exceptional=exc, **values)
        return Response(ExceptionalOut(get_or_404(exceptional_lessons_between(), pk=exceptional_id)).data)

    @extend_schema(responses={204: None, 409: None})
    def delete(self, request: Request, exceptional_id: int) -> Response:
        exc = get_or_404(exceptional_lessons_between(), pk=exceptional_id)
        services.exceptional_lesson_delete(actor=actor_of(request), exceptional=exc)
        return Response(status=204)
