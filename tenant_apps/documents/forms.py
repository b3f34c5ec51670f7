"""Forms of the documents' pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from mbn_platform.kernel.uploads import DOCUMENT_TYPES_TEXT


class UploadForm(AccessibleForm):
    file = forms.FileField(label=_("File"), help_text=DOCUMENT_TYPES_TEXT)


class NameForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=200)


class FolderForm(AccessibleForm):
    name = forms.CharField(label=_("New folder's name"), max_length=200)


class MoveForm(AccessibleForm):
    """Where to: the library's root or one of its folders (``choices``: (id, path) pairs)."""

    destination = forms.TypedChoiceField(label=_("Move to"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["destination"]
        field.choices = [(0, _("The library's root")), *choices]
