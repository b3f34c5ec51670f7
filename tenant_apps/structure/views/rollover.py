"""The year rollover page (choose the years, see where each class goes, see every student's move,
then apply it) and a past year's classes."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure import forms, selectors
from tenant_apps.structure.permissions import STRUCTURE_MANAGERS, STRUCTURE_READERS
from tenant_apps.structure.rollover import default_next_class, rollover_apply, rollover_plan
from tenant_apps.structure.views.generic import ManagerPage


class RolloverView(ManagerPage):
    """Choose the year being closed and the new one, see where each class goes (and change it),
    see every student's move (the dry run), then apply it (with a confirmation)."""

    template_name = "structure/rollover.html"

    def form(self, data: Any = None) -> forms.RolloverForm:
        names = sorted(
            SchoolClass.objects.filter(students__in=selectors.students())
            .values_list("name", flat=True)
            .distinct()
        )
        initial: dict[str, Any] = {}
        years = list(selectors.school_years().order_by("start"))
        current = selectors.current_school_year()
        if current is not None:
            initial["from_year"] = current.pk
            following = next((y for y in years if y.start > current.start), None)
            initial["to_year"] = following.pk if following else None
        return forms.RolloverForm(
            data, initial=initial, class_names=[(n, default_next_class(n)) for n in names]
        )

    def page(self, request: HttpRequest, form: forms.RolloverForm, status: int = 200) -> HttpResponse:
        if form.is_bound and not hasattr(form, "cleaned_data"):
            form.is_valid()
        class_map = form.class_map()
        moves = rollover_plan(class_map=class_map)
        existing = set(SchoolClass.objects.values_list("name", flat=True))
        plan = []
        for name, key in form.class_fields:
            students = [m for m in moves if m.from_class == name]
            target = class_map.get(name)
            plan.append(
                {
                    "name": name,
                    "field": form[key],
                    "target": target,
                    "new_class": bool(target) and target not in existing,
                    "students": students,
                }
            )
        context = {
            "form": form,
            "plan": plan,
            "moves": len(moves),
            "leaving": sum(1 for m in moves if not m.to_class),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        if request.POST.get("action") != "apply":
            return self.page(request, form)  # the dry run with the classes as typed
        if not form.cleaned_data.get("confirm"):
            form.add_application_error(
                ValidationFailed(fields={"confirm": [_("Tick this box to confirm the rollover.")]})
            )
            return self.page(request, form, status=400)
        from_year, to_year = form.cleaned_data["from_year"], form.cleaned_data["to_year"]
        try:
            moves = rollover_apply(
                from_year=from_year,
                to_year=to_year,
                class_map=form.class_map(),
                actor=actor_of(request),
            )
        except ValidationFailed as error:
            fields = {
                {"from_year_id": "from_year", "to_year_id": "to_year"}.get(k, k): v
                for k, v in error.fields.items()
            }
            form.add_application_error(ValidationFailed(error.message, fields=fields))
            return self.page(request, form, status=400)
        messages.success(
            request,
            _("The rollover is done: %(count)s students moved to %(year)s; here are the classes of %(old)s.")
            % {"count": len(moves), "year": to_year.name, "old": from_year.name},
        )
        return redirect(reverse("structure-year-enrolments", args=[from_year.pk]))


class YearEnrolmentsView(RolesRequiredMixin, View):
    """A past year's classes and their students (staff read them)."""

    required_roles = STRUCTURE_READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = get_or_404(selectors.school_years(), pk=pk)
        classes = [
            (name, [e.student for e in rows])
            for name, rows in groupby(
                selectors.enrolments(year_id=year.pk), key=lambda e: e.school_class.name
            )
        ]
        return render(
            request,
            "structure/enrolments.html",
            {
                "year": year,
                "classes": classes,
                "can_manage": bool(request_access(request).roles & STRUCTURE_MANAGERS),
            },
        )
