"""The audit log API (``/api/v1/audit/entries/``): the same filters and scope as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView
from shared_apps.audit.models import AuditEntry
from shared_apps.audit.permissions import ESTABLISHMENT_AUDIT_READERS, REGION_AUDIT_READERS
from shared_apps.audit.selectors import audit_entries, audit_filters_from
from shared_apps.audit.views import impersonating
from tenants.requests import current_establishment


class AuditCursorPagination(CursorPagination):
    """Cursor pages: stable while entries are appended, and no count of the whole log."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-created_at", "-pk")


class AuditEntryOut(serializers.Serializer[AuditEntry]):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    action = serializers.CharField()
    establishment = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    acting_as = serializers.CharField(source="acting_as_login", allow_null=True)
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    details = serializers.DictField()
    ip_address = serializers.CharField(allow_null=True)
    request_id = serializers.CharField()

    def get_establishment(self, obj: AuditEntry) -> str | None:
        return obj.establishment.uai if obj.establishment else None

    def get_actor(self, obj: AuditEntry) -> str | None:
        return obj.actor.login if obj.actor else None


FILTERS = [
    OpenApiParameter("uai", str, description="Establishment UAI (region scope only)"),
    OpenApiParameter("actor", str, description="Login of the actor"),
    OpenApiParameter("action", str, description='An action, or a prefix ending with "."'),
    OpenApiParameter("from", str, description="First day, YYYY-MM-DD"),
    OpenApiParameter("to", str, description="Last day, YYYY-MM-DD"),
]


class AuditEntryListApi(BaseAPIView):
    pagination_class = AuditCursorPagination

    @extend_schema(parameters=FILTERS, responses=AuditEntryOut(many=True))
    def get(self, request: Request) -> Response:
        entries = audit_entries(
            establishment=current_establishment(request),
            filters=audit_filters_from(request.query_params),
            hide_impersonation=impersonating(request),
        )
        paginator = AuditCursorPagination()
        page: Any = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(AuditEntryOut(page, many=True).data)


class RegionAuditEntryListApi(AuditEntryListApi):
    """Every entry of the region (operators, on the portal)."""

    required_region_roles = REGION_AUDIT_READERS


class EstablishmentAuditEntryListApi(AuditEntryListApi):
    """The establishment's entries (its admins and head, on its host)."""

    required_roles = ESTABLISHMENT_AUDIT_READERS
