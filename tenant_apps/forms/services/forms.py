"""Forms: a manager builds one (questions of simple kinds), addressed to the guardians or the
students of chosen classes, with a deadline, a retention period and the staff roles that read
the answers; publishes it (the people addressed are told), closes it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_values
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.forms.files import FILE_TYPES, file_types_check
from tenant_apps.forms.models import Audience, Form, FormKind, FormStatus, Question, QuestionKind
from tenant_apps.forms.permissions import FORM_MANAGERS, READER_CHOICES
from tenant_apps.forms.services.common import acting_member, audit, recipients_of
from tenant_apps.school.models import SchoolClass

MAX_QUESTIONS = 40
TYPES = ", ".join(FILE_TYPES)


def _questions_check(questions: list[dict[str, Any]]) -> list[str]:
    errors = []
    if not questions or len(questions) > MAX_QUESTIONS:
        errors.append(str(_("Give between 1 and 40 questions.")))
    for n, q in enumerate(questions, start=1):
        if q.get("kind") not in QuestionKind.values or not str(q.get("label", "")).strip():
            errors.append(str(_("Question %(n)s: give its kind and its wording.") % {"n": n}))
        elif (
            q["kind"] == QuestionKind.CHOICE and len([c for c in q.get("choices", []) if str(c).strip()]) < 2
        ):
            errors.append(str(_("Question %(n)s: give at least two answers to choose from.") % {"n": n}))
        elif q["kind"] == QuestionKind.FILE and not file_types_check(q.get("file_types") or []):
            errors.append(
                str(_("Question %(n)s: the file types are among %(types)s.") % {"n": n, "types": TYPES})
            )
    return errors


@transaction.atomic
def form_create(
    *,
    actor: Actor | None,
    title: str,
    kind: str,
    audience: str,
    classes: list[SchoolClass],
    deadline: datetime.datetime,
    questions: list[dict[str, Any]],
    reader_roles: list[str],
    description: str = "",
    retention_days: int = 365,
    reminder_days: int = 3,
) -> Form:
    author = acting_member(actor, FORM_MANAGERS)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [str(_("Give the form a title."))]
    if kind not in FormKind.values:
        errors["kind"] = [str(_("Unknown kind."))]
    if audience not in Audience.values:
        errors["audience"] = [str(_("Address the form to guardians or to students."))]
    if not classes:
        errors["classes"] = [str(_("Choose the classes addressed."))]
    if deadline <= timezone.now():
        errors["deadline"] = [str(_("The deadline must be in the future."))]
    if not reader_roles or not set(reader_roles) <= READER_CHOICES:
        errors["reader_roles"] = [str(_("Name the staff roles that read the answers."))]
    if not 1 <= retention_days <= 3650:
        errors["retention_days"] = [str(_("Between 1 and 3650 days."))]
    question_errors = _questions_check(questions)
    if question_errors:
        errors["questions"] = question_errors
    if errors:
        raise ValidationFailed(fields=errors)
    form = Form.objects.create(
        title=title.strip()[:150],
        kind=kind,
        description=description.strip(),
        audience=audience,
        deadline=deadline,
        reader_roles=sorted(set(reader_roles)),
        retention_days=retention_days,
        reminder_days=reminder_days,
        created_by=author,
    )
    form.classes.set(classes)
    Question.objects.bulk_create(
        [
            Question(
                form=form,
                position=n,
                kind=q["kind"],
                label=str(q["label"]).strip()[:300],
                required=bool(q.get("required", True)),
                choices=[str(c).strip()[:100] for c in q.get("choices", []) if str(c).strip()],
                file_types=sorted(set(q.get("file_types") or [])) if q["kind"] == QuestionKind.FILE else [],
            )
            for n, q in enumerate(questions)
        ]
    )
    audit(
        actor,
        "forms.form_created",
        form,
        {
            **audit_values({"title": form.title, "kind": kind, "audience": audience, "deadline": deadline}),
            "classes": sorted(c.pk for c in classes),
            "reader_roles": form.reader_roles,
            "questions": len(questions),
        },
    )
    return form


@transaction.atomic
def form_publish(*, actor: Actor | None, form: Form) -> Form:
    """Publish: the people addressed are told (guardians for each child, or the students)."""
    acting_member(actor, FORM_MANAGERS)
    form = Form.objects.select_for_update().get(pk=form.pk)
    if form.status != FormStatus.DRAFT:
        raise Conflict(_("This form was published already."), code=ErrorCode.INVALID_TRANSITION)
    form.status = FormStatus.PUBLISHED
    form.save(update_fields=["status"])
    audit(actor, "forms.form_published", form, {"changes": {"status": {"from": "draft", "to": "published"}}})
    notify(
        actor=actor,
        type=NotificationType.FORM,
        recipients=recipients_of(form),
        title=Text(gettext_noop("New form to fill in: %(title)s"), title=form.title),
        body=Text(gettext_noop("To answer by %(deadline)s."), deadline=timezone.localtime(form.deadline)),
        link=f"/forms/{form.pk}/",
        source=f"form:{form.pk}:published",
    )
    return form


@transaction.atomic
def form_close(*, actor: Actor | None, form: Form) -> Form:
    acting_member(actor, FORM_MANAGERS)
    form = Form.objects.select_for_update().get(pk=form.pk)
    if form.status != FormStatus.PUBLISHED:
        raise Conflict(_("Only a published form is closed."), code=ErrorCode.INVALID_TRANSITION)
    form.status = FormStatus.CLOSED
    form.save(update_fields=["status"])
    audit(actor, "forms.form_closed", form, {"changes": {"status": {"from": "published", "to": "closed"}}})
    return form
