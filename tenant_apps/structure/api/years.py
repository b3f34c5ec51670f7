"""API of the school years and their periods, the year rollover and a past year's classes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination, patch_values
from mbn_platform.kernel.lookups import get_named, get_or_404
from tenant_apps.structure import selectors, services
from tenant_apps.structure.api.common import DELETED, Detail, ListCreate, changed, page, valid
from tenant_apps.structure.models import SchoolYear
from tenant_apps.structure.permissions import STRUCTURE_MANAGERS, STRUCTURE_READERS
from tenant_apps.structure.rollover import rollover_apply, rollover_plan

# School years ----------------------------------------------------------------------------------


class YearOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start = DateInRange()
    end = DateInRange()
    week_a_monday = DateInRange()
    is_current = serializers.BooleanField()


class YearIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=20)
    start = DateInRange()
    end = DateInRange()
    week_a_monday = DateInRange(required=False)
    is_current = serializers.BooleanField(default=False)


class SchoolYearListApi(ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=YearOut(many=True))
    def get(self, request: Request) -> Response:
        return page(self, request, selectors.school_years(), YearOut)

    @extend_schema(request=YearIn, responses={201: YearOut})
    def post(self, request: Request) -> Response:
        year = services.school_year_create(actor=actor_of(request), **valid(YearIn, request))
        return Response(YearOut(year).data, status=201)


class SchoolYearDetailApi(Detail):
    """One school year. PATCH: its dates are checked (its periods must still fit), the Monday of
    week A is normalised, ``is_current`` makes it the only current year. DELETE: with its periods;
    refused (409) while lessons, enrolments or anything else use it."""

    @extend_schema(responses=YearOut)
    def get(self, request: Request, year_id: int) -> Response:
        return Response(YearOut(get_or_404(selectors.school_years(), pk=year_id)).data)

    @extend_schema(request=YearIn, responses=changed(YearOut))
    def patch(self, request: Request, year_id: int) -> Response:
        year = get_or_404(selectors.school_years(), pk=year_id)
        sent = valid(YearIn, request, partial=True)
        values = patch_values(year, sent, ["name", "start", "end", "week_a_monday", "is_current"])
        year = services.school_year_update(actor=actor_of(request), year=year, **values)
        return Response(YearOut(year).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, year_id: int) -> Response:
        year = get_or_404(selectors.school_years(), pk=year_id)
        services.school_year_delete(actor=actor_of(request), year=year)
        return Response(status=204)


# Periods ---------------------------------------------------------------------------------------


class PeriodOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    year_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    start = DateInRange()
    end = DateInRange()


class PeriodIn(serializers.Serializer[object]):
    year_id = serializers.IntegerField()
    name = serializers.CharField(max_length=40)
    kind = serializers.CharField()
    start = DateInRange()
    end = DateInRange()


class PeriodPatchIn(serializers.Serializer[object]):
    """A period stays in its year."""

    name = serializers.CharField(max_length=40, required=False)
    kind = serializers.CharField(required=False)
    start = DateInRange(required=False)
    end = DateInRange(required=False)


class PeriodListApi(ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=PeriodOut(many=True))
    def get(self, request: Request) -> Response:
        return page(self, request, selectors.periods(), PeriodOut)

    @extend_schema(request=PeriodIn, responses={201: PeriodOut})
    def post(self, request: Request) -> Response:
        values = valid(PeriodIn, request)
        year = get_named(SchoolYear, int(values.pop("year_id")), field="year_id")
        period = services.period_create(actor=actor_of(request), year=year, **values)
        return Response(PeriodOut(period).data, status=201)


class PeriodDetailApi(Detail):
    """One period (trimester or semester). PATCH: it stays in its year, within its dates, without
    overlapping another period."""

    @extend_schema(responses=PeriodOut)
    def get(self, request: Request, period_id: int) -> Response:
        return Response(PeriodOut(get_or_404(selectors.periods(), pk=period_id)).data)

    @extend_schema(request=PeriodPatchIn, responses=changed(PeriodOut))
    def patch(self, request: Request, period_id: int) -> Response:
        period = get_or_404(selectors.periods(), pk=period_id)
        values = patch_values(period, valid(PeriodPatchIn, request), ["name", "kind", "start", "end"])
        period = services.period_update(actor=actor_of(request), period=period, **values)
        return Response(PeriodOut(period).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, period_id: int) -> Response:
        period = get_or_404(selectors.periods(), pk=period_id)
        services.period_delete(actor=actor_of(request), period=period)
        return Response(status=204)


# Rollover and past years ------------------------------------------------------------------------


class RolloverApi(BaseAPIView):
    """Year rollover: ``apply: false`` is the dry run (who moves to which class); ``apply: true``
    writes the same plan (administrative staff)."""

    required_roles = STRUCTURE_MANAGERS

    class RolloverIn(serializers.Serializer[object]):
        from_year_id = serializers.IntegerField()
        to_year_id = serializers.IntegerField()
        class_map = serializers.DictField(
            child=serializers.CharField(allow_null=True, allow_blank=True), required=False, default=dict
        )
        apply = serializers.BooleanField(default=False)

    class MoveOut(serializers.Serializer[object]):
        user_id = serializers.IntegerField()
        display_name = serializers.CharField()
        from_class = serializers.CharField()
        to_class = serializers.CharField(allow_null=True)

    class RolloverOut(serializers.Serializer[object]):
        applied = serializers.BooleanField()
        moves = serializers.ListField(child=serializers.DictField())

    @extend_schema(request=RolloverIn, responses=RolloverOut)
    def post(self, request: Request) -> Response:
        v = valid(self.RolloverIn, request)
        from_year = get_named(SchoolYear, int(v["from_year_id"]), field="from_year_id")
        to_year = get_named(SchoolYear, int(v["to_year_id"]), field="to_year_id")
        class_map = {k: (val or None) for k, val in v["class_map"].items()}
        if v["apply"]:
            moves = rollover_apply(
                actor=actor_of(request), from_year=from_year, to_year=to_year, class_map=class_map
            )
        else:
            moves = rollover_plan(class_map=class_map)
        return Response({"applied": v["apply"], "moves": self.MoveOut(moves, many=True).data})


class EnrolmentListApi(BaseAPIView):
    """Who was in which class in a past year (staff)."""

    pagination_class = DefaultPagination

    required_roles = STRUCTURE_READERS

    class EnrolmentOut(serializers.Serializer[object]):
        user_id = serializers.IntegerField(source="student.user_id")
        display_name = serializers.CharField(source="student.display_name")
        school_class = serializers.CharField(source="school_class.name")

    @extend_schema(responses=EnrolmentOut(many=True))
    def get(self, request: Request, year_id: int) -> Response:
        return page(self, request, selectors.enrolments(year_id=year_id), self.EnrolmentOut)
