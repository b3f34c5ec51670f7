"""API of the school's structure: every member of staff reads it, the administrative staff write it.

Each kind has a list (GET, POST) and a detail (GET, PATCH, DELETE) route. A PATCH sends only the
fields that change; a DELETE of something still in use is a 409 that says what uses it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure import selectors, services
from tenant_apps.structure.models import Group, SchoolYear, Subject, TeachingAssignment
from tenant_apps.structure.permissions import STAFF, STRUCTURE_MANAGERS, acting_user_id

DELETED = {
    204: OpenApiResponse(description="Deleted."),
    404: OpenApiResponse(description="Unknown id (or one of another establishment)."),
    409: OpenApiResponse(description="Still in use: nothing was deleted; the message says what uses it."),
}


def _changed(out: Any) -> dict[int, Any]:
    """The responses of a PATCH."""
    return {
        200: out,
        400: OpenApiResponse(description="Invalid input: ``error.fields`` names each field and why."),
        404: DELETED[404],
        409: OpenApiResponse(description="The new name or code is already taken."),
    }


def _page(
    view: BaseAPIView, request: Request, queryset: Any, out: type[serializers.Serializer[Any]]
) -> Response:
    return view.page_response(request, queryset, lambda rows: out(rows, many=True).data)


def _get(model: Any, pk: Any, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(fields={field: [str(_("Unknown."))]})
    return found


def _valid(serializer: type[serializers.Serializer[Any]], request: Request, *, partial: bool = False) -> Any:
    data = serializer(data=request.data, partial=partial)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class _ListCreate(BaseAPIView):
    required_roles = STAFF
    write_roles = STRUCTURE_MANAGERS


class _Detail(BaseAPIView):
    """GET (staff), PATCH and DELETE (administrative staff) of one object; 404 for unknown ids."""

    required_roles = STAFF
    write_roles = STRUCTURE_MANAGERS


# School years ----------------------------------------------------------------------------------


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


class SchoolYearListApi(_ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=YearOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.school_years(), YearOut)

    @extend_schema(request=YearIn, responses={201: YearOut})
    def post(self, request: Request) -> Response:
        year = services.school_year_create(**_valid(YearIn, request))
        return Response(YearOut(year).data, status=201)


class SchoolYearDetailApi(_Detail):
    """One school year. PATCH: its dates are checked (its periods must still fit), the Monday of
    week A is normalised, ``is_current`` makes it the only current year. DELETE: with its periods;
    refused (409) while lessons, enrolments or anything else use it."""

    @extend_schema(responses=YearOut)
    def get(self, request: Request, year_id: int) -> Response:
        return Response(YearOut(selectors.one(selectors.school_years(), year_id)).data)

    @extend_schema(request=YearIn, responses=_changed(YearOut))
    def patch(self, request: Request, year_id: int) -> Response:
        year = selectors.one(selectors.school_years(), year_id)
        values = {
            "name": year.name,
            "start": year.start,
            "end": year.end,
            "week_a_monday": year.week_a_monday,
            "is_current": year.is_current,
            **_valid(YearIn, request, partial=True),
        }
        year = services.school_year_update(actor_id=acting_user_id(request), year=year, **values)
        return Response(YearOut(year).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, year_id: int) -> Response:
        year = selectors.one(selectors.school_years(), year_id)
        services.school_year_delete(actor_id=acting_user_id(request), year=year)
        return Response(status=204)


# Periods ---------------------------------------------------------------------------------------


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


class PeriodPatchIn(serializers.Serializer[object]):
    """A period stays in its year."""

    name = serializers.CharField(max_length=40, required=False)
    kind = serializers.CharField(required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class PeriodListApi(_ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=PeriodOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.periods(), PeriodOut)

    @extend_schema(request=PeriodIn, responses={201: PeriodOut})
    def post(self, request: Request) -> Response:
        values = _valid(PeriodIn, request)
        year = _get(SchoolYear, values.pop("year_id"), "year_id")
        period = services.period_create(year=year, **values)
        return Response(PeriodOut(period).data, status=201)


class PeriodDetailApi(_Detail):
    """One period (trimester or semester). PATCH: it stays in its year, within its dates, without
    overlapping another period."""

    @extend_schema(responses=PeriodOut)
    def get(self, request: Request, period_id: int) -> Response:
        return Response(PeriodOut(selectors.one(selectors.periods(), period_id)).data)

    @extend_schema(request=PeriodPatchIn, responses=_changed(PeriodOut))
    def patch(self, request: Request, period_id: int) -> Response:
        period = selectors.one(selectors.periods(), period_id)
        values = {
            "name": period.name,
            "kind": period.kind,
            "start": period.start,
            "end": period.end,
            **_valid(PeriodPatchIn, request),
        }
        period = services.period_update(actor_id=acting_user_id(request), period=period, **values)
        return Response(PeriodOut(period).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, period_id: int) -> Response:
        period = selectors.one(selectors.periods(), period_id)
        services.period_delete(actor_id=acting_user_id(request), period=period)
        return Response(status=204)


# Subjects and rooms ----------------------------------------------------------------------------


class SubjectOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SubjectIn(serializers.Serializer[object]):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=100)


class SubjectListApi(_ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=SubjectOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.subjects(), SubjectOut)

    @extend_schema(request=SubjectIn, responses={201: SubjectOut})
    def post(self, request: Request) -> Response:
        return Response(SubjectOut(services.subject_create(**_valid(SubjectIn, request))).data, status=201)


class SubjectDetailApi(_Detail):
    """One subject. DELETE is refused (409) while lessons or teaching assignments use it."""

    @extend_schema(responses=SubjectOut)
    def get(self, request: Request, subject_id: int) -> Response:
        return Response(SubjectOut(selectors.one(selectors.subjects(), subject_id)).data)

    @extend_schema(request=SubjectIn, responses=_changed(SubjectOut))
    def patch(self, request: Request, subject_id: int) -> Response:
        subject = selectors.one(selectors.subjects(), subject_id)
        values = {"code": subject.code, "name": subject.name, **_valid(SubjectIn, request, partial=True)}
        subject = services.subject_update(actor_id=acting_user_id(request), subject=subject, **values)
        return Response(SubjectOut(subject).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, subject_id: int) -> Response:
        subject = selectors.one(selectors.subjects(), subject_id)
        services.subject_delete(actor_id=acting_user_id(request), subject=subject)
        return Response(status=204)


class RoomOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)


class RoomIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=60)
    capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class RoomListApi(_ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=RoomOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.rooms(), RoomOut)

    @extend_schema(request=RoomIn, responses={201: RoomOut})
    def post(self, request: Request) -> Response:
        return Response(RoomOut(services.room_create(**_valid(RoomIn, request))).data, status=201)


class RoomDetailApi(_Detail):
    """One room. DELETE is refused (409) while lessons (or changes of lessons) use it."""

    @extend_schema(responses=RoomOut)
    def get(self, request: Request, room_id: int) -> Response:
        return Response(RoomOut(selectors.one(selectors.rooms(), room_id)).data)

    @extend_schema(request=RoomIn, responses=_changed(RoomOut))
    def patch(self, request: Request, room_id: int) -> Response:
        room = selectors.one(selectors.rooms(), room_id)
        values = {"name": room.name, "capacity": room.capacity, **_valid(RoomIn, request, partial=True)}
        room = services.room_update(actor_id=acting_user_id(request), room=room, **values)
        return Response(RoomOut(room).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, room_id: int) -> Response:
        room = selectors.one(selectors.rooms(), room_id)
        services.room_delete(actor_id=acting_user_id(request), room=room)
        return Response(status=204)


# Classes ---------------------------------------------------------------------------------------


class StructureClassOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    headcount = serializers.IntegerField(required=False, help_text="Active students of the class.")


class StructureClassIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=40)
    level = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="Told by the name when left out."
    )


def _class_out(school_class: SchoolClass) -> dict[str, Any]:
    found = selectors.classes().get(pk=school_class.pk)
    return dict(StructureClassOut(found).data)


class ClassListApi(_ListCreate):
    """The classes (with their number of students); POST creates one (administrative staff)."""

    pagination_class = DefaultPagination

    @extend_schema(responses=StructureClassOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.classes(), StructureClassOut)

    @extend_schema(request=StructureClassIn, responses={201: StructureClassOut})
    def post(self, request: Request) -> Response:
        school_class = services.class_create(
            actor_id=acting_user_id(request), **_valid(StructureClassIn, request)
        )
        return Response(_class_out(school_class), status=201)


class ClassDetailApi(_Detail):
    """One class. PATCH renames it (a new name without a level takes the level the name tells);
    DELETE is refused (409) while it has students, past enrolments, lessons or assignments."""

    @extend_schema(responses=StructureClassOut)
    def get(self, request: Request, class_id: int) -> Response:
        return Response(StructureClassOut(selectors.one(selectors.classes(), class_id)).data)

    @extend_schema(request=StructureClassIn, responses=_changed(StructureClassOut))
    def patch(self, request: Request, class_id: int) -> Response:
        school_class = selectors.one(selectors.classes(), class_id)
        values = _valid(StructureClassIn, request, partial=True)
        school_class = services.class_update(
            actor_id=acting_user_id(request),
            school_class=school_class,
            name=values.get("name", school_class.name),
            # A new name without a level: the level the new name tells.
            level=values.get("level", None if "name" in values else school_class.level),
        )
        return Response(_class_out(school_class))

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, class_id: int) -> Response:
        school_class = selectors.one(selectors.classes(), class_id)
        services.class_delete(actor_id=acting_user_id(request), school_class=school_class)
        return Response(status=204)


# Groups ----------------------------------------------------------------------------------------


class GroupOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    headcount = serializers.IntegerField(required=False)


class GroupDetailOut(GroupOut):
    member_ids = serializers.ListField(child=serializers.IntegerField(), help_text="Member ids (students).")


class GroupIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=60)
    member_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class GroupPatchIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=60, required=False)
    member_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="The whole new list of students."
    )


def _group_out(group: Group) -> dict[str, Any]:
    member_ids = sorted(group.members.values_list("pk", flat=True))
    return dict(
        GroupDetailOut(
            {"id": group.pk, "name": group.name, "headcount": len(member_ids), "member_ids": member_ids}
        ).data
    )


class GroupListApi(_ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=GroupOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.groups(), GroupOut)

    @extend_schema(request=GroupIn, responses={201: GroupDetailOut})
    def post(self, request: Request) -> Response:
        group = services.group_create(**_valid(GroupIn, request))
        return Response(_group_out(group), status=201)


class GroupDetailApi(_Detail):
    """One group and its students. PATCH: a new name and/or the whole list of students
    (``member_ids``); DELETE is refused (409) while lessons or assignments use it."""

    @extend_schema(responses=GroupDetailOut)
    def get(self, request: Request, group_id: int) -> Response:
        return Response(_group_out(selectors.one(selectors.groups(), group_id)))

    @extend_schema(request=GroupPatchIn, responses=_changed(GroupDetailOut))
    def patch(self, request: Request, group_id: int) -> Response:
        group = selectors.one(selectors.groups(), group_id)
        values = _valid(GroupPatchIn, request)
        services.group_update(
            actor_id=acting_user_id(request),
            group=group,
            name=values.get("name", group.name),
            member_ids=values.get("member_ids"),
        )
        return Response(_group_out(group))

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, group_id: int) -> Response:
        group = selectors.one(selectors.groups(), group_id)
        services.group_delete(actor_id=acting_user_id(request), group=group)
        return Response(status=204)


class GroupMembersApi(BaseAPIView):
    """Set the students of a group (PUT: the whole list)."""

    required_roles = STRUCTURE_MANAGERS

    class MembersIn(serializers.Serializer[object]):
        member_ids = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(request=MembersIn, responses=GroupDetailOut)
    def put(self, request: Request, group_id: int) -> Response:
        group = selectors.one(selectors.groups(), group_id)
        values = _valid(self.MembersIn, request)
        services.group_members_set(group=group, member_ids=values["member_ids"])
        return Response(_group_out(group))


# Teaching assignments --------------------------------------------------------------------------


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


class AssignmentPatchIn(serializers.Serializer[object]):
    """Sending ``school_class_id`` or ``group_id`` replaces the audience (the other one is cleared
    unless sent too)."""

    teacher_id = serializers.IntegerField(required=False)
    subject_id = serializers.IntegerField(required=False)
    school_class_id = serializers.IntegerField(required=False, allow_null=True)
    group_id = serializers.IntegerField(required=False, allow_null=True)


def _assignment_parts(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "teacher": _get(Member, values["teacher_id"], "teacher_id"),
        "subject": _get(Subject, values["subject_id"], "subject_id"),
        "school_class": _get(SchoolClass, values.get("school_class_id"), "school_class_id"),
        "group": _get(Group, values.get("group_id"), "group_id"),
    }


class AssignmentListApi(_ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=AssignmentOut(many=True))
    def get(self, request: Request) -> Response:
        return _page(self, request, selectors.teaching_assignments(), AssignmentOut)

    @extend_schema(request=AssignmentIn, responses={201: AssignmentOut})
    def post(self, request: Request) -> Response:
        assignment = services.teaching_assignment_create(**_assignment_parts(_valid(AssignmentIn, request)))
        return Response(AssignmentOut(assignment).data, status=201)


class AssignmentDetailApi(_Detail):
    """One teaching assignment (teacher, subject, class or group)."""

    @extend_schema(responses=AssignmentOut)
    def get(self, request: Request, assignment_id: int) -> Response:
        return Response(AssignmentOut(selectors.one(selectors.teaching_assignments(), assignment_id)).data)

    @extend_schema(request=AssignmentPatchIn, responses=_changed(AssignmentOut))
    def patch(self, request: Request, assignment_id: int) -> Response:
        assignment: TeachingAssignment = selectors.one(selectors.teaching_assignments(), assignment_id)
        sent = _valid(AssignmentPatchIn, request)
        values: dict[str, Any] = {
            "teacher_id": assignment.teacher_id,
            "subject_id": assignment.subject_id,
            "school_class_id": assignment.school_class_id,
            "group_id": assignment.group_id,
        }
        if "school_class_id" in sent or "group_id" in sent:
            values.update(school_class_id=None, group_id=None)
        values.update(sent)
        assignment = services.teaching_assignment_update(
            actor_id=acting_user_id(request), assignment=assignment, **_assignment_parts(values)
        )
        return Response(AssignmentOut(assignment).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.one(selectors.teaching_assignments(), assignment_id)
        services.teaching_assignment_delete(actor_id=acting_user_id(request), assignment=assignment)
        return Response(status=204)


# Rollover --------------------------------------------------------------------------------------


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

        v = _valid(self.RolloverIn, request)
        from_year = _get(SchoolYear, v["from_year_id"], "from_year_id")
        to_year = _get(SchoolYear, v["to_year_id"], "to_year_id")
        class_map = {k: (val or None) for k, val in v["class_map"].items()}
        if v["apply"]:
            moves = rollover_apply(
                from_year=from_year, to_year=to_year, class_map=class_map, actor_id=acting_user_id(request)
            )
        else:
            moves = rollover_plan(class_map=class_map)
        return Response({"applied": v["apply"], "moves": self.MoveOut(moves, many=True).data})


class EnrolmentListApi(BaseAPIView):
    """Who was in which class in a past year (staff)."""

    pagination_class = DefaultPagination

    required_roles = STAFF

    class EnrolmentOut(serializers.Serializer[object]):
        user_id = serializers.IntegerField(source="student.user_id")
        display_name = serializers.CharField(source="student.display_name")
        school_class = serializers.CharField(source="school_class.name")

    @extend_schema(responses=EnrolmentOut(many=True))
    def get(self, request: Request, year_id: int) -> Response:
        return _page(self, request, selectors.enrolments(year_id=year_id), self.EnrolmentOut)
