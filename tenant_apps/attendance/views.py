"""Attendance pages: the register (one page, one submit), registers not taken, the review of
notices and of justifications (school-life staff), a guardian's declarations and justifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound, ValidationFailed
from mbn_platform.kernel.parsing import path_date
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.attendance import selectors, services, statistics
from tenant_apps.attendance.forms import KIND_DECLARE, FamilyAbsenceForm
from tenant_apps.attendance.models import Justification, JustificationStatus, MarkStatus
from tenant_apps.attendance.permissions import (
    ATTACHMENT_READERS,
    ATTENDANCE_STAFF,
    GUARDIANS,
    REGISTER_TAKERS,
)
from tenant_apps.timetable.selectors import children_here

ATTACHMENT_CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


class RegisterView(RolesRequiredMixin, TemplateView):
    """GET: the class list, everyone present by default; POST: the whole register at once."""

    held_page = True  # kernel/held_pages.py

    template_name = "attendance/register.html"
    required_roles = REGISTER_TAKERS

    def _occurrence(self) -> Any:
        access = request_access(self.request)
        if "exceptional_id" in self.kwargs:
            occ = selectors.exceptional_occurrence_for_register(
                user_id=access.user_id or 0, roles=access.roles, exceptional_id=self.kwargs["exceptional_id"]
            )
        else:
            occ = selectors.occurrence_for_register(
                user_id=access.user_id or 0,
                roles=access.roles,
                lesson_id=self.kwargs["lesson_id"],
                day=path_date(self.kwargs["day"]),
            )
        if occ is None:
            raise NotFound()
        return occ

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sheet"] = selectors.register_sheet(occurrence=self._occurrence())
        context["statuses"] = MarkStatus.choices
        return context

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        occ = self._occurrence()
        marks: dict[int, services.MarkIn] = {}
        for key in request.POST:
            value = request.POST.get(key, "")
            if not key.startswith("status-"):
                continue
            try:
                pk = int(key.removeprefix("status-"))
                minutes = int(request.POST.get(f"late-{pk}") or 0)
            except ValueError as exc:
                raise ValidationFailed(fields={"late_minutes": [_("Enter a number of minutes.")]}) from exc
            marks[pk] = services.MarkIn(status=value, late_minutes=minutes)
        services.register_save(actor=actor_of(request), occurrence=occ, marks=marks)
        messages.success(request, _("Register saved."))
        return redirect(request.path)


class RegistersNotTakenView(RolesRequiredMixin, TemplateView):
    template_name = "attendance/not_taken.html"
    required_roles = ATTENDANCE_STAFF

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # A bad date names no day of registers: 404, as a bad date in a page's address.
        day = path_date(self.request.GET["date"]) if self.request.GET.get("date") else timezone.localdate()
        until = selectors.now_local_time() if day == timezone.localdate() else None
        context["day"] = day
        context["missing"] = selectors.registers_not_taken(day=day, until=until)
        context["held"] = list(selectors.held_notices()[:200])
        context["pending"] = list(
            selectors.justifications_visible(user_id=0, roles=ATTENDANCE_STAFF).filter(
                status=JustificationStatus.PENDING
            )[:200]
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action", "")
        if action in ("release", "dismiss"):
            ids = [int(v) for v in request.POST.getlist("mark") if v.isdigit()]
            services.absence_notices_review(actor=actor_of(request), mark_ids=ids, send=action == "release")
        elif action in ("accept", "refuse"):
            justification = Justification.objects.filter(pk=request.POST.get("justification") or 0).first()
            if justification is None:
                raise NotFound()
            services.justification_decide(
                actor=actor_of(request),
                justification=justification,
                accept=action == "accept",
                comment=request.POST.get("comment", "")[:300],
            )
        messages.success(request, _("Saved."))
        return redirect(request.path)


class FamilyAttendanceView(RolesRequiredMixin, TemplateView):
    """A guardian's page: each child's absences and counts of the current period; declare an
    absence ahead; justify one. A form sent back with an error is shown again, filled in, with
    the error next to its field."""

    template_name = "attendance/family.html"
    required_roles = GUARDIANS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access = request_access(self.request)
        children = children_here(guardian_user_id=access.user_id or 0)
        span = statistics.span_for(choices=statistics.periods(), period_id=None)
        counts = statistics.student_counts(students=children, span=span)
        sent_back: FamilyAbsenceForm | None = kwargs.get("sent_back")
        context["span"] = span
        for child in children:  # each child's form: the one sent back with its errors, if any
            child.absence_form = (  # type: ignore[attr-defined]
                sent_back
                if sent_back is not None and sent_back.child_pk == child.pk
                else FamilyAbsenceForm(child_pk=child.pk)
            )
        context["children"] = [
            (c, list(selectors.student_absences(student=c)[:50]), counts[c.pk]) for c in children
        ]
        context["justifications"] = list(
            selectors.justifications_visible(user_id=access.user_id or 0, roles=access.roles)[:50]
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        access = request_access(request)
        child_id = request.POST.get("child", "")
        child = next(
            (c for c in children_here(guardian_user_id=access.user_id or 0) if str(c.user_id) == child_id),
            None,
        )
        if child is None:
            raise NotFound()
        form = FamilyAbsenceForm(request.POST, request.FILES, child_pk=child.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["kind"] == KIND_DECLARE:
                    services.absence_declare(
                        actor=actor_of(request),
                        student=child,
                        start=data["start"],
                        end=data["end"],
                        reason=data["reason"],
                        comment=data["comment"],
                    )
                else:
                    services.justification_submit(
                        actor=actor_of(request),
                        student=child,
                        start=data["start"],
                        end=data["end"],
                        reason=data["reason"],
                        comment=data["comment"],
                        attachment=data["attachment"],
                    )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Sent to the school."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(sent_back=form), status=400)


class JustificationAttachmentView(RolesRequiredMixin, View):
    """The attachment of a justification, as a download: school-life staff, or a guardian of the
    child (anyone else, another school's id, a missing file: 404). Read from the storage, which
    holds it under this establishment's prefix."""

    required_roles = ATTACHMENT_READERS

    def get(self, request: HttpRequest, justification_id: int) -> FileResponse:
        access = request_access(request)
        justification = (
            selectors.justifications_visible(
                user_id=access.user_id or 0, roles=access.roles & ATTACHMENT_READERS
            )
            .filter(pk=justification_id)
            .first()
        )
        if justification is None or not justification.attachment:
            raise NotFound()
        name = justification.attachment.name or ""
        ext = name.rsplit(".", 1)[-1].lower()
        try:
            stored = justification.attachment.open("rb")
        except (OSError, SuspiciousFileOperation) as exc:
            raise NotFound() from exc
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=f"justification-{justification.pk}.{ext}",
            content_type=ATTACHMENT_CONTENT_TYPES.get(ext, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
