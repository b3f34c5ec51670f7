"""How each kind of object of the structure is listed, added, edited and deleted on the pages: one
``Section`` a kind (its form, list query, cells and services), served by the generic pages of
``generic.py``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure import forms, selectors, services
from tenant_apps.structure.models import Group, Period, Room, SchoolYear, Subject, TeachingAssignment


def _day(value: Any) -> str:
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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        return services.school_year_create(actor=actor, **data)

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        return services.school_year_update(actor=actor, year=obj, **data)

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
        services.school_year_delete(actor=actor, year=obj)


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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        return services.period_create(actor=actor, **data)

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        return services.period_update(actor=actor, period=obj, **data)

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
        services.period_delete(actor=actor, period=obj)

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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        return services.class_create(actor=actor, **data)

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        return services.class_update(actor=actor, school_class=obj, **data)

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
        services.class_delete(actor=actor, school_class=obj)


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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        return services.group_create(actor=actor, **data)

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        return services.group_update(actor=actor, group=obj, **data)

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
        services.group_delete(actor=actor, group=obj)


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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        return services.subject_create(actor=actor, **data)

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        return services.subject_update(actor=actor, subject=obj, **data)

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
        services.subject_delete(actor=actor, subject=obj)


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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        return services.room_create(actor=actor, **data)

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        return services.room_update(actor=actor, room=obj, **data)

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
        services.room_delete(actor=actor, room=obj)


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

    def create(self, *, actor: Actor | None, data: dict[str, Any]) -> Model:
        return services.teaching_assignment_create(actor=actor, **data)

    def update(self, *, actor: Actor | None, obj: Any, data: dict[str, Any]) -> Model:
        return services.teaching_assignment_update(actor=actor, assignment=obj, **data)

    def delete(self, *, actor: Actor | None, obj: Any) -> None:
        services.teaching_assignment_delete(actor=actor, assignment=obj)
