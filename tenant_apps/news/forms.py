"""Forms of the news and notices pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.news.models import Visibility

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RICH_HINT = _("Simple HTML is kept (paragraphs, bold, lists, links); anything else is removed.")


class NewsForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=RICH_HINT,
    )
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=Visibility.choices)
    targets = forms.MultipleChoiceField(
        label=_("Groups (when chosen groups see it)"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at (empty: now)"), required=False, widget=WHEN, input_formats=["%Y-%m-%dT%H:%M"]
    )
    expire_at = forms.DateTimeField(
        label=_("Remove at (optional)"), required=False, widget=WHEN, input_formats=["%Y-%m-%dT%H:%M"]
    )
    image = forms.FileField(label=_("Image (optional: PNG, JPEG or GIF, 5 MB at most)"), required=False)
    image_alt = forms.CharField(
        label=_("Image description (for screen readers)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, audiences: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = audiences  # type: ignore[attr-defined]


class EditorForm(AccessibleForm):
    member = forms.ChoiceField(label=_("Member of staff"), choices=())

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = staff  # type: ignore[attr-defined]


class NoticeForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=RICH_HINT,
    )
    school_class = forms.ChoiceField(label=_("To the guardians of the class"), required=False, choices=())
    students = forms.MultipleChoiceField(
        label=_("Or to the guardians of these students"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(
        self, *args: Any, classes: list[tuple[str, str]], students: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"].choices = [("", _("— chosen students —")), *classes]  # type: ignore[attr-defined]
        self.fields["students"].choices = students  # type: ignore[attr-defined]
