"""Pages of the school's structure (/structure/…), for the establishment's administrative staff:
years and their periods, classes, groups (and their students), subjects, rooms, teaching
assignments; the year rollover; a past year's classes.

Thin: each kind is described by a ``Section`` (its form, list query and services); three generic
pages (list with an "add" form, edit, delete with a confirmation step) serve every kind. The rules
are in ``services.py``; a refused change is shown on the form (HTTP 400), next to its field.
"""

from __future__ import annotations

import datetime
from itertools import groupby
from typing import Any, ClassVar

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mbn_platform.kernel.errors import Conflict, ValidationFailed
from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure import forms, selectors, services
from tenant_apps.structure.models import Group, Period, Room, SchoolYear, Subject, TeachingAssignment
from tenant_apps.structure.permissions import STAFF, STRUCTURE_MANAGERS, acting_user_id
from tenant_apps.structure.rollover import default_next_class, rollover_apply, rollover_plan


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _imported(text: str, obj: Any) -> str:
    """A group or assignment the directory import keeps in step (an import may change it)."""
    return f"{text} ({_('imported from the directory')})" if getattr(obj, "imported", False) else text


class Section:
    """One kind of object: how it is listed, added, edited and deleted."""

    url: ClassVar[str]  # URL names: structure-<url>s (list), structure-<url>, structure-<url>-delete
    title: ClassVar[Any]
    add_title: ClassVar[Any]
    columns: ClassVar[list[Any]]
    form_class: ClassVar[type[AccessibleForm]]

    def queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def cells(self, obj: Any) -> list[Any]:
        raise NotImplementedError

    def initial(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.form_class.base_fields}

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def delete(self, *, actor_id: int, obj: Any) -> None:
        raise NotImplementedError

    def list_url(self, obj: Any = None) -> str:
        return reverse(f"structure-{self.url}s")

    def back_title(self, obj: Any = None) -> Any:
        return self.title


class YearSection(Section):
    url = "year"
    title = gettext_lazy("School years")
    add_title = gettext_lazy("Add a school year")
    columns: ClassVar = [
        gettext_lazy("Year"),
        gettext_lazy("First day"),
        gettext_lazy("Last day"),
        gettext_lazy("Periods"),
    ]
    form_class = forms.YearForm

    def queryset(self) -> QuerySet[SchoolYear]:
        return selectors.school_years_with_periods()

    def cells(self, obj: SchoolYear) -> list[Any]:
        name = f"{obj.name} ({_('current')})" if obj.is_current else obj.name
        periods = ", ".join(p.name for p in obj.periods.all()) or "—"
        return [name, _day(obj.start), _day(obj.end), periods]

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        return services.school_year_create(**data)

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        return services.school_year_update(actor_id=actor_id, year=obj, **data)

    def delete(self, *, actor_id: int, obj: Any) -> None:
        services.school_year_delete(actor_id=actor_id, year=obj)


class PeriodSection(Section):
    url = "period"
    title = gettext_lazy("Periods")
    add_title = gettext_lazy("Add a period")
    columns: ClassVar = [
        gettext_lazy("Period"),
        gettext_lazy("Kind"),
        gettext_lazy("First day"),
        gettext_lazy("Last day"),
    ]
    form_class = forms.PeriodForm

    def queryset(self) -> QuerySet[Period]:
        return selectors.periods()

    def cells(self, obj: Period) -> list[Any]:
        return [obj.name, obj.get_kind_display(), _day(obj.start), _day(obj.end)]

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        return services.period_create(**data)

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        return services.period_update(actor_id=actor_id, period=obj, **data)

    def delete(self, *, actor_id: int, obj: Any) -> None:
        services.period_delete(actor_id=actor_id, period=obj)

    def list_url(self, obj: Any = None) -> str:
        return reverse("structure-year", args=[obj.year_id]) if obj else reverse("structure-years")

    def back_title(self, obj: Any = None) -> Any:
        return obj.year.name if obj else YearSection.title


class ClassSection(Section):
    url = "class"
    title = gettext_lazy("Classes")
    add_title = gettext_lazy("Add a class")
    columns: ClassVar = [gettext_lazy("Class"), gettext_lazy("Level"), gettext_lazy("Students")]
    form_class = forms.ClassForm

    def list_url(self, obj: Any = None) -> str:
        return reverse("structure-classes")

    def queryset(self) -> QuerySet[SchoolClass]:
        return selectors.classes()

    def cells(self, obj: Any) -> list[Any]:
        return [obj.name, obj.level, obj.headcount]

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        return services.class_create(actor_id=actor_id, **data)

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        return services.class_update(actor_id=actor_id, school_class=obj, **data)

    def delete(self, *, actor_id: int, obj: Any) -> None:
        services.class_delete(actor_id=actor_id, school_class=obj)


class GroupSection(Section):
    url = "group"
    title = gettext_lazy("Groups")
    add_title = gettext_lazy("Add a group")
    columns: ClassVar = [gettext_lazy("Group"), gettext_lazy("Students")]
    form_class = forms.GroupForm

    def queryset(self) -> QuerySet[Group]:
        return selectors.groups()

    def cells(self, obj: Any) -> list[Any]:
        return [_imported(obj.name, obj), obj.headcount]

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        return services.group_create(**data)

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        return services.group_update(actor_id=actor_id, group=obj, **data)

    def delete(self, *, actor_id: int, obj: Any) -> None:
        services.group_delete(actor_id=actor_id, group=obj)


class SubjectSection(Section):
    url = "subject"
    title = gettext_lazy("Subjects")
    add_title = gettext_lazy("Add a subject")
    columns: ClassVar = [gettext_lazy("Subject"), gettext_lazy("Code")]
    form_class = forms.SubjectForm

    def queryset(self) -> QuerySet[Subject]:
        return selectors.subjects()

    def cells(self, obj: Subject) -> list[Any]:
        return [obj.name, obj.code]

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        return services.subject_create(**data)

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        return services.subject_update(actor_id=actor_id, subject=obj, **data)

    def delete(self, *, actor_id: int, obj: Any) -> None:
        services.subject_delete(actor_id=actor_id, subject=obj)


class RoomSection(Section):
    url = "room"
    title = gettext_lazy("Rooms")
    add_title = gettext_lazy("Add a room")
    columns: ClassVar = [gettext_lazy("Room"), gettext_lazy("Capacity (seats)")]
    form_class = forms.RoomForm

    def queryset(self) -> QuerySet[Room]:
        return selectors.rooms()

    def cells(self, obj: Room) -> list[Any]:
        return [obj.name, obj.capacity if obj.capacity is not None else "—"]

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        return services.room_create(**data)

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        return services.room_update(actor_id=actor_id, room=obj, **data)

    def delete(self, *, actor_id: int, obj: Any) -> None:
        services.room_delete(actor_id=actor_id, room=obj)


class AssignmentSection(Section):
    url = "assignment"
    title = gettext_lazy("Teaching assignments")
    add_title = gettext_lazy("Add a teaching assignment")
    columns: ClassVar = [gettext_lazy("Teacher"), gettext_lazy("Subject"), gettext_lazy("Class or group")]
    form_class = forms.AssignmentForm

    def queryset(self) -> QuerySet[TeachingAssignment]:
        return selectors.teaching_assignments()

    def cells(self, obj: TeachingAssignment) -> list[Any]:
        audience = obj.school_class or obj.group
        return [
            _imported(obj.teacher.display_name, obj),
            obj.subject.name,
            str(audience) if audience else "—",
        ]

    def create(self, *, actor_id: int, data: dict[str, Any]) -> Model:
        return services.teaching_assignment_create(**data)

    def update(self, *, actor_id: int, obj: Any, data: dict[str, Any]) -> Model:
        return services.teaching_assignment_update(actor_id=actor_id, assignment=obj, **data)

    def delete(self, *, actor_id: int, obj: Any) -> None:
        services.teaching_assignment_delete(actor_id=actor_id, assignment=obj)


class ManagerPage(RolesRequiredMixin, View):
    required_roles = STRUCTURE_MANAGERS


class _SectionPage(ManagerPage):
    section: ClassVar[Section]

    def context(self, **extra: Any) -> dict[str, Any]:
        section = self.section
        return {
            "section": section,
            "edit_name": f"structure-{section.url}",
            "delete_name": f"structure-{section.url}-delete",
            **extra,
        }


class SectionListView(_SectionPage):
    """The list of one kind of object and the form that adds one."""

    template_name = "structure/list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, form=self.section.form_class())

    def page(self, request: HttpRequest, *, form: AccessibleForm, status: int = 200) -> HttpResponse:
        rows = [(obj, self.section.cells(obj)) for obj in self.section.queryset()]
        return render(request, self.template_name, self.context(rows=rows, form=form), status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.section.form_class(request.POST)
        if not form.is_valid():
            return self.page(request, form=form, status=400)
        try:
            obj = self.section.create(actor_id=acting_user_id(request), data=dict(form.cleaned_data))
        except (ValidationFailed, Conflict) as error:
            form.add_application_error(error)
            return self.page(request, form=form, status=400)
        messages.success(request, _("“%(name)s” was added.") % {"name": obj})
        return redirect(self.after_create(obj))

    def after_create(self, obj: Any) -> str:
        return self.section.list_url(obj)


class SectionEditView(_SectionPage):
    """Edit one object (its current values in the form)."""

    template_name = "structure/edit.html"

    def get_object(self, pk: int) -> Any:
        return selectors.one(self.section.queryset(), pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        return self.page(request, obj=obj, form=self.section.form_class(initial=self.section.initial(obj)))

    def page(
        self, request: HttpRequest, *, obj: Any, form: AccessibleForm, status: int = 200
    ) -> HttpResponse:
        context = self.context(obj=obj, form=form, back_url=self.section.list_url(obj))
        context["back_title"] = self.section.back_title(obj)
        context.update(self.more_context(request, obj))
        return render(request, self.template_name, context, status=status)

    def more_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.section.form_class(request.POST)
        if not form.is_valid():
            return self.page(request, obj=obj, form=form, status=400)
        try:
            self.section.update(actor_id=acting_user_id(request), obj=obj, data=self.data(request, form))
        except (ValidationFailed, Conflict) as error:
            form.add_application_error(error)
            return self.page(request, obj=self.get_object(pk), form=form, status=400)
        messages.success(request, _("“%(name)s” was saved.") % {"name": obj})
        return redirect(self.section.list_url(obj))

    def data(self, request: HttpRequest, form: AccessibleForm) -> dict[str, Any]:
        return dict(form.cleaned_data)


class SectionDeleteView(_SectionPage):
    """Delete one object: a confirmation page (GET), then the delete (POST). Something still in
    use is not deleted: the page says why (HTTP 409)."""

    template_name = "structure/delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = selectors.one(self.section.queryset(), pk)
        context = self.context(
            obj=obj, back_url=self.section.list_url(obj), back_title=self.section.back_title(obj)
        )
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = selectors.one(self.section.queryset(), pk)
        name, back_url = str(obj), self.section.list_url(obj)
        try:
            self.section.delete(actor_id=acting_user_id(request), obj=obj)
        except Conflict as error:
            context = self.context(
                obj=obj, back_url=back_url, back_title=self.section.back_title(obj), error=error
            )
            return render(request, self.template_name, context, status=error.status)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect(back_url)


# The pages of each kind -----------------------------------------------------------------------


class StructureHomeView(ManagerPage):
    """The hub: every section, with how many objects it holds."""

    def get(self, request: HttpRequest) -> HttpResponse:
        current = selectors.school_years().filter(is_current=True).first()
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
            period = services.period_create(year=year, **form.cleaned_data)
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


# Year rollover ---------------------------------------------------------------------------------


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
        current = next((y for y in years if y.is_current), None)
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
                actor_id=acting_user_id(request),
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

    required_roles = STAFF

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        year = selectors.one(selectors.school_years(), pk)
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
