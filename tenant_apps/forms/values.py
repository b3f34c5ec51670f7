"""A form's answers checked question by question (the rule of each question kind): a draft keeps
what was given as it was typed; a submission needs every required answer, in its shape. A file
question's value is the name of the file stored (the service sets it, never the sender:
``tenant_apps.forms.files``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from mbn_platform.kernel.parsing import MAX_DATE, MIN_DATE
from tenant_apps.forms.models import Question, QuestionKind

MAX_TEXT = 2000


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _clean(question: Question, raw: Any) -> tuple[Any, str | None]:
    """(the value to keep, an error or None)."""
    if question.kind == QuestionKind.ACKNOWLEDGEMENT:
        return raw in (True, "true", "on", "1", 1), None
    text = "" if raw is None else str(raw).strip()
    if "\x00" in text or len(text) > MAX_TEXT:
        return "", _("This value is not allowed.")
    if not text:
        return "", None
    if question.kind == QuestionKind.NUMBER:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text, _("Enter a number.")
        if abs(number) > 1e9:
            return text, _("Enter a number.")
        return (int(number) if number.is_integer() else number), None
    if question.kind == QuestionKind.DATE:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            return text, _("Enter a date as YYYY-MM-DD.")
        if not MIN_DATE <= day <= MAX_DATE:
            return text, _("Enter a date between 1900 and 2200.")
        return day.isoformat(), None
    if question.kind == QuestionKind.CHOICE and text not in question.choices:
        return "", _("Choose one of the answers offered.")
    return text, None


def answers_check(
    questions: Iterable[Question], given: Mapping[str, Any], *, submit: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The values to keep (by question id) and the errors (by field ``q<id>``)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        name = field_name(question)
        value, error = _clean(question, given.get(name, given.get(str(question.pk))))
        values[str(question.pk)] = value
        if error:
            errors[name] = [error]
        elif submit and question.required and value in ("", False, None):
            message = {
                QuestionKind.ACKNOWLEDGEMENT: _("Tick the box to sign."),
                QuestionKind.FILE: _("Attach the file."),
            }.get(QuestionKind(question.kind), _("Answer this question."))
            errors[name] = [message]
    return values, errors
