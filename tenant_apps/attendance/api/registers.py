"""Registers (of a lesson's occurrence or of an exceptional lesson), registers not taken, a mark's
correction, late arrivals, the review of held absence notices."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination, HourMinuteField
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import path_date, query_date
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.attendance import selectors, services
from tenant_apps.attendance.models import AttendanceMark, MarkStatus
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF, REGISTER_TAKERS
from tenant_apps.school.models import Member
from tenant_apps.timetable.api.weeks import OccurrenceOut


def _occurrence(request: Request, lesson_id: int, day: str) -> Any:
    access = request_access(request)
    occ = selectors.occurrence_for_register(
        user_id=access.user_id or 0, roles=access.roles, lesson_id=lesson_id, day=path_date(day)
    )
    if occ is None:
        raise NotFound()
    return occ


class MarkOut(serializers.Serializer[object]):
    student_id = serializers.IntegerField(help_text="the student's Member id here")
    user_id = serializers.IntegerField()
    display_name = serializers.CharField()
    status = serializers.CharField()
    late_minutes = serializers.IntegerField()
    declared_absent = serializers.BooleanField()


class RegisterOut(serializers.Serializer[object]):
    occurrence = OccurrenceOut()
    taken = serializers.BooleanField()
    taken_at = serializers.DateTimeField(allow_null=True)
    marks = MarkOut(many=True)


def _register_data(occ: Any) -> dict[str, Any]:
    sheet = selectors.register_sheet(occurrence=occ)
    return {
        "occurrence": occ,
        "taken": sheet.register is not None,
        "taken_at": sheet.register.taken_at if sheet.register else None,
        "marks": [
            {
                "student_id": row.student.pk,
                "user_id": row.student.user_id,
                "display_name": row.student.display_name,
                # Not taken yet: present, or late when school-life staff recorded a late arrival.
                "status": row.mark.status
                if row.mark
                else (MarkStatus.LATE if row.late_minutes else MarkStatus.PRESENT),
                "late_minutes": row.minutes,
                "declared_absent": row.declared,
            }
            for row in sheet.rows
        ],
    }


class RegisterApi(BaseAPIView):
    """GET the register of a lesson's occurrence; POST it whole (students not given: present)."""

    required_roles = REGISTER_TAKERS

    class MarkIn(serializers.Serializer[object]):
        student_id = serializers.IntegerField()
        status = serializers.ChoiceField(choices=MarkStatus.choices)
        late_minutes = serializers.IntegerField(required=False, default=0, min_value=0, max_value=240)

    class RegisterIn(serializers.Serializer[object]):
        marks = serializers.ListField(child=serializers.DictField(), required=False, default=list)

    @extend_schema(responses=RegisterOut)
    def get(self, request: Request, lesson_id: int, day: str) -> Response:
        return Response(RegisterOut(_register_data(_occurrence(request, lesson_id, day))).data)

    @extend_schema(request=RegisterIn, responses=RegisterOut)
    def post(self, request: Request, lesson_id: int, day: str) -> Response:
        occ = _occurrence(request, lesson_id, day)
        _save_register(request, occ)
        return Response(RegisterOut(_register_data(occ)).data)


def _save_register(request: Request, occ: Any) -> None:
    body = RegisterApi.RegisterIn(data=request.data)
    body.is_valid(raise_exception=True)
    marks = RegisterApi.MarkIn(data=body.validated_data["marks"], many=True)
    marks.is_valid(raise_exception=True)
    services.register_save(
        actor=actor_of(request),
        occurrence=occ,
        marks={
            m["student_id"]: services.MarkIn(status=m["status"], late_minutes=m["late_minutes"])
            for m in marks.validated_data
        },
    )


class ExceptionalRegisterApi(BaseAPIView):
    """The register of an exceptional lesson: GET it; POST it whole (as for a lesson)."""

    required_roles = REGISTER_TAKERS

    @staticmethod
    def _occurrence(request: Request, exceptional_id: int) -> Any:
        access = request_access(request)
        occ = selectors.exceptional_occurrence_for_register(
            user_id=access.user_id or 0, roles=access.roles, exceptional_id=exceptional_id
        )
        if occ is None:
            raise NotFound()
        return occ

    @extend_schema(responses=RegisterOut)
    def get(self, request: Request, exceptional_id: int) -> Response:
        return Response(RegisterOut(_register_data(self._occurrence(request, exceptional_id))).data)

    @extend_schema(request=RegisterApi.RegisterIn, responses=RegisterOut)
    def post(self, request: Request, exceptional_id: int) -> Response:
        occ = self._occurrence(request, exceptional_id)
        _save_register(request, occ)
        return Response(RegisterOut(_register_data(occ)).data)


class RegistersNotTakenApi(BaseAPIView):
    required_roles = ATTENDANCE_STAFF

    @extend_schema(parameters=[OpenApiParameter("date", str)], responses=OccurrenceOut(many=True))
    def get(self, request: Request) -> Response:
        day = query_date(request.query_params, "date") or timezone.localdate()
        until = selectors.now_local_time() if day == timezone.localdate() else None
        return Response(OccurrenceOut(selectors.registers_not_taken(day=day, until=until), many=True).data)


class MarkApi(BaseAPIView):
    """School-life staff change one mark (enter a late arrival, correct a mistake)."""

    required_roles = ATTENDANCE_STAFF

    class MarkSetIn(serializers.Serializer[object]):
        status = serializers.ChoiceField(choices=MarkStatus.choices)
        late_minutes = serializers.IntegerField(required=False, default=0, min_value=0, max_value=240)

    class MarkSetOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        status = serializers.CharField()
        late_minutes = serializers.IntegerField()

    @extend_schema(request=MarkSetIn, responses=MarkSetOut)
    def patch(self, request: Request, mark_id: int) -> Response:
        mark = get_or_404(AttendanceMark.objects.select_related("student"), pk=mark_id)
        data = self.MarkSetIn(data=request.data)
        data.is_valid(raise_exception=True)
        mark = services.mark_set(actor=actor_of(request), mark=mark, **data.validated_data)
        return Response(self.MarkSetOut(mark).data)


class LateArrivalApi(BaseAPIView):
    """School-life staff record a late arrival in a lesson of today (``occurrence``: its ``key``
    in the timetable's occurrences). Register taken: the mark becomes late at once; not taken:
    the teacher's register shows it and records it when taken (``services.late_arrival_record``)."""

    required_roles = ATTENDANCE_STAFF

    class LateArrivalIn(serializers.Serializer[object]):
        student = serializers.IntegerField(help_text="the student's user id")
        occurrence = serializers.CharField(help_text="the occurrence's key, e.g. L12-2026-09-14 or X3")
        minutes = serializers.IntegerField(min_value=1, max_value=240)

    class LateArrivalOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        student_user_id = serializers.IntegerField(source="student.user_id")
        date = DateInRange()
        start_time = HourMinuteField()
        minutes = serializers.IntegerField()

    @extend_schema(request=LateArrivalIn, responses={201: LateArrivalOut})
    def post(self, request: Request) -> Response:
        data = self.LateArrivalIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        student = Member.objects.filter(
            user_id=v["student"], roles__contains=[Role.STUDENT], is_active=True
        ).first()
        if student is None:
            raise NotFound()
        occ = next((o for o in selectors.lessons_today(student=student) if o.key == v["occurrence"]), None)
        if occ is None:
            raise ValidationFailed(fields={"occurrence": [str(_("Not a lesson of today for this student."))]})
        late = services.late_arrival_record(
            actor=actor_of(request), student=student, occurrence=occ, minutes=v["minutes"]
        )
        return Response(self.LateArrivalOut(late).data, status=201)


class HeldNoticeOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    student = serializers.CharField(source="student.display_name")
    date = DateInRange()
    start_time = HourMinuteField()


class NoticeReviewApi(BaseAPIView):
    """GET the absences held for review; POST {mark_ids, send}: tell the guardians, or drop."""

    pagination_class = DefaultPagination

    required_roles = ATTENDANCE_STAFF

    class ReviewIn(serializers.Serializer[object]):
        mark_ids = serializers.ListField(child=serializers.IntegerField())
        send = serializers.BooleanField()

    @extend_schema(responses=HeldNoticeOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(
            request, selectors.held_notices(), lambda rows: HeldNoticeOut(rows, many=True).data
        )

    @extend_schema(request=ReviewIn, responses={200: None})
    def post(self, request: Request) -> Response:
        data = self.ReviewIn(data=request.data)
        data.is_valid(raise_exception=True)
        changed = services.absence_notices_review(actor=actor_of(request), **data.validated_data)
        return Response({"changed": changed})
