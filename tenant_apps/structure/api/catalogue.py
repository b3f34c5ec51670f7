"""API of the subjects, the rooms and the classes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import DefaultPagination, patch_values
from mbn_platform.kernel.lookups import get_or_404
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure import selectors, services
from tenant_apps.structure.api.common import DELETED, Detail, ListCreate, changed, page, valid
from tenant_apps.structure.services.catalogue import MAX_CAPACITY

# Subjects --------------------------------------------------------------------------------------


class SubjectOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SubjectIn(serializers.Serializer[object]):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=100)


class SubjectListApi(ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=SubjectOut(many=True))
    def get(self, request: Request) -> Response:
        return page(self, request, selectors.subjects(), SubjectOut)

    @extend_schema(request=SubjectIn, responses={201: SubjectOut})
    def post(self, request: Request) -> Response:
        subject = services.subject_create(actor=actor_of(request), **valid(SubjectIn, request))
        return Response(SubjectOut(subject).data, status=201)


class SubjectDetailApi(Detail):
    """One subject. DELETE is refused (409) while lessons or teaching assignments use it."""

    @extend_schema(responses=SubjectOut)
    def get(self, request: Request, subject_id: int) -> Response:
        return Response(SubjectOut(get_or_404(selectors.subjects(), pk=subject_id)).data)

    @extend_schema(request=SubjectIn, responses=changed(SubjectOut))
    def patch(self, request: Request, subject_id: int) -> Response:
        subject = get_or_404(selectors.subjects(), pk=subject_id)
        values = patch_values(subject, valid(SubjectIn, request, partial=True), ["code", "name"])
        subject = services.subject_update(actor=actor_of(request), subject=subject, **values)
        return Response(SubjectOut(subject).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, subject_id: int) -> Response:
        subject = get_or_404(selectors.subjects(), pk=subject_id)
        services.subject_delete(actor=actor_of(request), subject=subject)
        return Response(status=204)


# Rooms -----------------------------------------------------------------------------------------


class RoomOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)


class RoomIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=60)
    capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_CAPACITY)


class RoomListApi(ListCreate):
    pagination_class = DefaultPagination

    @extend_schema(responses=RoomOut(many=True))
    def get(self, request: Request) -> Response:
        return page(self, request, selectors.rooms(), RoomOut)

    @extend_schema(request=RoomIn, responses={201: RoomOut})
    def post(self, request: Request) -> Response:
        room = services.room_create(actor=actor_of(request), **valid(RoomIn, request))
        return Response(RoomOut(room).data, status=201)


class RoomDetailApi(Detail):
    """One room. DELETE is refused (409) while lessons (or changes of lessons) use it."""

    @extend_schema(responses=RoomOut)
    def get(self, request: Request, room_id: int) -> Response:
        return Response(RoomOut(get_or_404(selectors.rooms(), pk=room_id)).data)

    @extend_schema(request=RoomIn, responses=changed(RoomOut))
    def patch(self, request: Request, room_id: int) -> Response:
        room = get_or_404(selectors.rooms(), pk=room_id)
        values = patch_values(room, valid(RoomIn, request, partial=True), ["name", "capacity"])
        room = services.room_update(actor=actor_of(request), room=room, **values)
        return Response(RoomOut(room).data)

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, room_id: int) -> Response:
        room = get_or_404(selectors.rooms(), pk=room_id)
        services.room_delete(actor=actor_of(request), room=room)
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


class ClassListApi(ListCreate):
    """The classes (with their number of students); POST creates one (administrative staff)."""

    pagination_class = DefaultPagination

    @extend_schema(responses=StructureClassOut(many=True))
    def get(self, request: Request) -> Response:
        return page(self, request, selectors.classes(), StructureClassOut)

    @extend_schema(request=StructureClassIn, responses={201: StructureClassOut})
    def post(self, request: Request) -> Response:
        school_class = services.class_create(actor=actor_of(request), **valid(StructureClassIn, request))
        return Response(_class_out(school_class), status=201)


class ClassDetailApi(Detail):
    """One class. PATCH renames it (a new name without a level takes the level the name tells);
    DELETE is refused (409) while it has students, past enrolments, lessons or assignments."""

    @extend_schema(responses=StructureClassOut)
    def get(self, request: Request, class_id: int) -> Response:
        return Response(StructureClassOut(get_or_404(selectors.classes(), pk=class_id)).data)

    @extend_schema(request=StructureClassIn, responses=changed(StructureClassOut))
    def patch(self, request: Request, class_id: int) -> Response:
        school_class = get_or_404(selectors.classes(), pk=class_id)
        sent = valid(StructureClassIn, request, partial=True)
        values = patch_values(school_class, sent, ["name", "level"])
        if "name" in sent and "level" not in sent:
            values["level"] = None  # a new name without a level: the level the new name tells
        school_class = services.class_update(actor=actor_of(request), school_class=school_class, **values)
        return Response(_class_out(school_class))

    @extend_schema(responses=DELETED)
    def delete(self, request: Request, class_id: int) -> Response:
        school_class = get_or_404(selectors.classes(), pk=class_id)
        services.class_delete(actor=actor_of(request), school_class=school_class)
        return Response(status=204)
