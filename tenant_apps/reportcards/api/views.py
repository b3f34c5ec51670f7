"""Report cards' API (``/api/v1/reportcards/…``): the cards a person may download (a family its
own, every year), the download itself, publications with their progress, appraisals, council
decisions, head teachers, a regeneration; scoped as the pages are (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_named, get_or_404
from mbn_platform.kernel.parsing import query_int
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import Role
from tenant_apps.reportcards import selectors, services
from tenant_apps.reportcards.models import Mention
from tenant_apps.reportcards.permissions import (
    REPORT_CARD_PUBLISHERS,
    REPORT_CARD_READERS,
    REPORT_CARD_WRITERS,
)
from tenant_apps.reportcards.serving import card_response
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period, Subject


def _scope(request: Request) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


class ReportCardOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    student_id = serializers.IntegerField(source="student.user_id")
    student = serializers.CharField(source="student.display_name")
    period_id = serializers.IntegerField()
    period = serializers.CharField(source="period.name")
    year = serializers.CharField(source="period.year.name")
    class_name = serializers.CharField(source="school_class_name")
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    overall_average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    published_on = serializers.DateField()
    pdf = serializers.SerializerMethodField()

    def get_pdf(self, card: Any) -> str:
        return f"/api/v1/reportcards/{card.pk}/pdf/"


class ReportCardListApi(BaseAPIView):
    """GET ``?student=<user id>``: the report cards a person may download (a family: its own and
    its children's current versions, every year; the leadership: every card, ``?all=1`` every
    version)."""

    pagination_class = DefaultPagination
    required_roles = REPORT_CARD_READERS

    @extend_schema(
        parameters=[OpenApiParameter("student", int), OpenApiParameter("all", int)],
        responses=ReportCardOut(many=True),
    )
    def get(self, request: Request) -> Response:
        found = selectors.report_cards_visible(
            **_scope(request), all_versions=request.query_params.get("all") == "1"
        )
        student = query_int(request.query_params, "student")
        if student is not None:
            found = found.filter(student__user_id=student)
        return self.page_response(request, found, lambda rows: ReportCardOut(rows, many=True).data)


class ReportCardPdfApi(BaseAPIView):
    """GET: the stored PDF (a redirect to a signed URL on S3; streamed otherwise). Never made
    again here."""

    required_roles = REPORT_CARD_READERS

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 302: None})
    def get(self, request: Request, card_id: int) -> HttpResponseBase:
        card = get_or_404(selectors.report_cards_visible(**_scope(request), all_versions=True), pk=card_id)
        return card_response(card)


class ReportCardRegenerateApi(BaseAPIView):
    """POST: the leadership makes a student's report card again after a correction (a new
    version; the previous one kept)."""

    required_roles = REPORT_CARD_PUBLISHERS

    @extend_schema(request=None, responses={201: ReportCardOut})
    def post(self, request: Request, card_id: int) -> Response:
        card = get_or_404(selectors.report_cards_visible(**_scope(request), all_versions=True), pk=card_id)
        made = services.report_card_regenerate(actor=actor_of(request), card=card)
        return Response(ReportCardOut(made).data, status=201)


class PublicationOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    period_id = serializers.IntegerField()
    class_id = serializers.IntegerField(source="school_class_id")
    published_on = serializers.DateField()
    status = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()


class PublicationListApi(BaseAPIView):
    """GET: publications (the leadership: all; a head teacher: their classes'); POST: the
    leadership publishes a class's report cards for a period (made in the background: 202)."""

    pagination_class = DefaultPagination
    required_roles = REPORT_CARD_WRITERS
    write_roles = REPORT_CARD_PUBLISHERS

    class PublicationIn(serializers.Serializer[object]):
        period_id = serializers.IntegerField()
        class_id = serializers.IntegerField()
        published_on = serializers.DateField(required=False, allow_null=True)

    @extend_schema(responses=PublicationOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.publications_visible(**_scope(request))
        return self.page_response(request, found, lambda rows: PublicationOut(rows, many=True).data)

    @extend_schema(request=PublicationIn, responses={202: PublicationOut})
    def post(self, request: Request) -> Response:
        data = self.PublicationIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        publication = services.report_cards_publish(
            actor=actor_of(request),
            period=get_named(Period, v["period_id"], field="period_id"),
            school_class=get_named(SchoolClass, v["class_id"], field="class_id"),
            published_on=v.get("published_on"),
        )
        return Response(PublicationOut(publication).data, status=202)


class PublicationDetailApi(BaseAPIView):
    """GET: a publication's progress (``done`` of ``total``)."""

    required_roles = REPORT_CARD_WRITERS

    @extend_schema(responses=PublicationOut)
    def get(self, request: Request, publication_id: int) -> Response:
        return Response(
            PublicationOut(
                get_or_404(selectors.publications_visible(**_scope(request)), pk=publication_id)
            ).data
        )


def _member(user_id: int, *, field: str, role: str) -> Member:
    """A member named by user id in a request body (unknown: 400 on the field)."""
    found = Member.objects.filter(user_id=user_id, roles__contains=[role], is_active=True).first()
    if found is None:
        raise ValidationFailed(fields={field: [_("Unknown.")]})
    return found


def _student(user_id: int) -> Member:
    return _member(user_id, field="student_id", role=Role.STUDENT)


class AppraisalApi(BaseAPIView):
    """PUT: a teacher writes their appraisal of a student they teach (empty text removes it)."""

    required_roles = frozenset({Role.TEACHER})

    class AppraisalIn(serializers.Serializer[object]):
        period_id = serializers.IntegerField()
        student_id = serializers.IntegerField(help_text="a user id")
        subject_id = serializers.IntegerField()
        text = serializers.CharField(allow_blank=True, max_length=600)

    @extend_schema(request=AppraisalIn, responses={204: None})
    def put(self, request: Request) -> Response:
        data = self.AppraisalIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.appraisal_write(
            actor=actor_of(request),
            period=get_named(Period, v["period_id"], field="period_id"),
            student=_student(v["student_id"]),
            subject=get_named(Subject, v["subject_id"], field="subject_id"),
            text=v["text"],
        )
        return Response(status=204)


class CouncilDecisionApi(BaseAPIView):
    """PUT: the class's head teacher (or the leadership) records the council's appraisal and
    decision for a student."""

    required_roles = REPORT_CARD_WRITERS

    class DecisionIn(serializers.Serializer[object]):
        period_id = serializers.IntegerField()
        student_id = serializers.IntegerField(help_text="a user id")
        appraisal = serializers.CharField(allow_blank=True, max_length=800)
        mention = serializers.ChoiceField(choices=Mention.values, allow_blank=True)

    @extend_schema(request=DecisionIn, responses={204: None})
    def put(self, request: Request) -> Response:
        data = self.DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.council_decision_set(
            actor=actor_of(request),
            period=get_named(Period, v["period_id"], field="period_id"),
            student=_student(v["student_id"]),
            appraisal=v["appraisal"],
            mention=v["mention"],
        )
        return Response(status=204)


class HeadTeacherApi(BaseAPIView):
    """PUT: the leadership names a class's head teacher (``teacher_id`` null removes)."""

    required_roles = REPORT_CARD_PUBLISHERS

    class HeadIn(serializers.Serializer[object]):
        class_id = serializers.IntegerField()
        teacher_id = serializers.IntegerField(allow_null=True, help_text="a user id")

    @extend_schema(request=HeadIn, responses={204: None})
    def put(self, request: Request) -> Response:
        data = self.HeadIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        teacher = None
        if v["teacher_id"] is not None:
            teacher = _member(v["teacher_id"], field="teacher_id", role=Role.TEACHER)
        services.head_teacher_set(
            actor=actor_of(request),
            school_class=get_named(SchoolClass, v["class_id"], field="class_id"),
            teacher=teacher,
        )
        return Response(status=204)
