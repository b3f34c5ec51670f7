"""Forms of the structure pages: the shape of the input only (the rules are in ``services.py``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm, DateInRangeField
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure import selectors
from tenant_apps.structure.models import Group, PeriodKind, SchoolYear, Subject


def _text(label: Any, max_length: int, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return DateInRangeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class YearForm(AccessibleForm):
    name = _text(_("Name (e.g. 2026-2027)"), 20)
    start = _date(_("First day"))
    end = _date(_("Last day"))
    week_a_monday = _date(
        _("A day of a week A"),
        required=False,
        help_text=_("Weeks A and B alternate from that week. Empty: the first week of the year is a week A."),
    )
    is_current = forms.BooleanField(label=_("This is the current school year"), required=False)


class PeriodForm(AccessibleForm):
    name = _text(_("Name (e.g. Trimestre 1)"), 40)
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    start = _date(_("First day"))
    end = _date(_("Last day"))


class SubjectForm(AccessibleForm):
    code = _text(_("Code"), 20, help_text=_("A short code, unique in the establishment (e.g. MATHS)."))
    name = _text(_("Name"), 100)


class RoomForm(AccessibleForm):
    name = _text(_("Name"), 60)
    capacity = forms.IntegerField(
        label=_("Capacity (seats)"),
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"min": 1, "max": 100_000}),
    )


class ClassForm(AccessibleForm):
    name = _text(_("Name (e.g. 4e B)"), 40)
    level = _text(
        _("Level"), 40, required=False, help_text=_("Empty: the level the name tells (4e B is in 4e).")
    )


class GroupForm(AccessibleForm):
    name = _text(_("Name (e.g. Latin 4e)"), 60)


class AssignmentForm(AccessibleForm):
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=Member.objects.none())
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none())
    school_class = forms.ModelChoiceField(
        label=_("Class"), queryset=SchoolClass.objects.none(), required=False, empty_label=_("— none —")
    )
    group = forms.ModelChoiceField(
        label=_("or group"), queryset=Group.objects.none(), required=False, empty_label=_("— none —")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["teacher"].queryset = selectors.teachers()
        fields["subject"].queryset = selectors.subjects()
        fields["school_class"].queryset = SchoolClass.objects.order_by("level", "name")
        fields["group"].queryset = Group.objects.order_by("name")


class RolloverForm(AccessibleForm):
    """The year being closed, the new year and, for each class, where its students go next year."""

    from_year = forms.ModelChoiceField(label=_("Year being closed"), queryset=SchoolYear.objects.none())
    to_year = forms.ModelChoiceField(label=_("New year"), queryset=SchoolYear.objects.none())
    confirm = forms.BooleanField(label=_("I have checked the plan: move the students now"), required=False)

    def __init__(self, *args: Any, class_names: list[tuple[str, str | None]], **kwargs: Any) -> None:
        """``class_names``: each class with students now, and the class its students go to by default."""
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["from_year"].queryset = selectors.school_years()
        fields["to_year"].queryset = selectors.school_years()
        self.class_fields: list[tuple[str, str]] = []
        for index, (name, default) in enumerate(class_names):
            key = f"to_{index}"
            self.fields[key] = forms.CharField(
                label=_("Next year, the students of %(name)s go to") % {"name": name},
                max_length=40,
                required=False,
                strip=True,
                initial=default or "",
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "size": 12, "aria-describedby": "rollover-help"}
                ),
            )
            self.class_fields.append((name, key))

    def class_map(self) -> dict[str, str | None]:
        """Each class's target as typed (None: its students leave)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            name: (data.get(key) if key in data else self[key].value()) or None
            for name, key in self.class_fields
        }
