"""The management of the holidays (no recurring lesson takes place; a week all of holidays does
not count in the A/B alternation)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable import services
from tenant_apps.timetable.forms import HolidayForm
from tenant_apps.timetable.permissions import LESSON_MANAGERS
from tenant_apps.timetable.selectors import holidays_list, region_days_of_year
from tenant_apps.timetable.views.common import service_error


class HolidayListView(RolesRequiredMixin, View):
    """The holidays of the school year, and a form to add some."""

    required_roles = LESSON_MANAGERS
    template_name = "timetable/holidays.html"

    def page(self, request: HttpRequest, form: HolidayForm | None = None, status: int = 200) -> HttpResponse:
        year = current_school_year()
        context = {
            "year": year,
            "holidays": list(holidays_list(year=year)),
            "region_days": region_days_of_year(year=year),
            "form": form or HolidayForm(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = HolidayForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            services.holiday_create(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, status=service_error(form, error))
        messages.success(request, _("The holidays were added."))
        return redirect("timetable-holidays")


class HolidayEditView(RolesRequiredMixin, View):
    required_roles = LESSON_MANAGERS
    template_name = "timetable/holiday_form.html"

    def get(self, request: HttpRequest, holiday_id: int) -> HttpResponse:
        holiday = get_or_404(holidays_list(), pk=holiday_id)
        form = HolidayForm(initial={"name": holiday.name, "start": holiday.start, "end": holiday.end})
        return render(request, self.template_name, {"holiday": holiday, "form": form})

    def post(self, request: HttpRequest, holiday_id: int) -> HttpResponse:
        holiday = get_or_404(holidays_list(), pk=holiday_id)
        if request.POST.get("action") == "delete":
            services.holiday_delete(actor=actor_of(request), holiday=holiday)
            messages.success(request, _("The holidays were deleted."))
            return redirect("timetable-holidays")
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                services.holiday_update(actor=actor_of(request), holiday=holiday, **form.cleaned_data)
            except ApplicationError as error:
                status = service_error(form, error)
                return render(request, self.template_name, {"holiday": holiday, "form": form}, status=status)
            messages.success(request, _("The holidays were saved."))
            return redirect("timetable-holidays")
        return render(request, self.template_name, {"holiday": holiday, "form": form}, status=400)
