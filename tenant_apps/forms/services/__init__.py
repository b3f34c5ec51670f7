"""Writes of the administrative desk (the caller selects the schema): ``forms`` (create, publish,
close), ``answers`` (save a draft, submit, reply with a certificate). Every write takes ``actor``
and leaves one audit entry (``forms.…``; never the answers' values: they are personal data)."""

from __future__ import annotations

from tenant_apps.forms.services.answers import answer_reply, answer_save
from tenant_apps.forms.services.forms import form_close, form_create, form_publish

__all__ = ["answer_reply", "answer_save", "form_close", "form_create", "form_publish"]
