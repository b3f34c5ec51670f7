"""Half-days of absence and lateness: a student's, a class's, over a period."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.parsing import query_date, query_int
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.attendance import selectors, statistics
from tenant_apps.attendance.halfdays import Counts
from tenant_apps.attendance.permissions import STATISTICS_READERS, STUDENT_PAGE_READERS
from tenant_apps.structure.models import Period


class CountsOut(serializers.Serializer[object]):
    half_days = serializers.IntegerField()
    justified = serializers.IntegerField()
    unjustified = serializers.IntegerField()
    late = serializers.IntegerField()
    late_minutes = serializers.IntegerField()


#: Counted from when no ``start`` is given.
EARLIEST = datetime.date(2000, 1, 1)


def _range(request: Request) -> tuple[datetime.date, datetime.date]:
    params = request.query_params
    period_id = query_int(params, "period")
    if period_id is not None:
        period = Period.objects.filter(pk=period_id).first()
        if period is None:
            raise ValidationFailed(fields={"period": [str(_("Unknown period."))]})
        return period.start, period.end
    start = query_date(params, "start") or EARLIEST
    end = query_date(params, "end") or timezone.localdate()
    return start, end


class StudentStatisticsApi(BaseAPIView):
    """A student's half-days and lateness over a period (school-life staff, the teachers of their
    class, the student, their guardians: as the student's page)."""

    required_roles = STUDENT_PAGE_READERS

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

    required_roles = STATISTICS_READERS

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
