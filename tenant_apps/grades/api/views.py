"""Grades' API (``/api/v1/grades/…``): assessments, their grades (a whole column at once), a
student's grades and averages, the grading policy; scoped as the pages are (objects a person may
not see: 404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_named, get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.grades import selectors, services
from tenant_apps.grades.models import AssessmentKind, Rounding, SkillDomain
from tenant_apps.grades.permissions import GRADE_WRITERS, GRADES_FAMILY, GRADES_READERS, GRADES_STAFF
from tenant_apps.grades.results import class_results
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group, Period, Subject

TEACHING = GRADE_WRITERS | GRADES_STAFF


def _scope(request: Request) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


class SpreadOut(serializers.Serializer[object]):
    average = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    minimum = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    maximum = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    count = serializers.IntegerField()


class AssessmentOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    subject_id = serializers.IntegerField()
    subject = serializers.CharField(source="subject.name")
    period_id = serializers.IntegerField()
    class_id = serializers.IntegerField(source="school_class_id", allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    teacher = serializers.CharField(source="teacher.display_name")
    scale = serializers.DecimalField(max_digits=5, decimal_places=2)
    coefficient = serializers.DecimalField(max_digits=5, decimal_places=2)
    kind = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    skill_domains = serializers.ListField(child=serializers.CharField())


class AssessmentIn(serializers.Serializer[object]):
    title = serializers.CharField(max_length=120)
    date = serializers.DateField()
    subject_id = serializers.IntegerField()
    period_id = serializers.IntegerField()
    class_id = serializers.IntegerField(required=False, allow_null=True)
    group_id = serializers.IntegerField(required=False, allow_null=True)
    scale = serializers.DecimalField(max_digits=5, decimal_places=2, default=Decimal(20))
    coefficient = serializers.DecimalField(max_digits=5, decimal_places=2, default=Decimal(1))
    kind = serializers.ChoiceField(choices=AssessmentKind.values, default=AssessmentKind.NORMAL)
    published_on = serializers.DateField(required=False, allow_null=True)
    skill_domains = serializers.ListField(
        child=serializers.ChoiceField(choices=SkillDomain.values), required=False, default=list, max_length=8
    )


class AssessmentPatch(serializers.Serializer[object]):
    title = serializers.CharField(max_length=120, required=False)
    date = serializers.DateField(required=False)
    scale = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    coefficient = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    kind = serializers.ChoiceField(choices=AssessmentKind.values, required=False)
    published_on = serializers.DateField(required=False, allow_null=True)


class AssessmentListApi(BaseAPIView):
    """GET: the assessments a teacher set (the leadership: all); POST: set one (a teacher, for a
    class or group they teach)."""

    pagination_class = DefaultPagination
    required_roles = TEACHING
    write_roles = GRADE_WRITERS

    @extend_schema(responses=AssessmentOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.assessments_visible(**_scope(request))
        return self.page_response(request, found, lambda rows: AssessmentOut(rows, many=True).data)

    @extend_schema(request=AssessmentIn, responses={201: AssessmentOut})
    def post(self, request: Request) -> Response:
        data = AssessmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        assessment = services.assessment_create(
            actor=actor_of(request),
            title=v["title"],
            date=v["date"],
            subject=get_named(Subject, int(v["subject_id"]), field="subject_id"),
            period=get_named(Period, int(v["period_id"]), field="period_id"),
            school_class=get_named(SchoolClass, v.get("class_id"), field="class_id"),
            group=get_named(Group, v.get("group_id"), field="group_id"),
            scale=v["scale"],
            coefficient=v["coefficient"],
            kind=v["kind"],
            published_on=v.get("published_on"),
            skill_domains=list(v["skill_domains"]),
        )
        return Response(AssessmentOut(assessment).data, status=201)


class AssessmentDetailApi(BaseAPIView):
    """GET: an assessment with its class average, minimum and maximum (families: once published);
    PATCH: its teacher changes it (``published_on``: from when families see it; null hides it)."""

    required_roles = GRADES_READERS
    write_roles = GRADE_WRITERS

    class DetailOut(AssessmentOut):
        spread = SpreadOut()

    @extend_schema(responses=DetailOut)
    def get(self, request: Request, assessment_id: int) -> Response:
        assessment = get_or_404(selectors.assessments_visible(**_scope(request)), pk=assessment_id)
        assessment.spread = selectors.assessment_spreads([assessment]).get(  # type: ignore[attr-defined]
            assessment.pk, selectors.averages.Spread(None, None, None, 0)
        )
        return Response(self.DetailOut(assessment).data)

    @extend_schema(request=AssessmentPatch, responses=AssessmentOut)
    def patch(self, request: Request, assessment_id: int) -> Response:
        scope = _scope(request)
        assessment = get_or_404(
            selectors.assessments_visible(user_id=scope["user_id"], roles=scope["roles"] & GRADE_WRITERS),
            pk=assessment_id,
        )
        data = AssessmentPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = services.assessment_update(
            actor=actor_of(request), assessment=assessment, **data.validated_data
        )
        return Response(AssessmentOut(updated).data)


class GradeOut(serializers.Serializer[object]):
    student_id = serializers.IntegerField(help_text="the student's user id")
    student = serializers.CharField()
    value = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    mark = serializers.CharField(help_text="'' or absent, exempt, not_graded, not_handed_in")


class GradesIn(serializers.Serializer[object]):
    cells = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=40),
        help_text='{"<student user id>": "12,5" | "Abs" | "Disp" | "NN" | "NR" | "" (removes)}',
    )


class AssessmentGradesApi(BaseAPIView):
    """GET: the grades of an assessment (its teacher and the leadership: every student's; a
    family: only its own students', once published); PUT: its teacher enters cells (a column at
    once; every cell is checked before anything is written)."""

    required_roles = GRADES_READERS
    write_roles = GRADE_WRITERS

    @extend_schema(responses=GradeOut(many=True))
    def get(self, request: Request, assessment_id: int) -> Response:
        scope = _scope(request)
        assessment = get_or_404(selectors.assessments_visible(**scope), pk=assessment_id)
        grades = assessment.grades.select_related("student").order_by("student__display_name", "pk")
        staff = scope["roles"] & GRADES_STAFF or assessment.teacher.user_id == scope["user_id"]
        if not staff:
            own = [s.pk for s in selectors.students_visible(**scope)]
            grades = grades.filter(student_id__in=own)
        rows = [
            {
                "student_id": g.student.user_id,
                "student": g.student.display_name,
                "value": g.value,
                "mark": g.mark,
            }
            for g in grades
        ]
        return Response(GradeOut(rows, many=True).data)

    @extend_schema(request=GradesIn, responses=GradeOut(many=True))
    def put(self, request: Request, assessment_id: int) -> Response:
        scope = _scope(request)
        assessment = get_or_404(
            selectors.assessments_visible(user_id=scope["user_id"], roles=scope["roles"] & GRADE_WRITERS),
            pk=assessment_id,
        )
        data = GradesIn(data=request.data)
        data.is_valid(raise_exception=True)
        cells: dict[int, str] = {}
        for key, text in data.validated_data["cells"].items():
            if not str(key).isdigit() or len(str(key)) > 18:
                raise ValidationFailed(fields={"cells": [_("Students are named by their user id.")]})
            cells[int(key)] = text
        services.grades_enter(actor=actor_of(request), assessment=assessment, cells=cells)
        return self.get(request, assessment_id)


class StudentGradesApi(BaseAPIView):
    """GET ``?period=``: a student's grades of a period (a family: published ones only), each
    with the class's spread, and the student's averages per subject and overall (rounded as the
    establishment chose)."""

    required_roles = GRADES_FAMILY | GRADES_STAFF

    class GradeLine(serializers.Serializer[object]):
        assessment = AssessmentOut()
        value = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
        mark = serializers.CharField()
        spread = SpreadOut()

    class SubjectOut(serializers.Serializer[object]):
        subject_id = serializers.IntegerField(source="subject.pk")
        subject = serializers.CharField(source="subject.name")
        coefficient = serializers.DecimalField(max_digits=5, decimal_places=2)
        average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
        class_average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
        class_minimum = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
        class_maximum = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)

    class StudentOut(serializers.Serializer[object]):
        student_id = serializers.IntegerField()
        period_id = serializers.IntegerField(allow_null=True)
        grades = serializers.JSONField(help_text="[GradeLine]")
        subjects = serializers.JSONField(help_text="[SubjectOut]")
        overall = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
        class_overall = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)

    @extend_schema(parameters=[OpenApiParameter("period", int)], responses=StudentOut)
    def get(self, request: Request, student_user_id: int) -> Response:
        scope = _scope(request)
        student = selectors.student_for(**scope, student_user_id=student_user_id)
        if student is None:
            raise NotFound()
        period_id = query_int(request.query_params, "period")
        period = Period.objects.filter(pk=period_id).first() if period_id is not None else None
        if period_id is not None and period is None:
            raise NotFound()
        family = not scope["roles"] & GRADES_STAFF
        rows = selectors.student_grades(student, period_id=period_id, published_only=family)
        lines = [
            {"assessment": a, "value": g.value if g else None, "mark": g.mark if g else "", "spread": s}
            for a, g, s in rows
        ]
        results = None
        if period is not None and student.school_class is not None:
            results = class_results(
                period=period, school_class=student.school_class, published_only=family
            ).get(student.pk)
        return Response(
            {
                "student_id": student.user_id,
                "period_id": period_id,
                "grades": self.GradeLine(lines, many=True).data,
                "subjects": self.SubjectOut(results.lines if results else [], many=True).data,
                "overall": str(results.overall) if results and results.overall is not None else None,
                "class_overall": (
                    str(results.class_overall) if results and results.class_overall is not None else None
                ),
            }
        )


class PolicyApi(BaseAPIView):
    """GET: the establishment's rounding of averages and whether it rates skills of the common
    base; PUT: the leadership changes them."""

    required_roles = GRADES_READERS
    write_roles = GRADES_STAFF

    class PolicyIO(serializers.Serializer[object]):
        rounding = serializers.ChoiceField(choices=Rounding.values)
        skills_enabled = serializers.BooleanField(required=False)

    @extend_schema(responses=PolicyIO)
    def get(self, request: Request) -> Response:
        return Response(
            {"rounding": f"{selectors.rounding_step()}", "skills_enabled": selectors.skills_enabled()}
        )

    @extend_schema(request=PolicyIO, responses=PolicyIO)
    def put(self, request: Request) -> Response:
        data = self.PolicyIO(data=request.data)
        data.is_valid(raise_exception=True)
        policy = services.grading_policy_set(
            actor=actor_of(request),
            rounding=data.validated_data["rounding"],
            skills_enabled=data.validated_data.get("skills_enabled"),
        )
        return Response({"rounding": policy.rounding, "skills_enabled": policy.skills_enabled})


class SkillsRateApi(BaseAPIView):
    """PUT: the assessment's teacher rates skills: ``{"ratings": {"<user id>": {"D1.1": 3, "D2":
    null}}}`` (1 to 4; null removes)."""

    required_roles = GRADE_WRITERS

    class RatingsIn(serializers.Serializer[object]):
        ratings = serializers.DictField(
            child=serializers.DictField(
                child=serializers.IntegerField(allow_null=True, min_value=1, max_value=4)
            )
        )

    @extend_schema(request=RatingsIn, responses={204: None})
    def put(self, request: Request, assessment_id: int) -> Response:
        scope = _scope(request)
        assessment = get_or_404(
            selectors.assessments_visible(user_id=scope["user_id"], roles=scope["roles"] & GRADE_WRITERS),
            pk=assessment_id,
        )
        data = self.RatingsIn(data=request.data)
        data.is_valid(raise_exception=True)
        ratings: dict[int, dict[str, int | None]] = {}
        for key, levels in data.validated_data["ratings"].items():
            if not str(key).isdigit() or len(str(key)) > 18:
                raise ValidationFailed(fields={"ratings": [_("Students are named by their user id.")]})
            ratings[int(key)] = dict(levels)
        services.skills_rate(actor=actor_of(request), assessment=assessment, ratings=ratings)
        return Response(status=204)


class StudentSkillsApi(BaseAPIView):
    """GET ``?period=``: a student's skills of the common base, per domain rated: the mean level
    (to the tenth) and the number of ratings (a family: published assessments only)."""

    required_roles = GRADES_FAMILY | GRADES_STAFF

    class SkillOut(serializers.Serializer[object]):
        domain = serializers.CharField()
        name = serializers.CharField()
        level = serializers.DecimalField(max_digits=3, decimal_places=1)
        ratings = serializers.IntegerField()

    @extend_schema(parameters=[OpenApiParameter("period", int)], responses=SkillOut(many=True))
    def get(self, request: Request, student_user_id: int) -> Response:
        scope = _scope(request)
        student = selectors.student_for(**scope, student_user_id=student_user_id)
        if student is None:
            raise NotFound()
        rows = selectors.skills_summary(
            student,
            period_id=query_int(request.query_params, "period"),
            published_only=not scope["roles"] & GRADES_STAFF,
        )
        found = [{"domain": d, "name": name, "level": level, "ratings": n} for d, name, level, n in rows]
        return Response(self.SkillOut(found, many=True).data)
