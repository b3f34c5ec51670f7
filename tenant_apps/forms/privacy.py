"""What the desk holds about people (``mbn_platform.kernel.privacy``): the answers to forms, kept
for the retention period each form sets after its deadline, then purged by the daily retention
run (``shared_apps/privacy/retention.py``: an audit entry per rule, and one per form here)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.privacy import ESTABLISHMENT, ExportPart, Processing, privacy_register
from mbn_platform.kernel.tenancy import schema_name
from tenant_apps.forms.files import answer_files_delete
from tenant_apps.forms.models import Answer, Form


def _export(user_ids: frozenset[int]) -> list[ExportPart]:
    """The person's answers, and the files sent with them (``files/form-<id>-<question>-<name>``)."""
    answers = list(
        Answer.objects.filter(child__user_id__in=user_ids)
        .select_related("form", "child")
        .prefetch_related("files")
    )
    rows, files = [], []
    for a in answers:
        names = {}
        for stored in a.files.all():
            name = f"form-{a.form_id}-{a.child.user_id}-{stored.question_id}-{stored.name}"
            try:
                with stored.file.open("rb") as handle:
                    files.append((name, handle.read()))
            except OSError:  # a stored object lost: the export still names it
                continue
            names[str(stored.question_id)] = name
        rows.append(
            {
                "form": a.form.title,
                "child": a.child.display_name,
                "status": a.status,
                "values": a.values,
                "files": names,
                "reply": a.reply,
            }
        )
    return [ExportPart("forms", rows, files)]


def _establishment() -> Any:
    """The establishment of the schema selected (the retention run selects it by name only)."""
    from tenants.models import Establishment

    return schema_establishment() or Establishment.objects.filter(schema_name=schema_name()).first()


def answers_purge(now: datetime.datetime) -> int:
    """The answers (their files and certificates) of forms whose deadline is older than their retention."""
    kept = ExpressionWrapper(F("retention_days") * datetime.timedelta(days=1), output_field=DurationField())
    due = Form.objects.filter(purged_at__isnull=True).annotate(kept=kept).filter(deadline__lt=now - F("kept"))
    removed = 0
    establishment = _establishment()
    for form in due:
        answers = Answer.objects.filter(form=form)
        for answer in answers.exclude(document=""):
            answer.document.delete(save=False)
        answer_files_delete(answers)
        count = answers.count()
        answers.delete()
        Form.objects.filter(pk=form.pk).update(purged_at=now)
        audit_record(
            actor=None,
            action="forms.answers_purged",
            establishment=establishment,
            target=form,
            details={"answers": count, "retention_days": form.retention_days},
        )
        removed += count
    return removed


def register() -> None:
    privacy_register(
        Processing(
            key="forms.answers",
            name=_("Forms and requests"),
            purpose=_(
                "Collect the families' answers to the establishment's forms and answer their requests."
            ),
            legal_basis=_("Public interest task (education code), consent for image rights."),
            data=[
                _("answers to the form's questions"),
                _("files sent with them"),
                _("replies and certificates"),
            ],
            people=[_("guardians"), _("students")],
            recipients=[_("the staff roles each form names")],
            retention=_("The period set on each form, counted from its deadline."),
            scope=ESTABLISHMENT,
            export=_export,
            purge=answers_purge,
        )
    )
