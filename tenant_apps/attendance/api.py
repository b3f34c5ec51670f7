"""Attendance API: registers, lateness, notices' review, declarations, justifications, statistics."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.attendance import selectors, services, statistics
from tenant_apps.attendance.halfdays import Counts
from tenant_apps.attendance.models import AbsenceReason, AttendanceMark, Justification, MarkStatus
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Period
from tenant_apps.structure.permissions import EVERYONE, REGISTER_TAKERS, SCHOOL_LIFE, acting_user_id
from tenant_apps.timetable.api import OccurrenceOut, parse_day
from tenant_apps.timetable.selectors import children_here


def _occurrence(request: Request, lesson_id: int, day: str) -> Any:
    access = request_access(request)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError as exc:
        raise NotFound() from exc
    occ = selectors.occurrence_for_register(
        user_id=access.user_id or 0, roles=access.roles, lesson_id=lesson_id, day=date
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
        actor_id=acting_user_id(request),
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
    required_roles = SCHOOL_LIFE

    @extend_schema(parameters=[OpenApiParameter("date", str)], responses=OccurrenceOut(many=True))
    def get(self, request: Request) -> Response:
        from django.utils import timezone

        day = parse_day(request.query_params.get("date"))
        until = selectors.now_local_time() if day == timezone.localdate() else None
        return Response(OccurrenceOut(selectors.registers_not_taken(day=day, until=until), many=True).data)


class MarkApi(BaseAPIView):
    """School-life staff change one mark (enter a late arrival, correct a mistake)."""

    required_roles = SCHOOL_LIFE

    class MarkSetIn(serializers.Serializer[object]):
        status = serializers.ChoiceField(choices=MarkStatus.choices)
        late_minutes = serializers.IntegerField(required=False, default=0, min_value=0, max_value=240)

    class MarkSetOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        status = serializers.CharField()
        late_minutes = serializers.IntegerField()

    @extend_schema(request=MarkSetIn, responses=MarkSetOut)
    def patch(self, request: Request, mark_id: int) -> Response:
        mark = AttendanceMark.objects.filter(pk=mark_id).first()
        if mark is None:
            raise NotFound()
        data = self.MarkSetIn(data=request.data)
        data.is_valid(raise_exception=True)
        mark = services.mark_set(actor_id=acting_user_id(request), mark=mark, **data.validated_data)
        return Response(self.MarkSetOut(mark).data)


class LateArrivalApi(BaseAPIView):
    """School-life staff record a late arrival in a lesson of today (``occurrence``: its ``key``
    in the timetable's occurrences). Register taken: the mark becomes late at once; not taken:
    the teacher's register shows it and records it when taken (``services.late_arrival_record``)."""

    required_roles = SCHOOL_LIFE

    class LateArrivalIn(serializers.Serializer[object]):
        student = serializers.IntegerField(help_text="the student's user id")
        occurrence = serializers.CharField(help_text="the occurrence's key, e.g. L12-2026-09-14 or X3")
        minutes = serializers.IntegerField(min_value=1, max_value=240)

    class LateArrivalOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        student_user_id = serializers.IntegerField(source="student.user_id")
        date = serializers.DateField()
        start_time = serializers.TimeField(format="%H:%M")
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
            actor_id=acting_user_id(request), student=student, occurrence=occ, minutes=v["minutes"]
        )
        return Response(self.LateArrivalOut(late).data, status=201)


class HeldNoticeOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    student = serializers.CharField(source="student.display_name")
    date = serializers.DateField()
    start_time = serializers.TimeField(format="%H:%M")


class NoticeReviewApi(BaseAPIView):
    """GET the absences held for review; POST {mark_ids, send}: tell the guardians, or drop."""

    pagination_class = DefaultPagination

    required_roles = SCHOOL_LIFE

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
        changed = services.absence_notices_review(actor_id=acting_user_id(request), **data.validated_data)
        return Response({"changed": changed})


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
    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.CharField()
    comment = serializers.CharField()
    has_attachment = serializers.SerializerMethodField()
    status = serializers.CharField()
    decision_comment = serializers.CharField()

    def get_has_attachment(self, obj: Justification) -> bool:
        return bool(obj.attachment)


class DeclarationApi(BaseAPIView):
    """A guardian declares a child's absence ahead (becomes a pending justification)."""

    required_roles = frozenset({"guardian"})

    class DeclarationIn(serializers.Serializer[object]):
        child = serializers.IntegerField(help_text="the child's user id")
        start = serializers.DateField()
        end = serializers.DateField()
        reason = serializers.ChoiceField(choices=AbsenceReason.choices)
        comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)

    @extend_schema(request=DeclarationIn, responses={201: JustificationOut})
    def post(self, request: Request) -> Response:
        data = self.DeclarationIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        child = _my_child(request, v.pop("child"))
        declaration = services.absence_declare(actor_id=acting_user_id(request), student=child, **v)
        return Response(JustificationOut(declaration.justifications.get()).data, status=201)


class JustificationListApi(BaseAPIView):
    """GET: justifications (school-life staff: all, ``status`` filter; a guardian: their children's).
    POST (guardian, multipart): justify absences with an optional attachment."""

    pagination_class = DefaultPagination

    required_roles = SCHOOL_LIFE | {"guardian", "student"}
    write_roles = frozenset({"guardian"})
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class JustificationIn(serializers.Serializer[object]):
        child = serializers.IntegerField()
        start = serializers.DateField()
        end = serializers.DateField()
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
        justification = services.justification_submit(actor_id=acting_user_id(request), student=child, **v)
        return Response(JustificationOut(justification).data, status=201)


class JustificationDecisionApi(BaseAPIView):
    required_roles = SCHOOL_LIFE

    class DecisionIn(serializers.Serializer[object]):
        accept = serializers.BooleanField()
        comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)

    @extend_schema(request=DecisionIn, responses=JustificationOut)
    def post(self, request: Request, justification_id: int) -> Response:
        justification = Justification.objects.select_related("student").filter(pk=justification_id).first()
        if justification is None:
            raise NotFound()
        data = self.DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.justification_decide(
            actor_id=acting_user_id(request), justification=justification, **data.validated_data
        )
        return Response(JustificationOut(decided).data)


class CountsOut(serializers.Serializer[object]):
    half_days = serializers.IntegerField()
    justified = serializers.IntegerField()
    unjustified = serializers.IntegerField()
    late = serializers.IntegerField()
    late_minutes = serializers.IntegerField()


def _range(request: Request) -> tuple[datetime.date, datetime.date]:
    period_id = request.query_params.get("period")
    if period_id:
        period = Period.objects.filter(pk=period_id).first() if period_id.isdigit() else None
        if period is None:
            raise ValidationFailed(fields={"period": [str(_("Unknown period."))]})
        return period.start, period.end
    start = parse_day(request.query_params.get("start") or "2000-01-01")
    end = parse_day(request.query_params.get("end"))
    return start, end


class StudentStatisticsApi(BaseAPIView):
    """A student's half-days and lateness over a period (school-life staff, the teachers of their
    class, the student, their guardians: as the student's page)."""

    required_roles = EVERYONE

    @extend_schema(parameters=[OpenApiParameter("period", int)], responses=CountsOut)
    def get(self, request: Request, user_id: int) -> Response:
        access = request_access(request)
        students = statistics.students_for_statistics(user_id=access.user_id or 0, roles=access.roles).filter(
            user_id=user_id
        )
        student = students.first()
        if student is None:
            raise NotFound()
        start, end = _range(request)
        counts = selectors.statistics(students=students, start=start, end=end).get(student.pk, Counts())
        return Response(CountsOut(counts).data)


class ClassStatisticsApi(BaseAPIView):
    """A class's counts over a period: school-life staff and the head any class, a teacher the
    classes they teach (as the statistics page)."""

    required_roles = statistics.STATISTICS_READERS

    class RowOut(serializers.Serializer[object]):
        user_id = serializers.IntegerField()
        display_name = serializers.CharField()
        counts = CountsOut()

    @extend_schema(parameters=[OpenApiParameter("period", int)], responses=RowOut(many=True))
    def get(self, request: Request, class_id: int) -> Response:
        access = request_access(request)
        school_class = (
            statistics.classes_for_statistics(user_id=access.user_id or 0, roles=access.roles)
            .filter(pk=class_id)
            .first()
        )
        if school_class is None:
            raise NotFound()
        start, end = _range(request)
        rows = selectors.class_statistics(school_class=school_class, start=start, end=end)
        return Response(
            self.RowOut(
                [{"user_id": s.user_id, "display_name": s.display_name, "counts": c} for s, c in rows],
                many=True,
            ).data
        )
