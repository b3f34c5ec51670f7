"""Forms of the notebook's pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm, DateInRangeField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(AccessibleForm):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    content = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Simple HTML is kept (paragraphs, bold, lists, links); anything else is removed."),
    )
    links = forms.CharField(
        label=_("Links (one web address a line)"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def links_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()]


class HomeworkForm(AccessibleForm):
    instructions = forms.CharField(
        label=_("Instructions"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    for_next_lesson = forms.BooleanField(label=_("For the next lesson"), required=False)
    due_on = DateInRangeField(label=_("Due on (otherwise)"), widget=DATE, required=False)
    estimated_minutes = forms.IntegerField(
        label=_("Estimated time (minutes, optional)"), required=False, min_value=1, max_value=600
    )
    online_submission = forms.BooleanField(label=_("Handed in online"), required=False)


class FileForm(AccessibleForm):
    file = forms.FileField(label=_("Add a document (10 MB at most)"))


class CopyForm(AccessibleForm):
    target = forms.ChoiceField(label=_("Copy to"), choices=())
    date = DateInRangeField(label=_("On"), widget=DATE)

    def __init__(self, *args: Any, lessons: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = lessons  # type: ignore[attr-defined]


class SubmissionForm(AccessibleForm):
    text = forms.CharField(
        label=_("Your answer"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    file = forms.FileField(label=_("A file (optional, 10 MB at most)"), required=False)


class ReturnForm(AccessibleForm):
    comment = forms.CharField(label=_("Comment"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3}))


class NotebookFilterForm(AccessibleForm):
    subject = forms.ChoiceField(label=_("Subject"), required=False, choices=())
    start = DateInRangeField(label=_("From"), widget=DATE, required=False)
    end = DateInRangeField(label=_("To"), widget=DATE, required=False)

    def __init__(self, *args: Any, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", _("Every subject")), *subjects]  # type: ignore[attr-defined]
