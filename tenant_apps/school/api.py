"""Establishment-scope API of the school app (on a school's subdomain)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.permissions import ANY_MEMBER
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.school.selectors import (
    class_students,
    classes_visible,
    classes_with_headcount,
    school_overview,
)
from tenants.requests import current_establishment


class EstablishmentApi(BaseAPIView):
    """The establishment served by this host, with its headcounts (any member)."""

    required_roles = ANY_MEMBER

    class EstablishmentOut(serializers.Serializer[object]):
        uai = serializers.CharField()
        name = serializers.CharField()
        kind = serializers.CharField()
        academie = serializers.CharField()
        departement = serializers.CharField()
        students = serializers.IntegerField()
        teachers = serializers.IntegerField()
        guardians = serializers.IntegerField()

    @extend_schema(responses=EstablishmentOut)
    def get(self, request: Request) -> Response:
        est = current_establishment(request)
        if est is None:
            raise NotFound()
        data = {
            "uai": est.uai,
            "name": est.name,
            "kind": est.kind,
            "academie": est.academie,
            "departement": est.departement,
            **school_overview(),
        }
        return Response(self.EstablishmentOut(data).data)


class ClassOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    headcount = serializers.IntegerField()


class ClassListApi(BaseAPIView):
    """The classes the signed-in person may see (all for staff; their own or their children's)."""

    pagination_class = DefaultPagination

    required_roles = ANY_MEMBER

    @extend_schema(responses=ClassOut(many=True))
    def get(self, request: Request) -> Response:
        access = request_access(request)
        visible = classes_visible(user_id=access.user_id or 0, roles=access.roles).values_list(
            "pk", flat=True
        )
        queryset = classes_with_headcount().filter(pk__in=visible).order_by("level", "name")
        return self.page_response(request, queryset, lambda rows: ClassOut(rows, many=True).data)


class ClassStudentOut(serializers.Serializer[object]):
    id = serializers.IntegerField(source="user_id")
    display_name = serializers.CharField()


class ClassDetailApi(BaseAPIView):
    """One class and its students; 404 for a class the person may not see."""

    required_roles = ANY_MEMBER

    class ClassDetailOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        name = serializers.CharField()
        level = serializers.CharField()
        students = ClassStudentOut(many=True)

    @extend_schema(responses=ClassDetailOut)
    def get(self, request: Request, class_id: int) -> Response:
        access = request_access(request)
        school_class = (
            classes_visible(user_id=access.user_id or 0, roles=access.roles).filter(pk=class_id).first()
        )
        if school_class is None:
            raise NotFound()
        data = {
            "id": school_class.pk,
            "name": school_class.name,
            "level": school_class.level,
            "students": class_students(school_class=school_class),
        }
        return Response(self.ClassDetailOut(data).data)
