"""The person's notification preferences (``/api/v1/notifications/preferences/``, every host)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView
from mbn_platform.kernel.permissions import ANY_MEMBER
from shared_apps.notifications.preferences import preferences_of
from shared_apps.notifications.settings_services import notification_settings_update
from shared_apps.notify.types import EmailMode


class PreferencesOut(serializers.Serializer[Any]):
    types = serializers.DictField(
        child=serializers.DictField(child=serializers.BooleanField()),
        help_text='{type: {"email": bool, "sms": bool, "push": bool}} for every type one may choose',
    )
    email_mode = serializers.ChoiceField(choices=EmailMode.choices)
    quiet_start = serializers.CharField(help_text="HH:MM, Europe/Paris")
    quiet_end = serializers.CharField(help_text="HH:MM, Europe/Paris")
    phone = serializers.CharField(allow_blank=True)


class PreferencesIn(serializers.Serializer[Any]):
    types = serializers.JSONField(
        required=False, help_text='{type: {"email": bool, "sms": bool, "push": bool}} (partial)'
    )
    email_mode = serializers.ChoiceField(choices=EmailMode.choices, required=False)
    quiet_start = serializers.TimeField(required=False)
    quiet_end = serializers.TimeField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)


class PreferencesApi(BaseAPIView):
    """GET: the person's notification preferences (defaults filled in). PUT/PATCH: change any of
    them (what is not sent is kept)."""

    required_roles = ANY_MEMBER

    @extend_schema(responses=PreferencesOut)
    def get(self, request: Request) -> Response:
        return Response(preferences_of(user=request.user))  # type: ignore[arg-type]

    @extend_schema(request=PreferencesIn, responses=PreferencesOut)
    def put(self, request: Request) -> Response:
        data = PreferencesIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            notification_settings_update(actor=actor_of(request), user=request.user, **data.validated_data)  # type: ignore[arg-type]
        )

    @extend_schema(request=PreferencesIn, responses=PreferencesOut)
    def patch(self, request: Request) -> Response:
        return self.put(request)
