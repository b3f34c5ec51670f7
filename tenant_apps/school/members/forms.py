"""Forms of the memberships admin pages: input shape only (the rules are identity's,
``shared_apps/identity/memberships.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from shared_apps.identity.models import MembershipStatus, ResponsibilityLevel
from shared_apps.identity.roles import Role


def _class_choices(class_names: Iterable[str]) -> list[tuple[str, Any]]:
    return [("", _("No class")), *((name, name) for name in class_names)]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (name, login, e-mail)"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *MembershipStatus.choices]
    )


class PersonFindForm(AccessibleForm):
    identifier = forms.CharField(
        label=_("Login, e-mail address or national identifier"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RoleGrantForm(AccessibleForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    class_name = forms.ChoiceField(label=_("Class (students)"), required=False)

    def __init__(self, *args: Any, class_names: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_name"].choices = _class_choices(class_names)  # type: ignore[attr-defined]


class PersonCreateForm(RoleGrantForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address (optional: the activation code is sent there)"), required=False
    )
    field_order = ("first_name", "last_name", "email", "role", "class_name")


class GuardianLinkForm(AccessibleForm):
    responsibility_level = forms.TypedChoiceField(
        label=_("Responsibility"), choices=ResponsibilityLevel.choices, coerce=int
    )
    can_act = forms.BooleanField(
        label=_("May act for the child (declare or justify an absence)"), required=False
    )


class GuardianAddForm(GuardianLinkForm):
    identifier = forms.CharField(
        label=_("Guardian's login, e-mail address or national identifier"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ("identifier", "responsibility_level", "can_act")
