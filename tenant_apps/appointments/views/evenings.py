"""The parent-teacher evenings' pages: create one (organisers), its page (open or close it, add
teachers; a teacher takes part; a guardian picks a child), the booking page of a child (one
choice per teacher, in one go) and the printable schedule per teacher or per room."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.appointments import selectors, services
from tenant_apps.appointments.forms import BookingForm, EveningForm, EveningTeacherForm
from tenant_apps.appointments.models import Evening, EveningStatus, EveningTeacher, Slot
from tenant_apps.appointments.permissions import (
    APPOINTMENT_READERS,
    BOOKERS,
    ORGANISERS,
    SLOT_PUBLISHERS,
)
from tenant_apps.appointments.views.common import evening_or_404, failed, scope
from tenant_apps.school.models import Member


class EveningNewView(RolesRequiredMixin, View):
    required_roles = ORGANISERS

    def page(self, request: HttpRequest, form: EveningForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": _("Organise a parent-teacher evening")}
        return render(request, "appointments/form.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, EveningForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EveningForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        data = dict(form.cleaned_data)
        data["classes"] = list(data["classes"])
        try:
            evening = services.evening_create(actor=actor_of(request), **data)
        except ApplicationError as error:
            return self.page(request, form, failed(form, error))
        messages.success(request, _("The evening was created: add the teachers taking part, then open it."))
        return redirect("appointments-evening", evening_id=evening.pk)


def _staff() -> Any:
    return Member.objects.filter(is_active=True, roles__overlap=list(STAFF_ROLES)).order_by("display_name")


class EveningDetailView(RolesRequiredMixin, View):
    required_roles = APPOINTMENT_READERS

    def page(
        self,
        request: HttpRequest,
        evening: Evening,
        form: EveningTeacherForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        access = request_access(request)
        organiser = bool(access.roles & ORGANISERS)
        me = selectors.me(access.user_id or 0)
        parts = list(EveningTeacher.objects.filter(evening=evening).select_related("teacher", "room"))
        taking_part = me is not None and any(p.teacher_id == me.pk for p in parts)
        may_add = evening.status != EveningStatus.CLOSED and (
            organiser or (bool(access.roles & SLOT_PUBLISHERS) and not taking_part)
        )
        if form is None and may_add:
            form = EveningTeacherForm(teachers=_staff() if organiser else None)
        children = []
        if Role.GUARDIAN in access.roles:
            classes = {c.pk for c in evening.classes.all()}
            children = [
                c
                for c in selectors.children_acting(guardian_user_id=access.user_id or 0)
                if c.school_class_id in classes
            ]
        context = {
            "evening": evening,
            "parts": parts,
            "organiser": organiser,
            "form": form if may_add else None,
            "children": children,
            "statuses": EveningStatus.choices,
        }
        return render(request, "appointments/evening.html", context, status=status)

    def get(self, request: HttpRequest, evening_id: int) -> HttpResponse:
        return self.page(request, evening_or_404(request, evening_id))

    def post(self, request: HttpRequest, evening_id: int) -> HttpResponse:
        """An organiser sets the status or adds a teacher; a teacher adds themself."""
        access = request_access(request)
        if not access.roles & SLOT_PUBLISHERS:
            raise NotFound()
        evening = evening_or_404(request, evening_id)
        organiser = bool(access.roles & ORGANISERS)
        if organiser and "status" in request.POST:
            try:
                services.evening_status_set(
                    actor=actor_of(request), evening=evening, status=request.POST["status"]
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            return redirect("appointments-evening", evening_id=evening.pk)
        form = EveningTeacherForm(request.POST, teachers=_staff() if organiser else None)
        if not form.is_valid():
            return self.page(request, evening, form, 400)
        data = form.cleaned_data
        teacher = data.get("teacher") or selectors.me(access.user_id or 0)
        try:
            services.evening_teacher_add(
                actor=actor_of(request),
                evening=evening,
                teacher=teacher,  # type: ignore[arg-type]
                room=data["room"],
                video_link=data["video_link"] or "",
            )
        except ApplicationError as error:
            return self.page(request, evening, form, failed(form, error))
        messages.success(request, _("The teacher's slots were added to the evening."))
        return redirect("appointments-evening", evening_id=evening.pk)


class EveningBookView(RolesRequiredMixin, View):
    """A child's teachers at the evening, one choice each, booked in one go (overlaps refused)."""

    required_roles = BOOKERS

    def child(self, request: HttpRequest, child_id: int) -> Member:
        access = scope(request)
        found = next(
            (
                c
                for c in selectors.children_acting(guardian_user_id=access["user_id"])
                if c.user_id == child_id
            ),
            None,
        )
        if found is None:
            raise NotFound()
        return found

    def page(
        self,
        request: HttpRequest,
        evening: Evening,
        child: Member,
        data: Any = None,
        error: ApplicationError | None = None,
    ) -> HttpResponse:
        choices = selectors.evening_choices(evening=evening, child=child)
        form = BookingForm(data, choices=choices)
        status = 200
        if error is not None:
            status = failed(form, error)
        elif data is not None:
            form.is_valid()
            status = 400
        context = {"evening": evening, "child": child, "choices": choices, "form": form}
        return render(request, "appointments/book.html", context, status=status)

    def get(self, request: HttpRequest, evening_id: int, child_id: int) -> HttpResponse:
        return self.page(request, evening_or_404(request, evening_id), self.child(request, child_id))

    def post(self, request: HttpRequest, evening_id: int, child_id: int) -> HttpResponse:
        evening = evening_or_404(request, evening_id)
        child = self.child(request, child_id)
        form = BookingForm(request.POST, choices=selectors.evening_choices(evening=evening, child=child))
        if not form.is_valid():
            return self.page(request, evening, child, request.POST)
        chosen = form.chosen()
        slots = {s.pk: s for s in Slot.objects.filter(evening=evening, pk__in=[pk for _name, pk in chosen])}
        try:
            services.bookings_make(
                actor=actor_of(request),
                child=child,
                slots=[(name, slots[pk]) for name, pk in chosen if pk in slots],
            )
        except ApplicationError as error:
            return self.page(request, evening, child, request.POST, error)
        messages.success(request, _("Your appointments are booked."))
        return redirect("appointments-evening-book", evening_id=evening.pk, child_id=child.user_id)


class EveningScheduleView(RolesRequiredMixin, View):
    """The organiser's schedule, per teacher (default) or per room, ready to print."""

    required_roles = ORGANISERS

    def get(self, request: HttpRequest, evening_id: int) -> HttpResponse:
        evening = evening_or_404(request, evening_id)
        by = request.GET.get("by", "teacher")
        if by not in ("teacher", "room"):
            by = "teacher"
        groups = selectors.evening_schedule(evening=evening, by=by)
        context = {"evening": evening, "groups": groups, "by": by}
        return render(request, "appointments/schedule.html", context)
