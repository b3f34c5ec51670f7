"""Forms of the support pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from shared_apps.support.models import SupportTopic


class SupportRequestForm(AccessibleForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What happened? What did you expect?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    page_url = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    screenshot = forms.FileField(
        label=_("Screenshot (optional: PNG, JPEG, GIF or WebP, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    on_behalf_of = forms.CharField(
        label=_("On behalf of (login of a member of the establishment; optional)"),
        required=False,
        max_length=64,
    )

    def __init__(self, *args: object, on_behalf_allowed: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not on_behalf_allowed:
            del self.fields["on_behalf_of"]


class ReplyForm(AccessibleForm):
    body = forms.CharField(label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class ImpersonationStartForm(AccessibleForm):
    uai = forms.CharField(label=_("Establishment (UAI)"), max_length=8, required=False)
    login = forms.CharField(label=_("Login of the person"), max_length=64, required=False)
    reason = forms.CharField(
        label=_("Reason (at least 10 characters; optional when coming from a support request)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support_request = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ApprovalForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Why may this agent change things? (at least 10 characters)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ContactForm(AccessibleForm):
    """The help page's form for someone not signed in (``contact.py`` has the rules)."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address (the answer goes there)"), max_length=254)
    uai = forms.CharField(
        label=_("Your establishment's UAI (on its letters; optional)"), max_length=8, required=False
    )
    topic = forms.ChoiceField(label=_("What is it about?"), choices=SupportTopic.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What happened? What did you expect?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Never shown to people (hidden by the page's style); robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: object, establishment_known: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if establishment_known:
            del self.fields["uai"]


class EscalateForm(AccessibleForm):
    note = forms.CharField(
        label=_("What was tried, and why the region's support is needed (at least 10 characters)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
