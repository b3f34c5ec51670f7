"""Web forms of the desk's pages: input shape only (the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.forms import AccessibleForm
from shared_apps.identity.roles import Role
from tenant_apps.forms import files
from tenant_apps.forms.models import Audience, FormKind, Question, QuestionKind
from tenant_apps.forms.permissions import READER_CHOICES
from tenant_apps.forms.values import field_name
from tenant_apps.school.models import SchoolClass

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NewForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=FormKind.choices)
    description = forms.CharField(
        label=_("Description (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    audience = forms.ChoiceField(label=_("Addressed to"), choices=Audience.choices)
    classes = forms.ModelMultipleChoiceField(
        label=_("Classes"), queryset=SchoolClass.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=WHEN, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    reader_roles = forms.MultipleChoiceField(
        label=_("Who reads the answers"),
        choices=[(r, Role(r).label) for r in sorted(READER_CHOICES)],
        widget=forms.CheckboxSelectMultiple,
    )
    retention_days = forms.IntegerField(
        label=_("Answers kept (days after the deadline)"), min_value=1, max_value=3650, initial=365
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line: kind; wording; answers to choose from separated by | (choice), or the file types "
            "accepted among pdf|png|jpg (file). Kinds: text, number, choice, date, acknowledgement, file. "
            "Start the line with ? for an optional question."
        ),
    )

    def clean_questions(self) -> list[dict[str, Any]]:
        parsed = []
        for n, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            if not line.strip():
                continue
            optional = line.lstrip().startswith("?")
            parts = [p.strip() for p in line.lstrip().lstrip("?").split(";")]
            if len(parts) < 2 or parts[0] not in QuestionKind.values:
                raise forms.ValidationError(_("Line %(n)s: write the kind, then the wording.") % {"n": n})
            listed = [c.strip() for c in parts[2].split("|") if c.strip()] if len(parts) > 2 else []
            question = {"kind": parts[0], "label": parts[1], "required": not optional, "choices": listed}
            if parts[0] == QuestionKind.FILE:
                question.update(choices=[], file_types=[t.lower() for t in listed])
            parsed.append(question)
        return parsed


class AnswerForm(AccessibleForm):
    """One field per question (``q<id>``)."""

    def __init__(self, *args: Any, questions: list[Question], disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            field: forms.Field
            if q.kind == QuestionKind.ACKNOWLEDGEMENT:
                field = forms.BooleanField(label=q.label, required=False)
            elif q.kind == QuestionKind.FILE:
                field = forms.FileField(
                    label=q.label,
                    required=False,
                    help_text=files.help_text(q),
                    widget=forms.FileInput(attrs={"accept": files.accept_attribute(q)}),
                )
            elif q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    label=q.label, choices=[("", "—"), *[(c, c) for c in q.choices]], required=False
                )
            elif q.kind == QuestionKind.DATE:
                field = forms.CharField(
                    label=q.label, required=False, widget=forms.DateInput(attrs={"type": "date"})
                )
            elif q.kind == QuestionKind.NUMBER:
                field = forms.CharField(
                    label=q.label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
                )
            else:
                field = forms.CharField(
                    label=q.label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
                )
            if q.required:
                field.label = f"{q.label} *"
            field.disabled = disabled
            self.fields[field_name(q)] = field


class ReplyForm(AccessibleForm):
    reply = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    certificate = forms.BooleanField(label=_("Issue the school certificate (PDF)"), required=False)
