"""What the appointments' API views share: the scope of the request, the output shapes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from mbn_platform.kernel.tenancy import request_access


def scope(request: Request) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


class SlotOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    teacher_id = serializers.IntegerField(source="teacher.user_id")
    teacher = serializers.CharField(source="teacher.display_name")
    evening_id = serializers.IntegerField(allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.CharField()
    room = serializers.CharField(source="room.name", allow_null=True, default=None)
    video_link = serializers.CharField()
    cancel_cutoff_hours = serializers.IntegerField()
    taken = serializers.BooleanField(required=False, help_text="Whether someone holds the slot.")


class BookingOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    slot = SlotOut()
    child_id = serializers.IntegerField(source="child.user_id")
    child = serializers.CharField(source="child.display_name")
    guardian_id = serializers.IntegerField(source="guardian.user_id")
    guardian = serializers.CharField(source="guardian.display_name")
    booked_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
