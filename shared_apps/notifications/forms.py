"""The preferences form: per type, e-mail and text message; e-mail mode; quiet hours; number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from shared_apps.notifications.preferences import CHOOSABLE_CHANNELS
from shared_apps.notifications.types import OPTIONAL_TYPES, TYPE_RULES, Channel, EmailMode


class PreferencesForm(AccessibleForm):
    email_mode = forms.ChoiceField(label=_("E-mails"), choices=EmailMode.choices, widget=forms.RadioSelect)
    quiet_start = forms.TimeField(label=_("Quiet hours from"), widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label=_("until"), widget=forms.TimeInput(attrs={"type": "time"}))
    phone = forms.CharField(
        label=_("Mobile number for urgent text messages"),
        required=False,
        max_length=20,
        help_text=_("Optional, e.g. +33 6 12 34 56 78. Only urgent notices are texted."),
    )

    def __init__(self, *args: Any, preferences: dict[str, Any], **kwargs: Any) -> None:
        initial = {
            "email_mode": preferences["email_mode"],
            "quiet_start": preferences["quiet_start"],
            "quiet_end": preferences["quiet_end"],
            "phone": preferences["phone"],
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for type_ in OPTIONAL_TYPES:
            for channel in CHOOSABLE_CHANNELS:
                self.fields[f"{type_}__{channel}"] = forms.BooleanField(
                    label=f"{TYPE_RULES[type_].label}: {Channel(channel).label}",
                    required=False,
                    initial=preferences["types"][type_][channel],
                )

    def rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (TYPE_RULES[t].label, [self[f"{t}__{c}"] for c in CHOOSABLE_CHANNELS]) for t in OPTIONAL_TYPES
        ]

    def types(self) -> dict[str, dict[str, bool]]:
        return {
            t: {c: bool(self.cleaned_data.get(f"{t}__{c}")) for c in CHOOSABLE_CHANNELS}
            for t in OPTIONAL_TYPES
        }
