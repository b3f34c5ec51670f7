"""Recurring lessons (list, add, edit, end, delete) and the one-off changes of their occurrences."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination, HourMinuteField, patch_values
from mbn_platform.kernel.lookups import get_named, get_or_404, named
from mbn_platform.kernel.parsing import parse_iso_date, query_int
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.timetable import services
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.permissions import LESSON_MANAGERS, TIMETABLE_EDITORS
from tenant_apps.timetable.selectors import lesson_participant_ids, lessons_for_management, lessons_managed


class LessonOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    year_id = serializers.IntegerField()
    weekday = serializers.IntegerField()
    start_time = HourMinuteField()
    end_time = HourMinuteField()
    week = serializers.CharField(source="week_text", help_text="every, A, B or weeks such as 1-7,10-16")
    weeks_label = serializers.CharField(source="week_label")
    subject_id = serializers.IntegerField()
    teacher_id = serializers.IntegerField()
    school_class_id = serializers.IntegerField(allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    room_id = serializers.IntegerField(allow_null=True)
    starts_on = DateInRange(allow_null=True)
    ends_on = DateInRange(allow_null=True)
    co_teacher_ids = serializers.SerializerMethodField()
    more_class_ids = serializers.SerializerMethodField()
    more_group_ids = serializers.SerializerMethodField()
    subject = serializers.CharField(source="subject.name")
    teacher = serializers.CharField(source="teacher.display_name")
    audience = serializers.CharField(source="audience_name")
    room = serializers.CharField(source="room.name", allow_null=True, default=None)

    def get_co_teacher_ids(self, lesson: Lesson) -> list[int]:
        return lesson_participant_ids(lesson)["co_teachers"]

    def get_more_class_ids(self, lesson: Lesson) -> list[int]:
        return lesson_participant_ids(lesson)["more_classes"]

    def get_more_group_ids(self, lesson: Lesson) -> list[int]:
        return lesson_participant_ids(lesson)["more_groups"]


class LessonIn(serializers.Serializer[object]):
    year_id = serializers.IntegerField()
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    week = serializers.CharField(
        max_length=400, default="every", help_text="every, A, B or weeks of the year such as 1-7,10-16"
    )
    subject_id = serializers.IntegerField()
    teacher_id = serializers.IntegerField()
    school_class_id = serializers.IntegerField(required=False, allow_null=True)
    group_id = serializers.IntegerField(required=False, allow_null=True)
    room_id = serializers.IntegerField(required=False, allow_null=True)
    starts_on = DateInRange(required=False, allow_null=True)
    ends_on = DateInRange(required=False, allow_null=True)
    co_teacher_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    more_class_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    more_group_ids = serializers.ListField(child=serializers.IntegerField(), required=False)


def participants_in(values: dict[str, Any]) -> dict[str, Any]:
    """The co-teachers and more classes and groups sent (each id must exist here: else 400
    naming the field); only those sent."""
    found: dict[str, Any] = {}
    for field, key, model in (
        ("co_teacher_ids", "co_teachers", Member),
        ("more_class_ids", "more_classes", SchoolClass),
        ("more_group_ids", "more_groups", Group),
    ):
        if field in values:
            found[key] = tuple(get_named(model, pk, field=field) for pk in values[field])
    return found


#: What each id of a lesson's input names (exceptional lessons name the same).
LESSON_PARTS = {
    "subject_id": named(Subject),
    "teacher_id": named(Member),
    "school_class_id": named(SchoolClass),
    "group_id": named(Group),
    "room_id": named(Room),
}
#: The plain values of a lesson's input.
LESSON_VALUES = ["weekday", "start_time", "end_time", "week", "starts_on", "ends_on"]


class LessonListApi(BaseAPIView):
    """GET: the lessons, filtered by ``year``, ``class``, ``group``, ``teacher`` (member id),
    ``room`` (timetable editors); POST: add a recurring lesson (structure managers)."""

    pagination_class = DefaultPagination

    required_roles = TIMETABLE_EDITORS
    write_roles = LESSON_MANAGERS

    @extend_schema(
        parameters=[OpenApiParameter(name, int) for name in ("year", "class", "group", "teacher", "room")],
        responses=LessonOut(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        lessons = lessons_for_management(
            year=get_named(SchoolYear, query_int(params, "year"), field="year"),
            school_class_id=query_int(params, "class"),
            group_id=query_int(params, "group"),
            teacher_id=query_int(params, "teacher"),
            room_id=query_int(params, "room"),
        )
        return self.page_response(request, lessons, lambda rows: LessonOut(rows, many=True).data)

    @extend_schema(request=LessonIn, responses={201: LessonOut})
    def post(self, request: Request) -> Response:
        data = LessonIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        year = get_named(SchoolYear, int(v["year_id"]), field="year_id")
        parts = {name.removesuffix("_id"): fetch(name, v.get(name)) for name, fetch in LESSON_PARTS.items()}
        lesson = services.lesson_create(
            actor=actor_of(request),
            year=year,
            **{name: v.get(name) for name in LESSON_VALUES},
            **parts,
            **participants_in(v),
        )
        return Response(LessonOut(get_or_404(lessons_managed(), pk=lesson.pk)).data, status=201)


class LessonDetailApi(BaseAPIView):
    """GET a lesson; PATCH: edit it (every occurrence; registers taken keep their own date and
    times); DELETE: only a lesson without registers (else 409: end it instead)."""

    required_roles = TIMETABLE_EDITORS
    write_roles = LESSON_MANAGERS

    class LessonPatchIn(LessonIn):
        year_id = None  # type: ignore[assignment]  # a lesson stays in its year

    @extend_schema(responses=LessonOut)
    def get(self, request: Request, lesson_id: int) -> Response:
        return Response(LessonOut(get_or_404(lessons_managed(), pk=lesson_id)).data)

    @extend_schema(request=LessonPatchIn, responses=LessonOut)
    def patch(self, request: Request, lesson_id: int) -> Response:
        lesson = get_or_404(lessons_managed(), pk=lesson_id)
        data = self.LessonPatchIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = patch_values(lesson, data.validated_data, LESSON_VALUES, related=LESSON_PARTS)
        values["week"] = data.validated_data.get("week", lesson.week_text)
        services.lesson_update(
            actor=actor_of(request), lesson=lesson, **values, **participants_in(data.validated_data)
        )
        return Response(LessonOut(get_or_404(lessons_managed(), pk=lesson_id)).data)

    @extend_schema(responses={204: None, 409: None})
    def delete(self, request: Request, lesson_id: int) -> Response:
        services.lesson_delete(actor=actor_of(request), lesson=get_or_404(lessons_managed(), pk=lesson_id))
        return Response(status=204)


class LessonEndApi(BaseAPIView):
    """End a recurring lesson after ``last_day`` (it stays in the past weeks with its registers)."""

    required_roles = LESSON_MANAGERS

    class EndIn(serializers.Serializer[object]):
        last_day = DateInRange()

    @extend_schema(request=EndIn, responses=LessonOut)
    def post(self, request: Request, lesson_id: int) -> Response:
        lesson = get_or_404(lessons_managed(), pk=lesson_id)
        data = self.EndIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.lesson_end(actor=actor_of(request), lesson=lesson, last_day=data.validated_data["last_day"])
        return Response(LessonOut(get_or_404(lessons_managed(), pk=lesson_id)).data)


class LessonChangeApi(BaseAPIView):
    """Change one occurrence of a lesson (cancel, move, room, replacement teacher)."""

    required_roles = TIMETABLE_EDITORS

    class ChangeIn(serializers.Serializer[object]):
        date = DateInRange()
        cancelled = serializers.BooleanField(default=False)
        new_date = DateInRange(required=False, allow_null=True)
        new_start_time = serializers.TimeField(required=False, allow_null=True)
        new_end_time = serializers.TimeField(required=False, allow_null=True)
        new_room_id = serializers.IntegerField(required=False, allow_null=True)
        replacement_teacher_id = serializers.IntegerField(required=False, allow_null=True)
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)

    class ChangeOut(serializers.Serializer[object]):
        id = serializers.IntegerField()
        lesson_id = serializers.IntegerField()
        date = DateInRange()
        cancelled = serializers.BooleanField()
        new_date = DateInRange(allow_null=True)

    @extend_schema(request=ChangeIn, responses={201: ChangeOut})
    def post(self, request: Request, lesson_id: int) -> Response:
        lesson = get_or_404(lessons_managed(), pk=lesson_id)
        data = self.ChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        change = services.lesson_change_set(
            actor=actor_of(request),
            lesson=lesson,
            date=v["date"],
            cancelled=v["cancelled"],
            new_date=v.get("new_date"),
            new_start_time=v.get("new_start_time"),
            new_end_time=v.get("new_end_time"),
            new_room=get_named(Room, v.get("new_room_id"), field="new_room_id"),
            replacement_teacher=get_named(
                Member, v.get("replacement_teacher_id"), field="replacement_teacher_id"
            ),
            note=v["note"],
        )
        return Response(self.ChangeOut(change).data, status=201)


class LessonChangeDeleteApi(BaseAPIView):
    """Undo the change of one occurrence (``date``: its planned date): the lesson takes place as
    planned, and the people told of the change are told of this."""

    required_roles = TIMETABLE_EDITORS

    @extend_schema(responses={204: None})
    def delete(self, request: Request, lesson_id: int, day: str) -> Response:
        lesson = get_or_404(lessons_managed(), pk=lesson_id)
        services.lesson_change_delete(
            actor=actor_of(request), lesson=lesson, date=parse_iso_date(day, field="date")
        )
        return Response(status=204)
