"""Forms of the region calendar's pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from shared_apps.schoolcalendar.models import DayOffKind
from tenants.zones import Zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ZONES = [("", _("Every zone")), *Zone.choices]


class RegionHolidayForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DayOffKind.choices)
    zone = forms.ChoiceField(label=_("Zone"), choices=ZONES, required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)


class ZoneFilterForm(forms.Form):
    zone = forms.ChoiceField(label=_("Zone"), choices=ZONES, required=False)


class EstablishmentZoneForm(AccessibleForm):
    uai = forms.CharField(label=_("Establishment (UAI)"), max_length=8)
    zone = forms.ChoiceField(
        label=_("Its zone"), choices=[("", _("None of the three")), *Zone.choices], required=False
    )
