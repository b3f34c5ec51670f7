"""The structure's pages, one set a kind (list, edit, delete: ``generic.py``), the hub, a year with
its periods, a group with its students."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure import forms, selectors, services
from tenant_apps.structure.models import Group, TeachingAssignment
from tenant_apps.structure.views.generic import (
    ManagerPage,
    SectionDeleteView,
    SectionEditView,
    SectionListView,
)
from tenant_apps.structure.views.sections import (
    AssignmentSection,
    ClassSection,
    GroupSection,
    PeriodSection,
    RoomSection,
    SubjectSection,
    YearSection,
)


class StructureHomeView(ManagerPage):
    """The hub: every section, with how many objects it holds."""

    def get(self, request: HttpRequest) -> HttpResponse:
        current = selectors.current_school_year()
        sections = [
            (YearSection.title, "structure-years", selectors.school_years().count()),
            (ClassSection.title, "structure-classes", SchoolClass.objects.count()),
            (GroupSection.title, "structure-groups", Group.objects.count()),
            (SubjectSection.title, "structure-subjects", selectors.subjects().count()),
            (RoomSection.title, "structure-rooms", selectors.rooms().count()),
            (AssignmentSection.title, "structure-assignments", TeachingAssignment.objects.count()),
        ]
        return render(request, "structure/home.html", {"current": current, "sections": sections})


class YearListView(SectionListView):
    section = YearSection()

    def after_create(self, obj: Any) -> str:
        return reverse("structure-year", args=[obj.pk])  # next: its periods


class YearEditView(SectionEditView):
    """A year: its dates, its periods (list and "add a period" form), its past classes."""

    section = YearSection()
    template_name = "structure/year.html"

    def more_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        period_section = PeriodSection()
        return {
            "periods": [(p, period_section.cells(p)) for p in obj.periods.all()],
            "period_columns": period_section.columns,
            "period_form": getattr(self, "period_form", None) or forms.PeriodForm(prefix="period"),
            "has_enrolments": obj.enrolments.exists(),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.POST.get("action") != "period":
            return super().post(request, pk)
        year = self.get_object(pk)
        form = forms.PeriodForm(request.POST, prefix="period")
        self.period_form = form
        try:
            if not form.is_valid():
                raise ValidationFailed()
            period = services.period_create(actor=actor_of(request), year=year, **form.cleaned_data)
        except (ValidationFailed, Conflict) as error:
            if error.fields or not form.errors:
                form.add_application_error(error)
            year_form = self.section.form_class(initial=self.section.initial(year))
            return self.page(request, obj=year, form=year_form, status=400)
        messages.success(request, _("“%(name)s” was added.") % {"name": period.name})
        return redirect(reverse("structure-year", args=[year.pk]))


class YearDeleteView(SectionDeleteView):
    section = YearSection()


class PeriodEditView(SectionEditView):
    section = PeriodSection()


class PeriodDeleteView(SectionDeleteView):
    section = PeriodSection()


class ClassListView(SectionListView):
    section = ClassSection()


class ClassEditView(SectionEditView):
    section = ClassSection()


class ClassDeleteView(SectionDeleteView):
    section = ClassSection()


class GroupListView(SectionListView):
    section = GroupSection()

    def after_create(self, obj: Any) -> str:
        return reverse("structure-group", args=[obj.pk])  # next: its students


class GroupEditView(SectionEditView):
    """A group's name and its students: every student of the establishment, by class, with a
    checkbox (a group may mix classes)."""

    section = GroupSection()
    template_name = "structure/group.html"

    def more_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        if request.method == "POST":
            chosen = set(self.chosen(request))
        else:
            chosen = set(obj.members.values_list("pk", flat=True))
        classes = []
        for name, students in groupby(
            selectors.students(), key=lambda m: m.school_class.name if m.school_class else ""
        ):
            rows = [(s, s.pk in chosen) for s in students]
            classes.append(
                {"name": name or _("No class"), "students": rows, "chosen": sum(1 for _s, c in rows if c)}
            )
        return {"classes": classes, "chosen_count": len(chosen)}

    def chosen(self, request: HttpRequest) -> list[int]:
        return [int(v) for v in request.POST.getlist("members") if v.isdigit()]

    def data(self, request: HttpRequest, form: AccessibleForm) -> dict[str, Any]:
        return {**form.cleaned_data, "member_ids": self.chosen(request)}


class GroupDeleteView(SectionDeleteView):
    section = GroupSection()


class SubjectListView(SectionListView):
    section = SubjectSection()


class SubjectEditView(SectionEditView):
    section = SubjectSection()


class SubjectDeleteView(SectionDeleteView):
    section = SubjectSection()


class RoomListView(SectionListView):
    section = RoomSection()


class RoomEditView(SectionEditView):
    section = RoomSection()


class RoomDeleteView(SectionDeleteView):
    section = RoomSection()


class AssignmentListView(SectionListView):
    section = AssignmentSection()


class AssignmentEditView(SectionEditView):
    section = AssignmentSection()


class AssignmentDeleteView(SectionDeleteView):
    section = AssignmentSection()
