"""Timetable API: weeks (one's own, a child's, a class's, a room's), lessons, changes, holidays,
the calendar feed token."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.api import BaseAPIView
from mbn_platform.errors import NotFound, ValidationFailed
from mbn_platform.tenancy import request_access
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.structure.permissions import (
    EVERYONE,
    STAFF,
    STRUCTURE_MANAGERS,
    TIMETABLE_EDITORS,
    acting_user_id,
)
from tenant_apps.timetable import services
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.selectors import (
    Scope,
    Week,
    class_for_timetable,
    merged_scope,
    personal_scopes,
    room_for_timetable,
    scope_class,
    scope_room,
    week_view,
)


class OccurrenceOut(serializers.Serializer[object]):
    key = serializers.CharField()
    lesson_id = serializers.IntegerField(allow_null=True)
    exceptional_id = serializers.IntegerField(allow_null=True)
    occurrence_date = serializers.DateField()
    date = serializers.DateField()
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M")
    subject = serializers.CharField()
    teacher = serializers.CharField()
    room = serializers.CharField()
    audience = serializers.CharField()
    cancelled = serializers.BooleanField()
    moved_to = serializers.DateField(allow_null=True)
    moved_from = serializers.DateField(allow_null=True)
    room_changed = serializers.BooleanField()
    replaced = serializers.BooleanField()
    exceptional = serializers.BooleanField()
    changed = serializers.BooleanField()
    is_today = serializers.BooleanField()
    note = serializers.CharField()


class WeekOut(serializers.Serializer[object]):
    monday = serializers.DateField()
    week = serializers.CharField(allow_null=True)
    occurrences = OccurrenceOut(many=True)


DATE_PARAM = OpenApiParameter(
    "date", str, description="a day of the week wanted (YYYY-MM-DD); today by default"
)


def parse_day(value: str | None) -> datetime.date:
    if not value:
        from django.utils import timezone

        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(fields={"date": [str(_("Enter a date as YYYY-MM-DD."))]}) from exc


def week_data(week: Week) -> dict[str, Any]:
    return {
        "monday": week.monday,
        "week": None if week.is_week_a is None else ("A" if week.is_week_a else "B"),
        "occurrences": [occ for _day, occs in week.days for occ in occs],
    }


class MyWeekApi(BaseAPIView):
    """The signed-in person's week (``child``: a guardian's child, by user id)."""

    required_roles = EVERYONE

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
        scope = merged_scope(scopes) or Scope(lessons=_none(), exceptional=_none())
        return Response(
            WeekOut(week_data(week_view(scope=scope, day=parse_day(request.query_params.get("date"))))).data
        )


def _none() -> Any:
    from django.db.models import Q

    return Q(pk__in=[])


class ClassWeekApi(BaseAPIView):
    """A class's week (staff; a student their class; a guardian their children's)."""

    required_roles = EVERYONE

    @extend_schema(parameters=[DATE_PARAM], responses=WeekOut)
    def get(self, request: Request, class_id: int) -> Response:
        access = request_access(request)
        school_class = class_for_timetable(user_id=access.user_id or 0, roles=access.roles, class_id=class_id)
        if school_class is None:
            raise NotFound()
        week = week_view(scope=scope_class(school_class), day=parse_day(request.query_params.get("date")))
        return Response(WeekOut(week_data(week)).data)


class RoomWeekApi(BaseAPIView):
    """A room's week (staff)."""

    required_roles = STAFF

    @extend_schema(parameters=[DATE_PARAM], responses=WeekOut)
    def get(self, request: Request, room_id: int) -> Response:
        access = request_access(request)
        room = room_for_timetable(roles=access.roles, room_id=room_id)
        if room is None:
            raise NotFound()
        week = week_view(scope=scope_room(room), day=parse_day(request.query_params.get("date")))
        return Response(WeekOut(week_data(week)).data)


def _obj(model: Any, pk: Any, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(fields={field: [str(_("Unknown."))]})
    return found


class LessonOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    year_id = serializers.IntegerField()
    weekday = serializers.IntegerField()
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")
    week = serializers.CharField()
    subject_id = serializers.IntegerField()
    teacher_id = serializers.IntegerField()
    school_class_id = serializers.IntegerField(allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    room_id = serializers.IntegerField(allow_null=True)


class LessonCreateApi(BaseAPIView):
    required_roles = STRUCTURE_MANAGERS

    class LessonIn(serializers.Serializer[object]):
        year_id = serializers.IntegerField()
        weekday = serializers.IntegerField(min_value=0, max_value=6)
        start_time = serializers.TimeField()
        end_time = serializers.TimeField()
        week = serializers.ChoiceField(choices=["every", "A", "B"], default="every")
        subject_id = serializers.IntegerField()
        teacher_id = serializers.IntegerField()
        school_class_id = serializers.IntegerField(required=False, allow_null=True)
        group_id = serializers.IntegerField(required=False, allow_null=True)
        room_id = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(request=LessonIn, responses={201: LessonOut})
    def post(self, request: Request) -> Response:
        data = self.LessonIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        lesson = services.lesson_create(
            actor_id=acting_user_id(request),
            year=_obj(SchoolYear, v["year_id"], "year_id"),
            weekday=v["weekday"],
            start_time=v["start_time"],
            end_time=v["end_time"],
            week=v["week"],
            subject=_obj(Subject, v["subject_id"], "subject_id"),
            teacher=_obj(Member, v["teacher_id"], "teacher_id"),
            school_class=_obj(SchoolClass, v.get("school_class_id"), "school_class_id"),
            group=_obj(Group, v.get("group_id"), "group_id"),
            room=_obj(Room, v.get("room_id"), "room_id"),
        )
        return Response(LessonOut(lesson).data, status=201)


class LessonChangeApi(BaseAPIView):
    """Change one occurrence of a lesson (cancel, move, room, replacement teacher)."""

    required_roles = TIMETABLE_EDITORS

    class ChangeIn(serializers.Serializer[object]):
        date = serializers.DateField()
        cancelled = serializers.BooleanField(default=False)
        new_date = serializers.DateField(required=False, allow_null=True)
        new_start_time = serializers.TimeField(required=False, allow_null=True)
        new_end_time = serializers.TimeField(required=False, allow_null=True)
        new_room_id = serializers.IntegerField(required=False, allow_null=True)
        replacement_teacher_id = serializers.IntegerField(required=False, allow_null=True)
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)

    class ChangeOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        lesson_id = serializers.IntegerField()
        date = serializers.DateField()
        cancelled = serializers.BooleanField()
        new_date = serializers.DateField(allow_null=True)

    @extend_schema(request=ChangeIn, responses={201: ChangeOut})
    def post(self, request: Request, lesson_id: int) -> Response:
        lesson = Lesson.objects.select_related("year").filter(pk=lesson_id).first()
        if lesson is None:
            raise NotFound()
        data = self.ChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        change = services.lesson_change_set(
            actor_id=acting_user_id(request),
            lesson=lesson,
            date=v["date"],
            cancelled=v["cancelled"],
            new_date=v.get("new_date"),
            new_start_time=v.get("new_start_time"),
            new_end_time=v.get("new_end_time"),
            new_room=_obj(Room, v.get("new_room_id"), "new_room_id"),
            replacement_teacher=_obj(Member, v.get("replacement_teacher_id"), "replacement_teacher_id"),
            note=v["note"],
        )
        return Response(self.ChangeOut(change).data, status=201)


class ExceptionalLessonCreateApi(BaseAPIView):
    required_roles = TIMETABLE_EDITORS

    class ExceptionalIn(serializers.Serializer[object]):
        date = serializers.DateField()
        start_time = serializers.TimeField()
        end_time = serializers.TimeField()
        subject_id = serializers.IntegerField()
        teacher_id = serializers.IntegerField()
        school_class_id = serializers.IntegerField(required=False, allow_null=True)
        group_id = serializers.IntegerField(required=False, allow_null=True)
        room_id = serializers.IntegerField(required=False, allow_null=True)
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)

    class ExceptionalOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        date = serializers.DateField()

    @extend_schema(request=ExceptionalIn, responses={201: ExceptionalOut})
    def post(self, request: Request) -> Response:
        data = self.ExceptionalIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        exc = services.exceptional_lesson_create(
            actor_id=acting_user_id(request),
            date=v["date"],
            start_time=v["start_time"],
            end_time=v["end_time"],
            subject=_obj(Subject, v["subject_id"], "subject_id"),
            teacher=_obj(Member, v["teacher_id"], "teacher_id"),
            school_class=_obj(SchoolClass, v.get("school_class_id"), "school_class_id"),
            group=_obj(Group, v.get("group_id"), "group_id"),
            room=_obj(Room, v.get("room_id"), "room_id"),
            note=v["note"],
        )
        return Response(self.ExceptionalOut(exc).data, status=201)


class HolidayCreateApi(BaseAPIView):
    required_roles = STRUCTURE_MANAGERS

    class HolidayIn(serializers.Serializer[object]):
        name = serializers.CharField(max_length=100)
        start = serializers.DateField()
        end = serializers.DateField()

    class HolidayOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        name = serializers.CharField()
        start = serializers.DateField()
        end = serializers.DateField()

    @extend_schema(request=HolidayIn, responses={201: HolidayOut})
    def post(self, request: Request) -> Response:
        data = self.HolidayIn(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = services.holiday_create(actor_id=acting_user_id(request), **data.validated_data)
        return Response(self.HolidayOut(holiday).data, status=201)


class CalendarTokenApi(BaseAPIView):
    """POST: a new secret feed address (the previous one stops working); DELETE: revoke it."""

    required_roles = EVERYONE

    class FeedOut(serializers.Serializer[object]):
        url = serializers.CharField()

    @extend_schema(request=None, responses={201: FeedOut})
    def post(self, request: Request) -> Response:
        token = services.ical_token_create(user_id=acting_user_id(request))
        return Response({"url": request.build_absolute_uri(f"/calendar/{token}.ics")}, status=201)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        services.ical_token_revoke(user_id=acting_user_id(request))
        return Response(status=204)
