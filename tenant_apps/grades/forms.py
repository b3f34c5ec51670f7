"""Forms of the grades pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm, DateInRangeField
from tenant_apps.grades.models import AssessmentKind, Rounding
from tenant_apps.structure.models import Period, Subject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    target = forms.ChoiceField(label=_("Subject and class or group"))
    period = forms.ModelChoiceField(queryset=Period.objects.none(), label=_("Period"))
    date = DateInRangeField(label=_("Date"), widget=DATE)
    scale = forms.DecimalField(
        label=_("Out of"), initial=Decimal(20), max_digits=5, decimal_places=2, min_value=1
    )
    coefficient = forms.DecimalField(
        label=_("Coefficient"), initial=Decimal(1), max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices, initial=AssessmentKind.NORMAL)
    published_on = DateInRangeField(
        label=_("Visible to students and guardians from (optional)"), widget=DATE, required=False
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]
        self.fields["period"].queryset = periods  # type: ignore[attr-defined]


class PublicationForm(AccessibleForm):
    published_on = DateInRangeField(
        label=_("Visible to students and guardians from"), widget=DATE, required=False
    )


class PolicyForm(AccessibleForm):
    """The establishment's grading policy, and a coefficient per subject (``coef_<subject id>``)."""

    rounding = forms.ChoiceField(
        label=_("Rounding of averages"), choices=Rounding.choices, widget=forms.RadioSelect
    )
    skills_enabled = forms.BooleanField(
        label=_("Rate skills of the common base (socle commun) with the assessments"), required=False
    )

    def __init__(self, *args: Any, subjects: list[Subject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for subject in subjects:
            self.fields[f"coef_{subject.pk}"] = forms.DecimalField(
                label=_("Coefficient of %(subject)s") % {"subject": subject.name},
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=Decimal(100),
            )

    def coefficients(self, subjects: list[Subject]) -> dict[Subject, Decimal]:
        return {s: self.cleaned_data[f"coef_{s.pk}"] for s in subjects}
