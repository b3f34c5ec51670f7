"""School life's daily desk: absences recorded without a register (whole or several days), EPS
exemptions with their certificate, infirmary visits, and the monthly list of students over the
legal threshold of unjustified half-days (a page and a CSV for the head's report)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.parsing import query_text
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.attendance import desk_selectors, services
from tenant_apps.attendance.desk_forms import AbsencePeriodForm, InfirmaryVisitForm, SportExemptionForm
from tenant_apps.attendance.permissions import ATTENDANCE_STAFF, EXEMPTION_READERS
from tenant_apps.attendance.threshold import LEGAL_THRESHOLD, threshold_csv, threshold_list

CERTIFICATE_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def _failed(form: Any, error: ApplicationError) -> int:
    form.add_application_error(error)
    return error.status if error.status != 404 else 400


class AbsencePeriodsView(RolesRequiredMixin, View):
    """``/attendance/absences/``: record a whole-day or multi-day absence; the recent ones."""

    required_roles = ATTENDANCE_STAFF

    def page(
        self, request: HttpRequest, form: AbsencePeriodForm | None = None, status: int = 200
    ) -> HttpResponse:
        since = timezone.localdate() - datetime.timedelta(days=31)
        context = {
            "form": form or AbsencePeriodForm(),
            "periods": list(desk_selectors.absence_periods(since=since)[:100]),
        }
        return render(request, "attendance/absences.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("delete"):
            period = get_or_404(desk_selectors.absence_periods(), pk=request.POST["delete"])
            services.absence_period_delete(actor=actor_of(request), period=period)
            messages.success(request, _("The absence was removed."))
            return redirect("attendance-absences")
        form = AbsencePeriodForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        try:
            services.absence_period_record(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, _failed(form, error))
        messages.success(request, _("The absence was recorded."))
        return redirect("attendance-absences")


class SportExemptionsView(RolesRequiredMixin, View):
    """``/attendance/exemptions/``: the EPS exemptions in force (teachers: their students');
    school-life staff record them."""

    required_roles = EXEMPTION_READERS

    def page(
        self, request: HttpRequest, form: SportExemptionForm | None = None, status: int = 200
    ) -> HttpResponse:
        access = request_access(request)
        staff = bool(access.roles & ATTENDANCE_STAFF)
        exemptions = desk_selectors.sport_exemptions_visible(
            user_id=access.user_id or 0,
            roles=access.roles,
            current_on=None if staff else timezone.localdate(),
        )
        context = {
            "form": (form or SportExemptionForm()) if staff else None,
            "exemptions": list(exemptions[:200]),
            "staff": staff,
        }
        return render(request, "attendance/exemptions.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request_access(request).roles & ATTENDANCE_STAFF:
            raise PermissionDenied()
        form = SportExemptionForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form, 400)
        try:
            services.sport_exemption_record(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, _failed(form, error))
        messages.success(request, _("The exemption was recorded."))
        return redirect("attendance-exemptions")


class ExemptionCertificateView(RolesRequiredMixin, View):
    """The certificate of an exemption, as a download (school-life staff only)."""

    required_roles = ATTENDANCE_STAFF

    def get(self, request: HttpRequest, exemption_id: int) -> FileResponse:
        access = request_access(request)
        exemption = get_or_404(
            desk_selectors.sport_exemptions_visible(user_id=access.user_id or 0, roles=access.roles),
            pk=exemption_id,
        )
        if not exemption.certificate:
            raise NotFound()
        ext = (exemption.certificate.name or "").rsplit(".", 1)[-1].lower()
        try:
            stored = exemption.certificate.open("rb")
        except (OSError, SuspiciousFileOperation) as exc:
            raise NotFound() from exc
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=f"certificate-{exemption.pk}.{ext}",
            content_type=CERTIFICATE_TYPES.get(ext, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class InfirmaryView(RolesRequiredMixin, View):
    """``/attendance/infirmary/``: record a visit; today's visits and the recent ones."""

    required_roles = ATTENDANCE_STAFF

    def page(
        self, request: HttpRequest, form: InfirmaryVisitForm | None = None, status: int = 200
    ) -> HttpResponse:
        now = timezone.localtime().replace(second=0, microsecond=0)
        context = {
            "form": form or InfirmaryVisitForm(initial={"arrived_at": now}),
            "visits": list(desk_selectors.infirmary_visits()[:100]),
        }
        return render(request, "attendance/infirmary.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InfirmaryVisitForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        try:
            services.infirmary_visit_record(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, _failed(form, error))
        messages.success(request, _("The visit was recorded."))
        return redirect("attendance-infirmary")


def month_param(request: HttpRequest) -> datetime.date:
    """``?month=YYYY-MM`` (by default the current month); 400 when malformed."""
    text = query_text(request.GET, "month")
    if not text:
        return timezone.localdate().replace(day=1)
    try:
        return datetime.date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise ValidationFailed(fields={"month": [_("Give a month as YYYY-MM.")]}) from exc


class ThresholdView(RolesRequiredMixin, View):
    """``/attendance/threshold/?month=``: the students with four unjustified half-days or more in
    the month (the legal threshold), for the head's report to the academic authorities."""

    required_roles = ATTENDANCE_STAFF

    def get(self, request: HttpRequest) -> HttpResponse:
        month = month_param(request)
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        context = {
            "month": month,
            "previous": previous,
            "following": following,
            "rows": threshold_list(month=month),
            "threshold": LEGAL_THRESHOLD,
        }
        return render(request, "attendance/threshold.html", context)


class ThresholdCsvView(RolesRequiredMixin, View):
    required_roles = ATTENDANCE_STAFF

    def get(self, request: HttpRequest) -> HttpResponse:
        month = month_param(request)
        body = threshold_csv(threshold_list(month=month), month=month)
        response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="absenteisme-{month:%Y-%m}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
