"""Forms of the timetable management pages: input shape only (the rules are in the services).

Field names are the services' argument names, so that a service's ``ValidationFailed`` shows next
to its field (``AccessibleForm.add_application_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm, DateInRangeField
from tenant_apps.school.models import SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.timetable.models import Weekday, WeekParity
from tenant_apps.timetable.selectors import teachers_here

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SCHOOL_DAYS = [(value, label) for value, label in Weekday.choices if value != Weekday.SUNDAY]


def _choice(queryset: Any, label: Any, *, required: bool = True, empty: Any = "---------") -> Any:
    return forms.ModelChoiceField(queryset=queryset, label=label, required=required, empty_label=empty)


class _AudienceForm(AccessibleForm):
    """The who (class or group, one of them), subject, teacher, room of a lesson."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"] = _choice(Subject.objects.order_by("name"), _("Subject"))
        self.fields["teacher"] = _choice(teachers_here(), _("Teacher"))
        self.fields["school_class"] = _choice(
            SchoolClass.objects.order_by("level", "name"), _("Class"), required=False, empty=_("(a group)")
        )
        self.fields["group"] = _choice(
            Group.objects.order_by("name"), _("Group"), required=False, empty=_("(a class)")
        )
        self.fields["room"] = _choice(
            Room.objects.order_by("name"), _("Room"), required=False, empty=_("(no room)")
        )
        self.fields["teacher"].label_from_instance = lambda m: m.display_name  # type: ignore[attr-defined]
        self.order_fields(self.field_order or [])


class LessonForm(_AudienceForm):
    field_order = [
        "weekday",
        "start_time",
        "end_time",
        "week",
        "weeks",
        "subject",
        "teacher",
        "co_teachers",
        "school_class",
        "group",
        "more_classes",
        "more_groups",
        "room",
        "starts_on",
        "ends_on",
    ]

    weekday = forms.TypedChoiceField(label=_("Day"), choices=SCHOOL_DAYS, coerce=int)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    week = forms.ChoiceField(label=_("Weeks"), choices=WeekParity.choices, initial=WeekParity.EVERY)
    weeks = forms.CharField(
        label=_("Chosen weeks (week numbers of the school year, e.g. 1-7,10-16)"),
        max_length=400,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_teachers"] = forms.ModelMultipleChoiceField(
            queryset=teachers_here(), label=_("Co-teachers (optional)"), required=False
        )
        self.fields["co_teachers"].label_from_instance = lambda m: m.display_name  # type: ignore[attr-defined]
        self.fields["more_classes"] = forms.ModelMultipleChoiceField(
            queryset=SchoolClass.objects.order_by("level", "name"),
            label=_("More classes (optional)"),
            required=False,
        )
        self.fields["more_groups"] = forms.ModelMultipleChoiceField(
            queryset=Group.objects.order_by("name"), label=_("More groups (optional)"), required=False
        )
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("week") == WeekParity.CHOSEN and not (data.get("weeks") or "").strip():
            self.add_error("weeks", _("Give the weeks, e.g. 1-7,10-16."))
        return data

    def service_values(self) -> dict[str, Any]:
        """The cleaned data as ``lesson_create``/``lesson_update`` take it: ``week`` the week set
        (the chosen weeks when "Chosen weeks"), the lists as tuples."""
        data = self.cleaned_data
        values: dict[str, Any] = {k: data[k] for k in self.field_order if k != "weeks"}
        if data["week"] == WeekParity.CHOSEN:
            values["week"] = data["weeks"]
        for name in ("co_teachers", "more_classes", "more_groups"):
            values[name] = tuple(data.get(name) or ())
        return values

    starts_on = DateInRangeField(
        label=_("First day (optional: the start of the year)"), required=False, widget=DATE
    )
    ends_on = DateInRangeField(
        label=_("Last day (optional: the end of the year)"), required=False, widget=DATE
    )


class LessonEndForm(AccessibleForm):
    last_day = DateInRangeField(label=_("Last day of the lesson"), widget=DATE)


class ExceptionalLessonForm(_AudienceForm):
    field_order = [
        "date",
        "start_time",
        "end_time",
        "subject",
        "teacher",
        "school_class",
        "group",
        "room",
        "note",
    ]

    date = DateInRangeField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class HolidayForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    start = DateInRangeField(label=_("First day"), widget=DATE)
    end = DateInRangeField(label=_("Last day"), widget=DATE)


class LessonChangeForm(AccessibleForm):
    """A one-off change of one occurrence: cancelled, or any of moved / room / teacher."""

    cancelled = forms.BooleanField(label=_("Cancelled"), required=False)
    new_date = DateInRangeField(label=_("Moved to (date)"), required=False, widget=DATE)
    new_start_time = forms.TimeField(label=_("Moved to (start)"), required=False, widget=TIME)
    new_end_time = forms.TimeField(label=_("Moved to (end)"), required=False, widget=TIME)
    note = forms.CharField(label=_("Note (shown to everyone concerned)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_room"] = _choice(
            Room.objects.order_by("name"), _("Another room"), required=False, empty=_("(the usual room)")
        )
        self.fields["replacement_teacher"] = _choice(
            teachers_here(), _("Replacement teacher"), required=False, empty=_("(the usual teacher)")
        )
        self.fields["replacement_teacher"].label_from_instance = (  # type: ignore[attr-defined]
            lambda m: m.display_name
        )
        self.order_fields(
            [
                "cancelled",
                "new_date",
                "new_start_time",
                "new_end_time",
                "new_room",
                "replacement_teacher",
                "note",
            ]
        )


class ManageFilterForm(forms.Form):
    """Whose lessons to show on the management page, as a grid or a list."""

    year = forms.ModelChoiceField(queryset=SchoolYear.objects.all(), label=_("School year"), required=False)
    school_class = forms.ModelChoiceField(
        queryset=SchoolClass.objects.order_by("level", "name"), label=_("Class"), required=False
    )
    group = forms.ModelChoiceField(queryset=Group.objects.order_by("name"), label=_("Group"), required=False)
    teacher = forms.ModelChoiceField(queryset=teachers_here(), label=_("Teacher"), required=False)
    room = forms.ModelChoiceField(queryset=Room.objects.order_by("name"), label=_("Room"), required=False)
    view = forms.ChoiceField(
        label=_("Show as"),
        choices=[("grid", _("Weekly grid")), ("list", _("List"))],
        required=False,
        initial="grid",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].label_from_instance = lambda m: m.display_name  # type: ignore[attr-defined]
