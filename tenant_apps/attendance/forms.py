"""The attendance pages' forms (errors next to their fields, values kept when a form comes back)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.attendance.models import AbsenceReason

KIND_DECLARE, KIND_JUSTIFY = "declare", "justify"


class FamilyAbsenceForm(AccessibleForm):
    """A guardian declares a child's absence ahead, or justifies one (one form per child: the
    fields' ids end with the child's id)."""

    kind = forms.ChoiceField(
        label=_("What to send"),
        choices=[(KIND_DECLARE, _("Declare ahead")), (KIND_JUSTIFY, _("Justify"))],
        initial=KIND_DECLARE,
        widget=forms.RadioSelect,
    )
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Reason"), choices=AbsenceReason.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, PNG, JPEG; optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, child_pk: int, **kwargs: Any) -> None:
        kwargs["auto_id"] = f"%s-{child_pk}"
        super().__init__(*args, **kwargs)
        self.child_pk = child_pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start") and not cleaned.get("end"):
            cleaned["end"] = cleaned["start"]
        return cleaned
