"""The attendance settings page of the establishment's leadership (``services.settings``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.attendance import services
from tenant_apps.attendance.permissions import SETTINGS_MANAGERS


class AttendanceSettingsForm(AccessibleForm):
    absence_notification_review = forms.BooleanField(
        label=gettext_lazy("School life reviews unjustified absences before guardians are told"),
        help_text=gettext_lazy(
            "Off: guardians are e-mailed the same day an absence is recorded. On: the notices wait "
            "on the attendance follow-up page until school-life staff send or drop them."
        ),
        required=False,
    )
    half_day_split = forms.TimeField(
        label=gettext_lazy("The afternoon starts at"),
        help_text=gettext_lazy(
            "Absences are counted in half-days: a lesson starting from this time is in the afternoon."
        ),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class AttendanceSettingsView(RolesRequiredMixin, TemplateView):
    template_name = "attendance/settings.html"
    required_roles = SETTINGS_MANAGERS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"] = AttendanceSettingsForm(initial=services.attendance_settings().as_dict())
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AttendanceSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.attendance_settings_update(actor=actor_of(request), **form.cleaned_data)
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)
