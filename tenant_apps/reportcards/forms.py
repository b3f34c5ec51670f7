"""Forms of the report-card pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from tenant_apps.school.models import Member, SchoolClass


class HeadTeachersForm(AccessibleForm):
    """A head teacher (or none) per class (``class_<class id>``: a teacher's user id)."""

    def __init__(self, *args: Any, classes: list[SchoolClass], teachers: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— No head teacher —")), *[(str(t.user_id), t.display_name) for t in teachers]]
        for school_class in classes:
            self.fields[f"class_{school_class.pk}"] = forms.ChoiceField(
                label=_("Head teacher of %(class)s") % {"class": school_class.name},
                choices=choices,
                required=False,
            )

    def chosen(self, classes: list[SchoolClass]) -> dict[int, int | None]:
        """The teacher's user id chosen for each class (None: no head teacher)."""
        return {c.pk: int(v) if (v := self.cleaned_data[f"class_{c.pk}"]) else None for c in classes}
