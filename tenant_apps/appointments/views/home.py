"""The appointments' home page (each person's share: a guardian's evenings, bookings and their
children's teachers' one-off slots; a teacher's slots and who booked them; the organisers'
evenings), and the small actions on it: publish a slot, book a one-off slot, cancel, the
calendar invitation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import parse_int
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.roles import Role
from tenant_apps.appointments import selectors, services
from tenant_apps.appointments.forms import SlotForm
from tenant_apps.appointments.ical import invitation_response
from tenant_apps.appointments.models import BookingStatus, EveningStatus
from tenant_apps.appointments.permissions import (
    APPOINTMENT_READERS,
    BOOKERS,
    ORGANISERS,
    SLOT_PUBLISHERS,
)
from tenant_apps.appointments.views.common import failed, scope


def _family(user_id: int) -> list[dict[str, Any]]:
    """Each child the guardian acts for, with the one-off free slots of their teachers."""
    children = selectors.children_acting(guardian_user_id=user_id)
    found = []
    for child in children:
        teachers = selectors.teachers_of(child)
        found.append(
            {"child": child, "slots": list(selectors.one_off_slots_free(teacher_ids=list(teachers))[:20])}
        )
    return found


class AppointmentsHomeView(RolesRequiredMixin, View):
    held_page = True  # kernel/held_pages.py
    required_roles = APPOINTMENT_READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        access = scope(request)
        roles = access["roles"]
        # A guardian's children here, read once for both lists.
        seen = selectors.children_seen(guardian_user_id=access["user_id"]) if Role.GUARDIAN in roles else None
        evenings = selectors.evenings_visible(**access, seen=seen)
        bookings = (
            selectors.bookings_visible(**access, seen=seen)
            .filter(status=BookingStatus.BOOKED, slot__ends_at__gte=timezone.now())
            .order_by("slot__starts_at")
        )
        context = {
            "is_organiser": bool(roles & ORGANISERS),
            "is_publisher": bool(roles & SLOT_PUBLISHERS),
            "is_guardian": Role.GUARDIAN in roles,
            "evenings": [e for e in evenings if e.status != EveningStatus.CLOSED or roles & ORGANISERS],
            "bookings": bookings,
            "family": _family(access["user_id"]) if Role.GUARDIAN in roles else [],
            "my_slots": (
                list(selectors.slots_of_teacher(user_id=access["user_id"]).filter(evening__isnull=True))
                if roles & SLOT_PUBLISHERS
                else []
            ),
        }
        return render(request, "appointments/home.html", context)


class SlotNewView(RolesRequiredMixin, View):
    required_roles = SLOT_PUBLISHERS

    def page(self, request: HttpRequest, form: SlotForm, status: int = 200) -> HttpResponse:
        return render(
            request, "appointments/form.html", {"form": form, "title": _("Publish a slot")}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, SlotForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SlotForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        try:
            services.slot_publish(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, failed(form, error))
        messages.success(request, _("The slot was published."))
        return redirect("appointments-home")


class SlotBookView(RolesRequiredMixin, View):
    """POST ``child``: book a one-off slot for a child."""

    required_roles = BOOKERS

    def post(self, request: HttpRequest, slot_id: int) -> HttpResponse:
        access = scope(request)
        slot = get_or_404(selectors.slots_open(), pk=slot_id)
        child_id = parse_int(request.POST.get("child"), field="child")
        child = next(
            (c for c in selectors.children_acting(guardian_user_id=access["user_id"]) if c.pk == child_id),
            None,
        )
        if child is None:
            raise NotFound()
        try:
            services.booking_create(actor=actor_of(request), child=child, slot=slot)
        except ApplicationError as error:
            if error.status == 403:
                raise
            messages.error(request, error.message)
            return redirect("appointments-home")
        messages.success(request, _("The appointment is booked."))
        return redirect("appointments-home")


class BookingCancelView(RolesRequiredMixin, View):
    required_roles = BOOKERS | SLOT_PUBLISHERS

    def post(self, request: HttpRequest, booking_id: int) -> HttpResponse:
        booking = get_or_404(selectors.bookings_visible(**scope(request)), pk=booking_id)
        try:
            services.booking_cancel(actor=actor_of(request), booking=booking)
        except ApplicationError as error:
            if error.status == 403:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("The appointment is cancelled."))
        back = request.POST.get("back", "")
        if back.isdigit():
            return redirect("appointments-evening", evening_id=int(back))
        return redirect("appointments-home")


class BookingInvitationView(RolesRequiredMixin, View):
    required_roles = APPOINTMENT_READERS

    def get(self, request: HttpRequest, booking_id: int) -> HttpResponse:
        booking = get_or_404(selectors.bookings_visible(**scope(request)), pk=booking_id)
        return invitation_response(request, booking)
