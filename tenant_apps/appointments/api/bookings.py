"""The API of slots and bookings (``/api/v1/appointments/…``): a member of staff's one-off slots
(publish, withdraw), bookings (a guardian books for a child, cancels; everyone lists what they
may see), a booking's calendar invitation."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_named, get_or_404
from tenant_apps.appointments import selectors, services
from tenant_apps.appointments.api.common import BookingOut, SlotOut, scope
from tenant_apps.appointments.ical import invitation_response
from tenant_apps.appointments.models import Mode, Slot
from tenant_apps.appointments.permissions import APPOINTMENT_READERS, BOOKERS, ORGANISERS, SLOT_PUBLISHERS
from tenant_apps.structure.models import Room


class SlotIn(serializers.Serializer[object]):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=Mode.values, default=Mode.IN_PERSON)
    room_id = serializers.IntegerField(required=False, allow_null=True)
    video_link = serializers.URLField(required=False, default="", allow_blank=True)
    cancel_cutoff_hours = serializers.IntegerField(min_value=0, max_value=336, default=24)


class SlotListApi(BaseAPIView):
    """GET: the person's own slots (from today), with whether each is taken; POST: publish a
    one-off slot (members of staff)."""

    pagination_class = DefaultPagination
    required_roles = SLOT_PUBLISHERS

    @extend_schema(responses=SlotOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.slots_of_teacher(user_id=scope(request)["user_id"])
        return self.page_response(request, found, lambda rows: SlotOut(rows, many=True).data)

    @extend_schema(request=SlotIn, responses={201: SlotOut})
    def post(self, request: Request) -> Response:
        data = SlotIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["room"] = get_named(Room, v.pop("room_id", None), field="room_id")
        slot = services.slot_publish(actor=actor_of(request), **v)
        return Response(SlotOut(slot).data, status=201)


class SlotDetailApi(BaseAPIView):
    """DELETE: withdraw one's own slot that nobody holds (an organiser: anyone's)."""

    required_roles = SLOT_PUBLISHERS

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slot_id: int) -> Response:
        access = scope(request)
        slots = Slot.objects.all()
        if not access["roles"] & ORGANISERS:
            slots = slots.filter(teacher__user_id=access["user_id"])
        services.slot_withdraw(actor=actor_of(request), slot=get_or_404(slots, pk=slot_id))
        return Response(status=204)


class BookingIn(serializers.Serializer[object]):
    slot_id = serializers.IntegerField(min_value=1)
    child_id = serializers.IntegerField(help_text="the child's user id")


class BookingListApi(BaseAPIView):
    """GET: the bookings the person sees (a guardian their children's, a teacher those of their
    slots, organisers all); POST: book a slot for a child (guardians). Two guardians clicking the
    same slot at once: one gets 201, the other 409 ``slot_taken``."""

    pagination_class = DefaultPagination
    required_roles = APPOINTMENT_READERS
    write_roles = BOOKERS

    @extend_schema(responses=BookingOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.bookings_visible(**scope(request)).order_by("-slot__starts_at", "-pk")
        return self.page_response(request, found, lambda rows: BookingOut(rows, many=True).data)

    @extend_schema(request=BookingIn, responses={201: BookingOut})
    def post(self, request: Request) -> Response:
        data = BookingIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        access = scope(request)
        child = next(
            (
                c
                for c in selectors.children_acting(guardian_user_id=access["user_id"])
                if c.user_id == v["child_id"]
            ),
            None,
        )
        if child is None:
            raise ValidationFailed(fields={"child_id": [_("Choose one of your children.")]})
        slot = get_named(selectors.slots_open(), v["slot_id"], field="slot_id")
        booking = services.booking_create(actor=actor_of(request), child=child, slot=slot)
        booking = selectors.bookings_visible(**access).get(pk=booking.pk)
        return Response(BookingOut(booking).data, status=201)


class BookingDetailApi(BaseAPIView):
    required_roles = APPOINTMENT_READERS

    @extend_schema(responses=BookingOut)
    def get(self, request: Request, booking_id: int) -> Response:
        return Response(
            BookingOut(get_or_404(selectors.bookings_visible(**scope(request)), pk=booking_id)).data
        )


class BookingCancelApi(BaseAPIView):
    """POST: cancel (a guardian up to the slot's cut-off: 409 ``cancel_too_late`` after; the
    slot's teacher or an organiser until it starts)."""

    required_roles = BOOKERS | SLOT_PUBLISHERS

    @extend_schema(request=None, responses=BookingOut)
    def post(self, request: Request, booking_id: int) -> Response:
        booking = get_or_404(selectors.bookings_visible(**scope(request)), pk=booking_id)
        services.booking_cancel(actor=actor_of(request), booking=booking)
        return Response(BookingOut(selectors.bookings_visible(**scope(request)).get(pk=booking_id)).data)


class BookingInvitationApi(BaseAPIView):
    """GET: the booking as an iCalendar invitation (``text/calendar``)."""

    required_roles = APPOINTMENT_READERS

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request: Request, booking_id: int) -> HttpResponse:
        booking = get_or_404(selectors.bookings_visible(**scope(request)), pk=booking_id)
        return invitation_response(request, booking)
