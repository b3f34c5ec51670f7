"""A person's notification centre through the API (every host: all their establishments)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView
from mbn_platform.kernel.permissions import ANY_MEMBER
from tenant_apps.notifications.centre import (
    centre_entries,
    notification_mark_read,
    notifications_mark_all_read,
    unread_total,
)


class EntryOut(serializers.Serializer[Any]):
    id = serializers.CharField(source="key", help_text="<establishment id>-<entry id>")
    establishment_id = serializers.IntegerField()
    school = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField(help_text="absolute, on the establishment's host")
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()


class CentreOut(serializers.Serializer[Any]):
    unread = serializers.IntegerField()
    results = EntryOut(many=True)


class NotificationListApi(BaseAPIView):
    """GET: the person's 50 newest notifications of all their establishments (``?unread=1``: the
    unread ones only), with the unread count."""

    required_roles = ANY_MEMBER

    @extend_schema(parameters=[OpenApiParameter("unread", bool)], responses=CentreOut)
    def get(self, request: Request) -> Response:
        user_id = int(request.user.pk or 0)
        unread_only = request.query_params.get("unread", "") in {"1", "true"}
        entries = centre_entries(request=request, user_id=user_id, unread_only=unread_only)
        return Response({"unread": unread_total(user_id), "results": EntryOut(entries, many=True).data})


class ReadOut(serializers.Serializer[Any]):
    marked = serializers.IntegerField()


class NotificationReadApi(BaseAPIView):
    """POST: mark one of the person's notifications read (anyone else's: 404)."""

    required_roles = ANY_MEMBER

    @extend_schema(request=None, responses=ReadOut)
    def post(self, request: Request, key: str) -> Response:
        notification_mark_read(user_id=int(request.user.pk or 0), key=key)
        return Response({"marked": 1})


class NotificationReadAllApi(BaseAPIView):
    """POST: mark every notification of the person read."""

    required_roles = ANY_MEMBER

    @extend_schema(request=None, responses=ReadOut)
    def post(self, request: Request) -> Response:
        return Response({"marked": notifications_mark_all_read(user_id=int(request.user.pk or 0))})
