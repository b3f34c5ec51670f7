"""The timetable import's pages: send a file (EDT, UDT, STS-web's EDT_STS or CSV), see what it
would change, apply it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.permissions import RolesRequiredMixin
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable import services
from tenant_apps.timetable.forms import DATE
from tenant_apps.timetable.models import Weekday
from tenant_apps.timetable.permissions import LESSON_MANAGERS
from tenant_apps.timetable.selectors import timetable_imports
from tenant_apps.timetable.views.common import service_error

CATEGORIES = (
    ("created", gettext_lazy("Lessons created")),
    ("changed", gettext_lazy("Lessons changed")),
    ("removed", gettext_lazy("Lessons removed (ended when registers were taken)")),
)


class ImportForm(AccessibleForm):
    file = forms.FileField(label=gettext_lazy("Timetable file (EDT, UDT, STS-web EDT_STS or CSV)"))
    from_day = forms.DateField(
        label=gettext_lazy("Changes apply from (optional: today)"), required=False, widget=DATE
    )


class ImportListView(RolesRequiredMixin, View):
    """``/timetable/manage/imports/``: the imports made, and a form to send a file."""

    required_roles = LESSON_MANAGERS
    template_name = "timetable/imports.html"

    def page(self, request: HttpRequest, form: ImportForm | None = None, status: int = 200) -> HttpResponse:
        context = {
            "imports": list(timetable_imports()[:30]),
            "form": form or ImportForm(),
            "year": current_school_year(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        year = current_school_year()
        if not form.is_valid():
            return self.page(request, form, status=400)
        if year is None:
            form.add_error(None, _("Create the school year first."))
            return self.page(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            imp = services.timetable_import_preview(
                actor=actor_of(request),
                year=year,
                name=upload.name,
                data=upload.read(),
                from_day=form.cleaned_data.get("from_day"),
            )
        except ApplicationError as error:
            return self.page(request, form, status=service_error(form, error))
        return redirect("timetable-import", import_id=imp.pk)


class ImportDetailView(RolesRequiredMixin, View):
    """``/timetable/manage/imports/<id>/``: what the file would change (or changed); apply it."""

    required_roles = LESSON_MANAGERS
    template_name = "timetable/import_detail.html"

    def page(
        self, request: HttpRequest, import_id: int, *, error: str = "", status: int = 200
    ) -> HttpResponse:
        imp = get_or_404(timetable_imports(), pk=import_id)
        plan = imp.plan or {}
        days = dict(Weekday.choices)
        sections = []
        for key, label in CATEGORIES:
            rows = [{**row, "day": days.get(row["weekday"], "")} for row in plan.get(key, [])]
            sections.append((key, label, plan.get("counts", {}).get(key, 0), rows))
        context = {"imp": imp, "plan": plan, "sections": sections, "error": error}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, import_id: int) -> HttpResponse:
        return self.page(request, import_id)

    def post(self, request: HttpRequest, import_id: int) -> HttpResponse:
        imp = get_or_404(timetable_imports(), pk=import_id)
        try:
            services.timetable_import_apply(actor=actor_of(request), imp=imp)
        except ApplicationError as error:
            return self.page(request, import_id, error=error.message, status=error.status)
        messages.success(request, _("The timetable was imported."))
        return redirect("timetable-import", import_id=imp.pk)
