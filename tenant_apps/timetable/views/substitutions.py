"""Substitutions: "teacher absent from … to …" makes the change of each of their lessons at once;
the absence's page gives each a replacement or leaves it cancelled, then tells everyone once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError, ValidationFailed
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.timetable import services
from tenant_apps.timetable.forms import DATE
from tenant_apps.timetable.permissions import TIMETABLE_EDITORS
from tenant_apps.timetable.selectors import absence_changes, teacher_absences, teachers_here
from tenant_apps.timetable.views.common import service_error


class AbsenceForm(AccessibleForm):
    start = forms.DateField(label=gettext_lazy("Absent from"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("Until (included)"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"] = forms.ModelChoiceField(
            queryset=teachers_here(), label=gettext_lazy("Teacher")
        )
        self.fields["teacher"].label_from_instance = lambda m: m.display_name  # type: ignore[attr-defined]
        self.order_fields(["teacher", "start", "end", "note"])


class AbsenceListView(RolesRequiredMixin, View):
    """``/timetable/substitutions/``: the teachers' absences, and a form to record one."""

    required_roles = TIMETABLE_EDITORS

    def page(self, request: HttpRequest, form: AbsenceForm | None = None, status: int = 200) -> HttpResponse:
        context = {"form": form or AbsenceForm(), "absences": list(teacher_absences()[:50])}
        return render(request, "timetable/substitutions.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AbsenceForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, 400)
        try:
            absence = services.teacher_absence_record(actor=actor_of(request), **form.cleaned_data)
        except ApplicationError as error:
            return self.page(request, form, service_error(form, error))
        messages.success(
            request, _("The absence was recorded: give each lesson a replacement, or leave it cancelled.")
        )
        return redirect("timetable-substitution", absence_id=absence.pk)


class AbsenceDetailView(RolesRequiredMixin, View):
    """``/timetable/substitutions/<id>/``: each lesson of the absence with its replacement (or
    cancelled); save; tell the people concerned (once each); delete the absence."""

    required_roles = TIMETABLE_EDITORS

    def page(
        self, request: HttpRequest, absence_id: int, *, error: str = "", status: int = 200
    ) -> HttpResponse:
        absence = get_or_404(teacher_absences(), pk=absence_id)
        teachers = [t for t in teachers_here() if t.pk != absence.teacher_id]
        context = {
            "absence": absence,
            "changes": list(absence_changes(absence=absence)),
            "teachers": teachers,
            "error": error,
        }
        return render(request, "timetable/substitution.html", context, status=status)

    def get(self, request: HttpRequest, absence_id: int) -> HttpResponse:
        return self.page(request, absence_id)

    def post(self, request: HttpRequest, absence_id: int) -> HttpResponse:
        absence = get_or_404(teacher_absences(), pk=absence_id)
        actor, action = actor_of(request), request.POST.get("action", "assign")
        if action == "delete":
            services.teacher_absence_delete(actor=actor, absence=absence)
            messages.success(request, _("The absence was deleted: its lessons take place as planned."))
            return redirect("timetable-substitutions")
        if action == "notify":
            services.teacher_absence_notify(actor=actor, absence=absence)
            messages.success(request, _("The people concerned are told, once each."))
            return redirect("timetable-substitution", absence_id=absence.pk)
        teachers = {str(t.pk): t for t in teachers_here()}
        assignments = []
        for change in absence_changes(absence=absence):
            value = request.POST.get(f"replacement-{change.pk}")
            if value is None:
                continue
            if value and value not in teachers:
                return self.page(request, absence_id, error=_("Unknown teacher."), status=400)
            assignments.append(services.Assignment(change=change, replacement=teachers.get(value)))
        try:
            services.teacher_absence_assign(actor=actor, absence=absence, assignments=assignments)
        except ValidationFailed as error:
            message = " ".join(" ".join(m) for m in error.fields.values()) or error.message
            return self.page(request, absence_id, error=message, status=400)
        messages.success(
            request, _("The replacements were saved. Tell the people concerned when they are complete.")
        )
        return redirect("timetable-substitution", absence_id=absence.pk)
