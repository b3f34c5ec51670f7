"""Forms of school life's desk pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.attendance.desk_selectors import desk_students
from tenant_apps.attendance.models import AbsenceReason, Half, InfirmaryOutcome
from tenant_apps.school.models import Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _label(m: Member) -> str:
    return f"{m.school_class.name} · {m.display_name}" if m.school_class_id else m.display_name  # type: ignore[union-attr]


class _StudentForm(AccessibleForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"] = forms.ModelChoiceField(queryset=desk_students(), label=_("Student"))
        self.fields["student"].label_from_instance = _label  # type: ignore[attr-defined]
        self.order_fields(["student", *[n for n in self.fields if n != "student"]])


class AbsencePeriodForm(_StudentForm):
    start = forms.DateField(label=_("First day"), widget=DATE)
    start_half = forms.ChoiceField(label=_("From the"), choices=Half.choices, initial=Half.MORNING)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    end_half = forms.ChoiceField(label=_("Until the"), choices=Half.choices, initial=Half.AFTERNOON)
    reason = forms.ChoiceField(label=_("Reason"), choices=AbsenceReason.choices)
    justified = forms.BooleanField(label=_("Justified (the family gave a valid reason)"), required=False)
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SportExemptionForm(_StudentForm):
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    partial = forms.BooleanField(label=_("Partial exemption"), required=False)
    details = forms.CharField(
        label=_("Details (what the student may or may not do)"), max_length=300, required=False
    )
    certificate = forms.FileField(label=_("Medical certificate (PDF, PNG or JPEG, optional)"), required=False)


class InfirmaryVisitForm(_StudentForm):
    arrived_at = forms.DateTimeField(label=_("Arrived at"), widget=WHEN, input_formats=WHEN_FORMATS)
    left_at = forms.DateTimeField(
        label=_("Left at (optional)"), widget=WHEN, input_formats=WHEN_FORMATS, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    care = forms.CharField(
        label=_("Care given (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InfirmaryOutcome.choices)
