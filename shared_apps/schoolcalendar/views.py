"""The region calendar's pages, on the portal (region operators): the zones' holidays and the
bank holidays, and which zone an establishment follows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.schoolcalendar import services
from shared_apps.schoolcalendar.forms import EstablishmentZoneForm, RegionHolidayForm, ZoneFilterForm
from shared_apps.schoolcalendar.permissions import CALENDAR_EDITORS
from shared_apps.schoolcalendar.selectors import region_holidays_list
from tenants.models import Establishment


def _status(form: Any, error: ApplicationError) -> int:
    form.add_application_error(error)
    return error.status if error.status != 404 else 400


class RegionCalendarView(RolesRequiredMixin, View):
    """``/region/calendar/``: the days off of every zone (or one), a form to add some, and a form
    to set the zone an establishment follows."""

    required_region_roles = CALENDAR_EDITORS
    template_name = "schoolcalendar/calendar.html"

    def page(
        self,
        request: HttpRequest,
        *,
        form: RegionHolidayForm | None = None,
        zone_form: EstablishmentZoneForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        filters = ZoneFilterForm(request.GET or None)
        zone = filters.cleaned_data.get("zone", "") if filters.is_valid() else ""
        context = {
            "filters": filters,
            "days": list(region_holidays_list(zone=zone or None)),
            "form": form or RegionHolidayForm(),
            "zone_form": zone_form or EstablishmentZoneForm(prefix="z"),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "zone":
            zone_form = EstablishmentZoneForm(request.POST, prefix="z")
            if not zone_form.is_valid():
                return self.page(request, zone_form=zone_form, status=400)
            found = Establishment.objects.filter(uai=zone_form.cleaned_data["uai"].strip().upper()).first()
            if found is None:
                zone_form.add_error("uai", _("No establishment has this UAI."))
                return self.page(request, zone_form=zone_form, status=400)
            services.establishment_zone_set(
                actor=actor_of(request), establishment=found, zone=zone_form.cleaned_data["zone"]
            )
            messages.success(request, _("The zone of %(name)s was saved.") % {"name": found.name})
            return redirect("region-calendar")
        form = RegionHolidayForm(request.POST)
        if not form.is_valid():
            return self.page(request, form=form, status=400)
        try:
            services.region_holiday_create(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form=form, status=_status(form, error))
        messages.success(request, _("The days off were added."))
        return redirect("region-calendar")


class RegionHolidayEditView(RolesRequiredMixin, View):
    required_region_roles = CALENDAR_EDITORS
    template_name = "schoolcalendar/holiday_form.html"

    def get(self, request: HttpRequest, day_id: int) -> HttpResponse:
        day = get_or_404(region_holidays_list(), pk=day_id)
        initial = {"kind": day.kind, "zone": day.zone, "name": day.name, "start": day.start, "end": day.end}
        return render(request, self.template_name, {"day": day, "form": RegionHolidayForm(initial=initial)})

    def post(self, request: HttpRequest, day_id: int) -> HttpResponse:
        day = get_or_404(region_holidays_list(), pk=day_id)
        if request.POST.get("action") == "delete":
            services.region_holiday_delete(actor=actor_of(request), day=day)
            messages.success(request, _("The days off were deleted."))
            return redirect("region-calendar")
        form = RegionHolidayForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.region_holiday_update(actor=actor_of(request), day=day, **form.cleaned_data)
            except ApplicationError as error:
                status = _status(form, error)
            else:
                messages.success(request, _("The days off were saved."))
                return redirect("region-calendar")
        return render(request, self.template_name, {"day": day, "form": form}, status=status)
