"""Forms of the messaging pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm


class ComposeForm(AccessibleForm):
    recipients = forms.MultipleChoiceField(label=_("To"), required=False, choices=())
    groups = forms.MultipleChoiceField(label=_("To groups"), required=False, choices=())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("A file (optional, 10 MB at most)"), required=False)
    no_reply = forms.BooleanField(label=_("No reply (an announcement)"), required=False)
    private = forms.BooleanField(label=_("Private (never shown to a support agent)"), required=False)

    def __init__(
        self, *args: Any, people: list[tuple[str, str]], groups: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = people  # type: ignore[attr-defined]
        if groups:
            self.fields["groups"].choices = groups  # type: ignore[attr-defined]
        else:
            del self.fields["groups"]
            del self.fields["no_reply"]


class ReplyForm(AccessibleForm):
    body = forms.CharField(label=_("Your reply"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label=_("A file (optional, 10 MB at most)"), required=False)


class ReportForm(AccessibleForm):
    reason = forms.CharField(label=_("Why report this message"), max_length=500)


class ResolveForm(AccessibleForm):
    resolution = forms.CharField(label=_("What was done"), max_length=500, required=False)
