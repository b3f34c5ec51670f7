"""The base of every web form: errors shown next to their field, announced to screen readers
(``aria-invalid``, ``aria-describedby``), and a service's ``ApplicationError`` shown on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.parsing import MAX_DATE, MIN_DATE


class AccessibleForm(forms.Form):
    """A form whose invalid fields are marked for assistive technologies."""

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def fields_with_errors(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name in self.errors]

    def add_application_error(self, error: ApplicationError) -> None:
        """Show a service's error on the form: per field where it names one, at the top otherwise."""
        if not hasattr(self, "cleaned_data"):  # an unbound form, shown with an error
            self.full_clean()
            self.cleaned_data = {}
        if error.fields:
            for name, messages in error.fields.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            self.add_error(None, error.message)
        self._mark_invalid()


class DateInRangeField(forms.DateField):
    """A date the platform can store and compute with (``kernel.parsing``'s range: 1900 to 2200)."""

    def to_python(self, value: Any) -> Any:
        day = super().to_python(value)
        if day is not None and not MIN_DATE <= day <= MAX_DATE:
            raise forms.ValidationError(_("Enter a date between 1900 and 2200."), code="out_of_range")
        return day
