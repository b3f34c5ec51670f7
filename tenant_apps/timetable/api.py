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

from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.tenancy import request_access
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
from tenant_apps.timetable.models import ExceptionalLesson, Holiday, Lesson
from tenant_apps.timetable.selectors import (
    LESSON_RELATED,
    Scope,
    Week,
    class_for_timetable,
    exceptional_lessons_between,
    holidays_list,
    lessons_for_management,
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
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    subject = serializers.CharField(source="subject.name")
    teacher = serializers.CharField(source="teacher.display_name")
    audience = serializers.CharField(source="audience_name")
    room = serializers.CharField(source="room.name", allow_null=True, default=None)


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
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ValidationFailed(fields={name: [str(_("Enter a number."))]})
    return int(value)


def _date_param(request: Request, name: str) -> datetime.date | None:
    value = request.query_params.get(name)
    return parse_day(value) if value else None


def _lesson_or_404(lesson_id: int) -> Lesson:
    lesson = Lesson.objects.select_related(*LESSON_RELATED).filter(pk=lesson_id).first()
    if lesson is None:
        raise NotFound()
    return lesson


class LessonListApi(BaseAPIView):
    """GET: the lessons, filtered by ``year``, ``class``, ``group``, ``teacher`` (member id),
    ``room`` (timetable editors); POST: add a recurring lesson (structure managers)."""

    pagination_class = DefaultPagination

    required_roles = TIMETABLE_EDITORS
    write_roles = STRUCTURE_MANAGERS

    @extend_schema(
        parameters=[OpenApiParameter(name, int) for name in ("year", "class", "group", "teacher", "room")],
        responses=LessonOut(many=True),
    )
    def get(self, request: Request) -> Response:
        lessons = lessons_for_management(
            year=_obj(SchoolYear, _int_param(request, "year"), "year"),
            school_class_id=_int_param(request, "class"),
            group_id=_int_param(request, "group"),
            teacher_id=_int_param(request, "teacher"),
            room_id=_int_param(request, "room"),
        )
        return self.page_response(request, lessons, lambda rows: LessonOut(rows, many=True).data)

    @extend_schema(request=LessonIn, responses={201: LessonOut})
    def post(self, request: Request) -> Response:
        data = LessonIn(data=request.data)
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
            starts_on=v.get("starts_on"),
            ends_on=v.get("ends_on"),
        )
        return Response(LessonOut(_lesson_or_404(lesson.pk)).data, status=201)


class LessonDetailApi(BaseAPIView):
    """GET a lesson; PATCH: edit it (every occurrence; registers taken keep their own date and
    times); DELETE: only a lesson without registers (else 409: end it instead)."""

    required_roles = TIMETABLE_EDITORS
    write_roles = STRUCTURE_MANAGERS

    class LessonPatchIn(LessonIn):
        year_id = None  # type: ignore[assignment]  # a lesson stays in its year

    @extend_schema(responses=LessonOut)
    def get(self, request: Request, lesson_id: int) -> Response:
        return Response(LessonOut(_lesson_or_404(lesson_id)).data)

    @extend_schema(request=LessonPatchIn, responses=LessonOut)
    def patch(self, request: Request, lesson_id: int) -> Response:
        lesson = _lesson_or_404(lesson_id)
        data = self.LessonPatchIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data

        def pick(name: str, model: Any, current: Any) -> Any:
            return _obj(model, v[name], name) if name in v else current

        services.lesson_update(
            actor_id=acting_user_id(request),
            lesson=lesson,
            weekday=v.get("weekday", lesson.weekday),
            start_time=v.get("start_time", lesson.start_time),
            end_time=v.get("end_time", lesson.end_time),
            week=v.get("week", lesson.week),
            subject=pick("subject_id", Subject, lesson.subject),
            teacher=pick("teacher_id", Member, lesson.teacher),
            school_class=pick("school_class_id", SchoolClass, lesson.school_class),
            group=pick("group_id", Group, lesson.group),
            room=pick("room_id", Room, lesson.room),
            starts_on=v.get("starts_on", lesson.starts_on),
            ends_on=v.get("ends_on", lesson.ends_on),
        )
        return Response(LessonOut(_lesson_or_404(lesson_id)).data)

    @extend_schema(responses={204: None, 409: None})
    def delete(self, request: Request, lesson_id: int) -> Response:
        services.lesson_delete(actor_id=acting_user_id(request), lesson=_lesson_or_404(lesson_id))
        return Response(status=204)


class LessonEndApi(BaseAPIView):
    """End a recurring lesson after ``last_day`` (it stays in the past weeks with its registers)."""

    required_roles = STRUCTURE_MANAGERS

    class EndIn(serializers.Serializer[object]):
        last_day = serializers.DateField()

    @extend_schema(request=EndIn, responses=LessonOut)
    def post(self, request: Request, lesson_id: int) -> Response:
        lesson = _lesson_or_404(lesson_id)
        data = self.EndIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.lesson_end(
            actor_id=acting_user_id(request), lesson=lesson, last_day=data.validated_data["last_day"]
        )
        return Response(LessonOut(_lesson_or_404(lesson_id)).data)


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


class LessonChangeDeleteApi(BaseAPIView):
    """Undo the change of one occurrence (``date``: its planned date): the lesson takes place as
    planned, and the people told of the change are told of this."""

    required_roles = TIMETABLE_EDITORS

    @extend_schema(responses={204: None})
    def delete(self, request: Request, lesson_id: int, day: str) -> Response:
        lesson = Lesson.objects.filter(pk=lesson_id).first()
        if lesson is None:
            raise NotFound()
        services.lesson_change_delete(actor_id=acting_user_id(request), lesson=lesson, date=parse_day(day))
        return Response(status=204)


class ExceptionalOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    date = serializers.DateField()
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")
    subject_id = serializers.IntegerField()
    teacher_id = serializers.IntegerField()
    school_class_id = serializers.IntegerField(allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    room_id = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    subject = serializers.CharField(source="subject.name")
    teacher = serializers.CharField(source="teacher.display_name")
    audience = serializers.CharField(source="audience_name")


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


def _exceptional_or_404(exceptional_id: int) -> ExceptionalLesson:
    found = exceptional_lessons_between().filter(pk=exceptional_id).first()
    if found is None:
        raise NotFound()
    return found


class ExceptionalLessonListApi(BaseAPIView):
    """GET: exceptional lessons between ``from`` and ``to`` (dates, both optional); POST: add one."""

    pagination_class = DefaultPagination

    required_roles = TIMETABLE_EDITORS

    @extend_schema(
        parameters=[OpenApiParameter("from", str), OpenApiParameter("to", str)],
        responses=ExceptionalOut(many=True),
    )
    def get(self, request: Request) -> Response:
        found = exceptional_lessons_between(
            start=_date_param(request, "from"), end=_date_param(request, "to")
        )
        return self.page_response(request, found, lambda rows: ExceptionalOut(rows, many=True).data)

    @extend_schema(request=ExceptionalIn, responses={201: ExceptionalOut})
    def post(self, request: Request) -> Response:
        data = ExceptionalIn(data=request.data)
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
        return Response(ExceptionalOut(_exceptional_or_404(exc.pk)).data, status=201)


class ExceptionalLessonDetailApi(BaseAPIView):
    """GET, PATCH or DELETE an exceptional lesson (one whose register was taken: 409)."""

    required_roles = TIMETABLE_EDITORS

    @extend_schema(responses=ExceptionalOut)
    def get(self, request: Request, exceptional_id: int) -> Response:
        return Response(ExceptionalOut(_exceptional_or_404(exceptional_id)).data)

    @extend_schema(request=ExceptionalIn, responses=ExceptionalOut)
    def patch(self, request: Request, exceptional_id: int) -> Response:
        exc = _exceptional_or_404(exceptional_id)
        data = ExceptionalIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data

        def pick(name: str, model: Any, current: Any) -> Any:
            return _obj(model, v[name], name) if name in v else current

        services.exceptional_lesson_update(
            actor_id=acting_user_id(request),
            exceptional=exc,
            date=v.get("date", exc.date),
            start_time=v.get("start_time", exc.start_time),
            end_time=v.get("end_time", exc.end_time),
            subject=pick("subject_id", Subject, exc.subject),
            teacher=pick("teacher_id", Member, exc.teacher),
            school_class=pick("school_class_id", SchoolClass, exc.school_class),
            group=pick("group_id", Group, exc.group),
            room=pick("room_id", Room, exc.room),
            note=v.get("note", exc.note),
        )
        return Response(ExceptionalOut(_exceptional_or_404(exceptional_id)).data)

    @extend_schema(responses={204: None, 409: None})
    def delete(self, request: Request, exceptional_id: int) -> Response:
        services.exceptional_lesson_delete(
            actor_id=acting_user_id(request), exceptional=_exceptional_or_404(exceptional_id)
        )
        return Response(status=204)


class HolidayIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=100)
    start = serializers.DateField()
    end = serializers.DateField()


class HolidayOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


def _holiday_or_404(holiday_id: int) -> Holiday:
    found = Holiday.objects.filter(pk=holiday_id).first()
    if found is None:
        raise NotFound()
    return found


class HolidayListApi(BaseAPIView):
    """GET: the holidays (of ``year`` when given; anyone here); POST: add (structure managers)."""

    pagination_class = DefaultPagination

    required_roles = EVERYONE
    write_roles = STRUCTURE_MANAGERS

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=HolidayOut(many=True))
    def get(self, request: Request) -> Response:
        found = holidays_list(year=_obj(SchoolYear, _int_param(request, "year"), "year"))
        return self.page_response(request, found, lambda rows: HolidayOut(rows, many=True).data)

    @extend_schema(request=HolidayIn, responses={201: HolidayOut})
    def post(self, request: Request) -> Response:
        data = HolidayIn(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = services.holiday_create(actor_id=acting_user_id(request), **data.validated_data)
        return Response(HolidayOut(holiday).data, status=201)


class HolidayDetailApi(BaseAPIView):
    required_roles = EVERYONE
    write_roles = STRUCTURE_MANAGERS

    @extend_schema(responses=HolidayOut)
    def get(self, request: Request, holiday_id: int) -> Response:
        return Response(HolidayOut(_holiday_or_404(holiday_id)).data)

    @extend_schema(request=HolidayIn, responses=HolidayOut)
    def patch(self, request: Request, holiday_id: int) -> Response:
        holiday = _holiday_or_404(holiday_id)
        data = HolidayIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.holiday_update(
            actor_id=acting_user_id(request),
            holiday=holiday,
            name=v.get("name", holiday.name),
            start=v.get("start", holiday.start),
            end=v.get("end", holiday.end),
        )
        return Response(HolidayOut(holiday).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, holiday_id: int) -> Response:
        services.holiday_delete(actor_id=acting_user_id(request), holiday=_holiday_or_404(holiday_id))
        return Response(status=204)


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
