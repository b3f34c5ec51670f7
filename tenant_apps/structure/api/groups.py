"""API of the teaching groups (and their students) and of the teaching assignments."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination, patch_values
from mbn_platform.kernel.lookups import get_or_404, named
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure import selectors, services
from tenant_apps.structure.api.common import DELETED, Detail, ListCreate, changed, page, valid
from tenant_apps.structure.models import Group, Subject, TeachingAssignment
from tenant_apps.structure.permissions import STRUCTURE_MANAGERS

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


class GroupListApi(ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=GroupOut(many=True))
    def get(self, request: Request) -> Response:
        return page(self, request, selectors.groups(), GroupOut)

    @extend_schema(request=GroupIn, responses={201: GroupDetailOut})
    def post(self, request: Request) -> Response:
        group = services.group_create(actor=actor_of(request), **valid(GroupIn, request))
        return Response(_group_out(group), status=201)


class GroupDetailApi(Detail):
    """One group and its students. PATCH: a new name and/or the whole list of students
    (``member_ids``); DELETE is refused (409) while lessons or assignments use it."""

    @extend_schema(responses=GroupDetailOut)
    def get(self, request: Request, group_id: int) -> Response:
        return Response(_group_out(get_or_404(selectors.groups(), pk=group_id)))

    @extend_schema(request=GroupPatchIn, responses=changed(GroupDetailOut))
    def patch(self, request: Request, group_id: int) -> Response:
        group = get_or_404(selectors.groups(), pk=group_id)
        sent = valid(GroupPatchIn, request)
        services.group_update(
            actor=actor_of(request),
            group=group,
            member_ids=sent.get("member_ids"),  # not sent: the students stay
            **patch_values(group, sent, ["name"]),
        )
        return Response(_group_out(group))

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, group_id: int) -> Response:
        group = get_or_404(selectors.groups(), pk=group_id)
        services.group_delete(actor=actor_of(request), group=group)
        return Response(status=204)


class GroupMembersApi(BaseAPIView):
    """Set the students of a group (PUT: the whole list)."""

    required_roles = STRUCTURE_MANAGERS

    class MembersIn(serializers.Serializer[object]):
        member_ids = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(request=MembersIn, responses=GroupDetailOut)
    def put(self, request: Request, group_id: int) -> Response:
        group = get_or_404(selectors.groups(), pk=group_id)
        values = valid(self.MembersIn, request)
        services.group_members_set(actor=actor_of(request), group=group, member_ids=values["member_ids"])
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


#: What each id of an assignment's input names.
ASSIGNMENT_PARTS = {
    "teacher_id": named(Member),
    "subject_id": named(Subject),
    "school_class_id": named(SchoolClass),
    "group_id": named(Group),
}


class AssignmentListApi(ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=AssignmentOut(many=True))
    def get(self, request: Request) -> Response:
        return page(self, request, selectors.teaching_assignments(), AssignmentOut)

    @extend_schema(request=AssignmentIn, responses={201: AssignmentOut})
    def post(self, request: Request) -> Response:
        v = valid(AssignmentIn, request)
        parts = {
            name.removesuffix("_id"): fetch(name, v.get(name)) for name, fetch in ASSIGNMENT_PARTS.items()
        }
        assignment = services.teaching_assignment_create(actor=actor_of(request), **parts)
        return Response(AssignmentOut(assignment).data, status=201)


class AssignmentDetailApi(Detail):
    """One teaching assignment (teacher, subject, class or group)."""

    @extend_schema(responses=AssignmentOut)
    def get(self, request: Request, assignment_id: int) -> Response:
        return Response(AssignmentOut(get_or_404(selectors.teaching_assignments(), pk=assignment_id)).data)

    @extend_schema(request=AssignmentPatchIn, responses=changed(AssignmentOut))
    def patch(self, request: Request, assignment_id: int) -> Response:
        assignment: TeachingAssignment = get_or_404(selectors.teaching_assignments(), pk=assignment_id)
        sent = valid(AssignmentPatchIn, request)
        if "school_class_id" in sent or "group_id" in sent:  # a new audience replaces the old one
            sent = {"school_class_id": None, "group_id": None, **sent}
        values = patch_values(assignment, sent, [], related=ASSIGNMENT_PARTS)
        assignment = services.teaching_assignment_update(
            actor=actor_of(request), assignment=assignment, **values
        )
        return Response(AssignmentOut(assignment).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, assignment_id: int) -> Response:
        assignment = get_or_404(selectors.teaching_assignments(), pk=assignment_id)
        services.teaching_assignment_delete(actor=actor_of(request), assignment=assignment)
        return Response(status=204)
