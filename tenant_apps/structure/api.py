"""API of the school's structure: every member of staff reads it, the administrative staff write it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.api import BaseAPIView, DefaultPagination
from mbn_platform.errors import NotFound, ValidationFailed
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure import selectors, services
from tenant_apps.structure.models import Group, SchoolYear, Subject
from tenant_apps.structure.permissions import STAFF, STRUCTURE_MANAGERS


def _page(
    view: BaseAPIView, request: Request, queryset: Any, out: type[serializers.Serializer[Any]]
) -> Response:
    paginator = DefaultPagination()
    page: Any = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(out(page, many=True).data)


def _get(model: Any, pk: Any, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(fields={field: [str(_("Unknown."))]})
    return found


class _ListCreate(BaseAPIView):
    required_roles = STAFF
    write_roles = STRUCTURE_MANAGERS


class SchoolYearListApi(_ListCreate):
    class YearOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        name = serializers.CharField()
        start = serializers.DateField()
        end = serializers.DateField()
        week_a_monday = serializers.DateField()
        is_current = serializers.BooleanField()

    class YearIn(serializers.Serializer[object]):
        name = serializers.CharField(max_length=20)
        start = serializers.DateField()
        end = serializers.DateField()
        week_a_monday = serializers.DateField(required=False)
        is_current = serializers.BooleanField(default=False)

    @extend_schema(responses=YearOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.school_years(), self.YearOut)

    @extend_schema(request=YearIn, responses={201: YearOut})
    def post(self, request: Request) -> Response:
        data = self.YearIn(data=request.data)
        data.is_valid(raise_exception=True)
        year = services.school_year_create(**data.validated_data)
        return Response(self.YearOut(year).data, status=201)


class PeriodListApi(_ListCreate):
    class PeriodOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        year_id = serializers.IntegerField()
        name = serializers.CharField()
        kind = serializers.CharField()
        start = serializers.DateField()
        end = serializers.DateField()

    class PeriodIn(serializers.Serializer[object]):
        year_id = serializers.IntegerField()
        name = serializers.CharField(max_length=40)
        kind = serializers.CharField()
        start = serializers.DateField()
        end = serializers.DateField()

    @extend_schema(responses=PeriodOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.periods(), self.PeriodOut)

    @extend_schema(request=PeriodIn, responses={201: PeriodOut})
    def post(self, request: Request) -> Response:
        data = self.PeriodIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        year = _get(SchoolYear, values.pop("year_id"), "year_id")
        period = services.period_create(year=year, **values)
        return Response(self.PeriodOut(period).data, status=201)


class SubjectListApi(_ListCreate):
    class SubjectOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        code = serializers.CharField()
        name = serializers.CharField()

    class SubjectIn(serializers.Serializer[object]):
        code = serializers.CharField(max_length=20)
        name = serializers.CharField(max_length=100)

    @extend_schema(responses=SubjectOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.subjects(), self.SubjectOut)

    @extend_schema(request=SubjectIn, responses={201: SubjectOut})
    def post(self, request: Request) -> Response:
        data = self.SubjectIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self.SubjectOut(services.subject_create(**data.validated_data)).data, status=201)


class RoomListApi(_ListCreate):
    class RoomOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        name = serializers.CharField()
        capacity = serializers.IntegerField(allow_null=True)

    class RoomIn(serializers.Serializer[object]):
        name = serializers.CharField(max_length=60)
        capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    @extend_schema(responses=RoomOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.rooms(), self.RoomOut)

    @extend_schema(request=RoomIn, responses={201: RoomOut})
    def post(self, request: Request) -> Response:
        data = self.RoomIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self.RoomOut(services.room_create(**data.validated_data)).data, status=201)


class GroupOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    headcount = serializers.IntegerField(required=False)


class GroupListApi(_ListCreate):
    class GroupIn(serializers.Serializer[object]):
        name = serializers.CharField(max_length=60)
        member_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)

    @extend_schema(responses=GroupOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.groups(), GroupOut)

    @extend_schema(request=GroupIn, responses={201: GroupOut})
    def post(self, request: Request) -> Response:
        data = self.GroupIn(data=request.data)
        data.is_valid(raise_exception=True)
        group = services.group_create(**data.validated_data)
        return Response(
            GroupOut({"id": group.pk, "name": group.name, "headcount": group.members.count()}).data,
            status=201,
        )


class GroupMembersApi(BaseAPIView):
    """Set the students of a group (PUT: the whole list)."""

    required_roles = STRUCTURE_MANAGERS

    class MembersIn(serializers.Serializer[object]):
        member_ids = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(request=MembersIn, responses=GroupOut)
    def put(self, request: Request, group_id: int) -> Response:
        group = Group.objects.filter(pk=group_id).first()
        if group is None:
            raise NotFound()
        data = self.MembersIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.group_members_set(group=group, member_ids=data.validated_data["member_ids"])
        return Response(
            GroupOut({"id": group.pk, "name": group.name, "headcount": group.members.count()}).data
        )


class AssignmentListApi(_ListCreate):
    class AssignmentOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        teacher_id = serializers.IntegerField()
        teacher = serializers.CharField(source="teacher.display_name")
        subject_id = serializers.IntegerField()
        school_class_id = serializers.IntegerField(allow_null=True)
        group_id = serializers.IntegerField(allow_null=True)

    class AssignmentIn(serializers.Serializer[object]):
        teacher_id = serializers.IntegerField()
        subject_id = serializers.IntegerField()
        school_class_id = serializers.IntegerField(required=False, allow_null=True)
        group_id = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(responses=AssignmentOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.teaching_assignments(), self.AssignmentOut)

    @extend_schema(request=AssignmentIn, responses={201: AssignmentOut})
    def post(self, request: Request) -> Response:
        data = self.AssignmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assignment = services.teaching_assignment_create(
            teacher=_get(Member, v["teacher_id"], "teacher_id"),
            subject=_get(Subject, v["subject_id"], "subject_id"),
            school_class=_get(SchoolClass, v.get("school_class_id"), "school_class_id"),
            group=_get(Group, v.get("group_id"), "group_id"),
        )
        return Response(self.AssignmentOut(assignment).data, status=201)


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
        from tenant_apps.structure.rollover import rollover_apply, rollover_plan

        data = self.RolloverIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        from_year = _get(SchoolYear, v["from_year_id"], "from_year_id")
        to_year = _get(SchoolYear, v["to_year_id"], "to_year_id")
        class_map = {k: (val or None) for k, val in v["class_map"].items()}
        if v["apply"]:
            moves = rollover_apply(from_year=from_year, to_year=to_year, class_map=class_map)
        else:
            moves = rollover_plan(class_map=class_map)
        return Response({"applied": v["apply"], "moves": self.MoveOut(moves, many=True).data})


class EnrolmentListApi(BaseAPIView):
    """Who was in which class in a past year (staff)."""

    required_roles = STAFF

    class EnrolmentOut(serializers.Serializer[object]):
        user_id = serializers.IntegerField(source="student.user_id")
        display_name = serializers.CharField(source="student.display_name")
        school_class = serializers.CharField(source="school_class.name")

    @extend_schema(responses=EnrolmentOut(many=True))
    def get(self, request: Request, year_id: int) -> Response:
        from tenant_apps.structure.models import Enrolment

        queryset = (
            Enrolment.objects.filter(year_id=year_id)
            .select_related("student", "school_class")
            .order_by("school_class__name", "student__display_name")
        )
        return _page(self, request, queryset, self.EnrolmentOut)
