"""The establishment's attendance settings (its leadership): read them, change them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, HourMinuteField
from tenant_apps.attendance import services
from tenant_apps.attendance.permissions import SETTINGS_MANAGERS


class SettingsOut(serializers.Serializer[object]):
    absence_notification_review = serializers.BooleanField(
        help_text="school life reviews unjustified absences before guardians are told"
    )
    half_day_split = HourMinuteField(help_text="the afternoon starts at")


class SettingsIn(serializers.Serializer[object]):
    absence_notification_review = serializers.BooleanField(required=False)
    half_day_split = serializers.TimeField(required=False)


class AttendanceSettingsApi(BaseAPIView):
    """GET the settings; PATCH some of them (what is not sent keeps its value)."""

    required_roles = SETTINGS_MANAGERS

    @extend_schema(responses=SettingsOut)
    def get(self, request: Request) -> Response:
        return Response(SettingsOut(services.attendance_settings().as_dict()).data)

    @extend_schema(request=SettingsIn, responses=SettingsOut)
    def patch(self, request: Request) -> Response:
        body = SettingsIn(data=request.data)
        body.is_valid(raise_exception=True)
        values = {**services.attendance_settings().as_dict(), **body.validated_data}
        saved = services.attendance_settings_update(actor=actor_of(request), **values)
        return Response(SettingsOut(saved.as_dict()).data)
