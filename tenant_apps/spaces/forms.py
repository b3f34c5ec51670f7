"""Forms of the spaces pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.spaces.models import SpaceRole

RICH_HELP = _(
    "Simple HTML is kept (paragraphs, bold, lists, links); anything else is removed. "
    "Write @First Last to mention a member."
)
STUDENT_ROLES = [
    (SpaceRole.CONTRIBUTOR.value, SpaceRole.CONTRIBUTOR.label),
    (SpaceRole.READER.value, SpaceRole.READER.label),
]


class ProjectForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contributors = forms.MultipleChoiceField(label=_("Contributors"), required=False, choices=())
    readers = forms.MultipleChoiceField(label=_("Readers"), required=False, choices=())

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contributors"].choices = people  # type: ignore[attr-defined]
        self.fields["readers"].choices = people  # type: ignore[attr-defined]


class SpaceSettingsForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    student_role = forms.ChoiceField(label=_("Students' right"), choices=STUDENT_ROLES)
    archived = forms.BooleanField(label=_("Archived (read only)"), required=False)


class MemberForm(AccessibleForm):
    member = forms.ChoiceField(label=_("Person"), choices=())
    role = forms.ChoiceField(label=_("Right"), choices=SpaceRole.choices)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = people  # type: ignore[attr-defined]


class GuestForm(AccessibleForm):
    login = forms.CharField(label=_("Their login"), max_length=64)
    uai = forms.CharField(label=_("UAI of their establishment"), max_length=8)
    role = forms.ChoiceField(label=_("Right"), choices=STUDENT_ROLES)


class TopicForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}), help_text=RICH_HELP
    )


class PostForm(AccessibleForm):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=RICH_HELP,
    )


class WallForm(AccessibleForm):
    body = forms.CharField(label=_("Short post"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
