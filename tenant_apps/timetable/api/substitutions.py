"""Substitutions in the API (timetable editors): record a teacher's absence (every lesson's
change at once), give the changes replacements, tell the people concerned once each."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_named, get_or_404
from tenant_apps.school.models import Member
from tenant_apps.timetable import services
from tenant_apps.timetable.permissions import TIMETABLE_EDITORS
from tenant_apps.timetable.selectors import absence_changes, teacher_absences


class ChangeOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    lesson_id = serializers.IntegerField()
    date = serializers.DateField()
    start = serializers.TimeField(source="lesson.start_time", format="%H:%M")
    subject = serializers.CharField(source="lesson.subject.name")
    audience = serializers.CharField(source="lesson.audience_name")
    cancelled = serializers.BooleanField()
    replacement_teacher_id = serializers.IntegerField(allow_null=True)


class AbsenceOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    teacher_id = serializers.IntegerField()
    teacher = serializers.CharField(source="teacher.display_name")
    start = serializers.DateField()
    end = serializers.DateField()
    note = serializers.CharField()
    notified_at = serializers.DateTimeField(allow_null=True)
    changes = serializers.SerializerMethodField()

    def get_changes(self, absence: Any) -> Any:
        return ChangeOut(absence_changes(absence=absence), many=True).data


class AbsenceIn(serializers.Serializer[object]):
    teacher_id = serializers.IntegerField(help_text="a member id, as the lessons' teacher_id")
    start = serializers.DateField()
    end = serializers.DateField()
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)


class AbsenceListApi(BaseAPIView):
    pagination_class = DefaultPagination
    required_roles = TIMETABLE_EDITORS

    @extend_schema(responses=AbsenceOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(request, teacher_absences(), lambda rows: AbsenceOut(rows, many=True).data)

    @extend_schema(request=AbsenceIn, responses={201: AbsenceOut})
    def post(self, request: Request) -> Response:
        data = AbsenceIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["teacher"] = get_named(Member, v.pop("teacher_id"), field="teacher_id")
        absence = services.teacher_absence_record(actor=actor_of(request), **v)
        return Response(AbsenceOut(absence).data, status=201)


class AbsenceDetailApi(BaseAPIView):
    required_roles = TIMETABLE_EDITORS

    @extend_schema(responses=AbsenceOut)
    def get(self, request: Request, absence_id: int) -> Response:
        return Response(AbsenceOut(get_or_404(teacher_absences(), pk=absence_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, absence_id: int) -> Response:
        services.teacher_absence_delete(
            actor=actor_of(request), absence=get_or_404(teacher_absences(), pk=absence_id)
        )
        return Response(status=204)


class AbsenceAssignApi(BaseAPIView):
    """POST ``{"assignments": [{"change_id", "replacement_teacher_id" (null: cancelled)}]}``."""

    required_roles = TIMETABLE_EDITORS

    class Item(serializers.Serializer[object]):
        change_id = serializers.IntegerField()
        replacement_teacher_id = serializers.IntegerField(allow_null=True)

    class AssignIn(serializers.Serializer[object]):
        assignments = serializers.ListField(
            child=serializers.DictField(), help_text="[{change_id, replacement_teacher_id}]"
        )

    @extend_schema(request=AssignIn, responses=AbsenceOut)
    def post(self, request: Request, absence_id: int) -> Response:
        absence = get_or_404(teacher_absences(), pk=absence_id)
        data = self.AssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        items = self.Item(data=data.validated_data["assignments"], many=True)
        items.is_valid(raise_exception=True)
        changes = {c.pk: c for c in absence_changes(absence=absence)}
        assignments = []
        for item in items.validated_data:
            change = changes.get(item["change_id"])
            if change is None:
                raise ValidationFailed(fields={"assignments": [str(_("A lesson of another absence."))]})
            replacement = get_named(Member, item["replacement_teacher_id"], field="assignments")
            assignments.append(services.Assignment(change=change, replacement=replacement))
        services.teacher_absence_assign(actor=actor_of(request), absence=absence, assignments=assignments)
        return Response(AbsenceOut(absence).data)


class AbsenceNotifyApi(BaseAPIView):
    """POST: tell the people concerned, once each (after the commit)."""

    required_roles = TIMETABLE_EDITORS

    @extend_schema(request=None, responses={202: None})
    def post(self, request: Request, absence_id: int) -> Response:
        services.teacher_absence_notify(
            actor=actor_of(request), absence=get_or_404(teacher_absences(), pk=absence_id)
        )
        return Response(status=202)
