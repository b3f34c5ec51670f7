"""Weeks of occurrences: the signed-in person's (or a guardian's child's), a class's, a room's."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView, DateInRange, HourMinuteField
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.parsing import query_date
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.timetable.permissions import ROOM_READERS, WEEK_READERS
from tenant_apps.timetable.selectors import (
    Week,
    class_for_timetable,
    merged_scope,
    personal_scopes,
    room_for_timetable,
    scope_class,
    scope_none,
    scope_room,
    week_view,
)


class OccurrenceOut(serializers.Serializer[object]):
    key = serializers.CharField()
    lesson_id = serializers.IntegerField(allow_null=True)
    exceptional_id = serializers.IntegerField(allow_null=True)
    occurrence_date = DateInRange()
    date = DateInRange()
    start = HourMinuteField()
    end = HourMinuteField()
    subject = serializers.CharField()
    teacher = serializers.CharField()
    room = serializers.CharField()
    audience = serializers.CharField()
    cancelled = serializers.BooleanField()
    moved_to = DateInRange(allow_null=True)
    moved_from = DateInRange(allow_null=True)
    room_changed = serializers.BooleanField()
    replaced = serializers.BooleanField()
    exceptional = serializers.BooleanField()
    changed = serializers.BooleanField()
    is_today = serializers.BooleanField()
    note = serializers.CharField()


class WeekOut(serializers.Serializer[object]):
    monday = DateInRange()
    week = serializers.CharField(allow_null=True)
    occurrences = OccurrenceOut(many=True)


DATE_PARAM = OpenApiParameter(
    "date", str, description="a day of the week wanted (YYYY-MM-DD); today by default"
)


def day_wanted(request: Request) -> datetime.date:
    """The ``date`` query parameter (today when absent; a bad one is a 400 naming it)."""
    return query_date(request.query_params, "date") or timezone.localdate()


def week_data(week: Week) -> dict[str, Any]:
    return {
        "monday": week.monday,
        "week": None if week.is_week_a is None else ("A" if week.is_week_a else "B"),
        "occurrences": [occ for _day, occs in week.days for occ in occs],
    }


class MyWeekApi(BaseAPIView):
    """The signed-in person's week (``child``: a guardian's child, by user id)."""

    required_roles = WEEK_READERS

    @extend_schema(parameters=[DATE_PARAM, OpenApiParameter("child", int)], responses=WeekOut)
    def get(self, request: Request) -> Response:
        access = request_access(request)
        child = request.query_params.get("child")
        if child is not None and not child.isdigit():
            raise NotFound()
        scopes = personal_scopes(
            user_id=access.user_id or 0,
            roles=access.roles,
            child_user_id=int(child) if child and child.isdigit() else None,
        )
        if child and not scopes:
            raise NotFound()
        scope = merged_scope(scopes) or scope_none()
        return Response(WeekOut(week_data(week_view(scope=scope, day=day_wanted(request)))).data)


class ClassWeekApi(BaseAPIView):
    """A class's week (staff; a student their class; a guardian their children's)."""

    required_roles = WEEK_READERS

    @extend_schema(parameters=[DATE_PARAM], responses=WeekOut)
    def get(self, request: Request, class_id: int) -> Response:
        access = request_access(request)
        school_class = class_for_timetable(user_id=access.user_id or 0, roles=access.roles, class_id=class_id)
        if school_class is None:
            raise NotFound()
        week = week_view(scope=scope_class(school_class), day=day_wanted(request))
        return Response(WeekOut(week_data(week)).data)


class RoomWeekApi(BaseAPIView):
    """A room's week (staff)."""

    required_roles = ROOM_READERS

    @extend_schema(parameters=[DATE_PARAM], responses=WeekOut)
    def get(self, request: Request, room_id: int) -> Response:
        access = request_access(request)
        room = room_for_timetable(roles=access.roles, room_id=room_id)
        if room is None:
            raise NotFound()
        week = week_view(scope=scope_room(room), day=day_wanted(request))
        return Response(WeekOut(week_data(week)).data)
