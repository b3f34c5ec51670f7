"""The API of parent-teacher evenings (``/api/v1/appointments/evenings/…``): list and create,
open or close, add a teacher (their grid of slots), a child's teachers with their slots for a
guardian, the organiser's schedule per teacher or per room."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination, HourMinuteField
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_named, get_or_404
from mbn_platform.kernel.parsing import query_text
from shared_apps.identity.roles import STAFF_ROLES
from tenant_apps.appointments import selectors, services
from tenant_apps.appointments.api.common import SlotOut, scope
from tenant_apps.appointments.models import Evening, EveningStatus, Mode, Slot
from tenant_apps.appointments.permissions import APPOINTMENT_READERS, BOOKERS, ORGANISERS, SLOT_PUBLISHERS
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Room


class EveningOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    start_time = HourMinuteField()
    end_time = HourMinuteField()
    slot_minutes = serializers.IntegerField()
    mode = serializers.CharField()
    status = serializers.CharField()
    cancel_cutoff_hours = serializers.IntegerField()
    class_ids = serializers.SerializerMethodField()

    def get_class_ids(self, evening: object) -> list[int]:
        return [c.pk for c in evening.classes.all()]  # type: ignore[attr-defined]


class EveningIn(serializers.Serializer[object]):
    title = serializers.CharField(max_length=150)
    date = DateInRange()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    slot_minutes = serializers.IntegerField(min_value=5, max_value=60)
    mode = serializers.ChoiceField(choices=Mode.values, default=Mode.IN_PERSON)
    class_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)
    cancel_cutoff_hours = serializers.IntegerField(min_value=0, max_value=336, default=24)


def _evening(request: Request, evening_id: int) -> Evening:
    return get_or_404(selectors.evenings_visible(**scope(request)), pk=evening_id)


class EveningListApi(BaseAPIView):
    """GET: the evenings the person sees; POST: create one (organisers)."""

    pagination_class = DefaultPagination
    required_roles = APPOINTMENT_READERS
    write_roles = ORGANISERS

    @extend_schema(responses=EveningOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.evenings_visible(**scope(request))
        return self.page_response(request, found, lambda rows: EveningOut(rows, many=True).data)

    @extend_schema(request=EveningIn, responses={201: EveningOut})
    def post(self, request: Request) -> Response:
        data = EveningIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        ids = set(v.pop("class_ids"))
        classes = list(SchoolClass.objects.filter(pk__in=ids))
        if len(classes) != len(ids):
            raise ValidationFailed(fields={"class_ids": [_("Unknown class.")]})
        evening = services.evening_create(actor=actor_of(request), classes=classes, **v)
        return Response(EveningOut(evening).data, status=201)


class EveningDetailApi(BaseAPIView):
    required_roles = APPOINTMENT_READERS

    @extend_schema(responses=EveningOut)
    def get(self, request: Request, evening_id: int) -> Response:
        return Response(EveningOut(_evening(request, evening_id)).data)


class EveningStatusApi(BaseAPIView):
    """POST ``{"status"}``: open the evening for booking, close it (organisers)."""

    required_roles = ORGANISERS

    class StatusIn(serializers.Serializer[object]):
        status = serializers.ChoiceField(choices=EveningStatus.values)

    @extend_schema(request=StatusIn, responses=EveningOut)
    def post(self, request: Request, evening_id: int) -> Response:
        evening = _evening(request, evening_id)
        data = self.StatusIn(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.evening_status_set(
            actor=actor_of(request), evening=evening, status=data.validated_data["status"]
        )
        return Response(EveningOut(done).data)


class EveningTeacherApi(BaseAPIView):
    """POST: add a teacher to the evening (an organiser adds anyone, a teacher themself): their
    grid of slots is made in their room or with their video link."""

    required_roles = SLOT_PUBLISHERS

    class TeacherIn(serializers.Serializer[object]):
        teacher_id = serializers.IntegerField(help_text="a user id")
        room_id = serializers.IntegerField(required=False, allow_null=True)
        video_link = serializers.URLField(required=False, default="", allow_blank=True)

    @extend_schema(request=TeacherIn, responses={201: SlotOut(many=True)})
    def post(self, request: Request, evening_id: int) -> Response:
        evening = _evening(request, evening_id)
        data = self.TeacherIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        teacher = Member.objects.filter(
            user_id=v["teacher_id"], is_active=True, roles__overlap=list(STAFF_ROLES)
        ).first()
        if teacher is None:
            raise ValidationFailed(fields={"teacher_id": [_("Unknown member of staff.")]})
        room = get_named(Room, v.get("room_id"), field="room_id")
        services.evening_teacher_add(
            actor=actor_of(request), evening=evening, teacher=teacher, room=room, video_link=v["video_link"]
        )
        slots = Slot.objects.filter(evening=evening, teacher=teacher).select_related("teacher", "room")
        return Response(SlotOut(slots, many=True).data, status=201)


class ChoiceSlotOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    taken = serializers.BooleanField()


class TeacherChoiceOut(serializers.Serializer[object]):
    teacher_id = serializers.IntegerField()
    teacher = serializers.CharField()
    subjects = serializers.ListField(child=serializers.CharField())
    room = serializers.CharField(allow_null=True)
    mode = serializers.CharField()
    video_link = serializers.CharField()
    booking_id = serializers.IntegerField(allow_null=True)
    slots = ChoiceSlotOut(many=True)


def _choices_out(choices: list[selectors.TeacherChoice]) -> list[dict[str, object]]:
    """``TeacherChoiceOut``, built directly: 500 guardians open the same evening at once, and a
    child's teachers have some fifty slots each (a DRF serializer per slot costs more than the
    queries)."""
    rows = []
    for choice in choices:
        first = choice.slots[0] if choice.slots else None
        rows.append(
            {
                "teacher_id": choice.teacher.user_id,
                "teacher": choice.teacher.display_name,
                "subjects": choice.subjects,
                "room": first.room.name if first is not None and first.room is not None else None,
                "mode": first.mode if first is not None else "",
                "video_link": first.video_link if first is not None else "",
                "booking_id": choice.booked.pk if choice.booked is not None else None,
                "slots": [
                    {
                        "id": slot.pk,
                        "starts_at": timezone.localtime(slot.starts_at).isoformat(),
                        "ends_at": timezone.localtime(slot.ends_at).isoformat(),
                        "taken": bool(getattr(slot, "taken", False)),
                    }
                    for slot in choice.slots
                ],
            }
        )
    return rows


class EveningChildApi(BaseAPIView):
    """GET: a child's teachers taking part in the evening, each with their slots (taken or free)
    and the booking already made with them (a guardian, for their own children: others 404)."""

    required_roles = BOOKERS

    @extend_schema(responses=TeacherChoiceOut(many=True))
    def get(self, request: Request, evening_id: int, child_id: int) -> Response:
        evening = _evening(request, evening_id)
        access = scope(request)
        child = next(
            (
                c
                for c in selectors.children_acting(guardian_user_id=access["user_id"])
                if c.user_id == child_id
            ),
            None,
        )
        if child is None:
            raise NotFound()
        return Response(_choices_out(selectors.evening_choices(evening=evening, child=child)))


class ScheduleLineOut(serializers.Serializer[object]):
    slot = SlotOut()
    child = serializers.CharField(source="booking.child.display_name", allow_null=True, default=None)
    school_class = serializers.CharField(
        source="booking.child.school_class.name", allow_null=True, default=None
    )
    guardian = serializers.CharField(source="booking.guardian.display_name", allow_null=True, default=None)


class ScheduleGroupOut(serializers.Serializer[object]):
    name = serializers.CharField()
    lines = ScheduleLineOut(many=True)


class EveningScheduleApi(BaseAPIView):
    """GET ``?by=teacher`` (default) or ``?by=room``: the evening's schedule (organisers)."""

    required_roles = ORGANISERS

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=["teacher", "room"])],
        responses=ScheduleGroupOut(many=True),
    )
    def get(self, request: Request, evening_id: int) -> Response:
        evening = _evening(request, evening_id)
        by = query_text(request.query_params, "by", max_length=10) or "teacher"
        if by not in ("teacher", "room"):
            raise ValidationFailed(fields={"by": [_("Either teacher or room.")]})
        groups = selectors.evening_schedule(evening=evening, by=by)
        rows = [{"name": name, "lines": lines} for name, lines in groups]
        return Response(ScheduleGroupOut(rows, many=True).data)
