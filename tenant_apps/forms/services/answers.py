"""Answers: a guardian fills a form for a child (a student for themself), saves a draft, then
submits it (every required answer, before the deadline; submitted once); staff who read the
form's answers reply to a request, a school certificate issued as a PDF."""

from __future__ import annotations

import datetime
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from shared_apps.identity.roles import STAFF_ROLES, Role
from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.forms.certificates import certificate_pdf
from tenant_apps.forms.files import answer_files_store, stored_name, uploads_check
from tenant_apps.forms.models import (
    Answer,
    AnswerStatus,
    Audience,
    Form,
    FormKind,
    FormStatus,
    Question,
    QuestionKind,
)
from tenant_apps.forms.permissions import RESPONDENTS
from tenant_apps.forms.selectors import children_acting, may_read_answers
from tenant_apps.forms.services.common import acting_member, audit
from tenant_apps.forms.values import answers_check, field_name
from tenant_apps.school.models import Member


def _may_answer(form: Form, respondent: Member, child: Member) -> None:
    roles = set(respondent.roles or [])
    if form.audience == Audience.STUDENTS:
        allowed = Role.STUDENT in roles and child.pk == respondent.pk
    else:
        allowed = Role.GUARDIAN in roles and child.pk in {
            c.pk for c in children_acting(guardian_user_id=respondent.user_id)
        }
    if not allowed or not form.classes.filter(pk=child.school_class_id or 0).exists():
        raise ValidationFailed(fields={"child": [str(_("This form is not for this child."))]})


def _file_values(
    questions: list[Question], checked: Mapping[int, Any], answer: Answer | None
) -> dict[str, Any]:
    """A file question's value: the name of the file sent now, else of the file kept from the
    draft (never a name the sender typed)."""
    kept = answer.values if answer is not None else {}
    values = {}
    for q in questions:
        if q.kind == QuestionKind.FILE:
            sent = checked.get(q.pk)
            values[field_name(q)] = stored_name(sent[1], sent[2]) if sent else kept.get(str(q.pk), "")
    return values


@transaction.atomic
def answer_save(
    *,
    actor: Actor | None,
    form: Form,
    child: Member,
    given: Mapping[str, Any],
    submit: bool,
    files: Mapping[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Answer:
    """Save a draft or submit. ``files``: the uploads for the file questions (by field
    ``q<id>``); a draft keeps its files, a file sent again replaces the previous one."""
    now = now or timezone.now()
    respondent = acting_member(actor, RESPONDENTS)
    _may_answer(form, respondent, child)
    if form.status != FormStatus.PUBLISHED:
        raise Conflict(_("This form is not open for answers."), code=ErrorCode.FORM_CLOSED)
    if now > form.deadline:
        raise Conflict(_("The deadline of this form has passed."), code=ErrorCode.FORM_DEADLINE_PASSED)
    answer = Answer.objects.select_for_update().filter(form=form, child=child).first()
    if answer is not None and answer.status == AnswerStatus.SUBMITTED:
        raise Conflict(_("This form was submitted already."), code=ErrorCode.ALREADY_SUBMITTED)
    questions = list(form.questions.all())
    checked, file_errors = uploads_check(questions, files or {})
    given = ChainMap(_file_values(questions, checked, answer), dict(given.items()))
    values, errors = answers_check(questions, given, submit=submit)
    errors.update(file_errors)
    if errors:
        raise ValidationFailed(fields=errors)
    status = AnswerStatus.SUBMITTED if submit else AnswerStatus.DRAFT
    if answer is None:
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    form=form, child=child, respondent=respondent, values=values, status=status
                )
        except IntegrityError as exc:
            raise Conflict(
                _("This form was answered meanwhile: reload it."), code=ErrorCode.CONFLICT
            ) from exc
    else:
        answer.values, answer.status, answer.respondent = values, status, respondent
    answer.submitted_at = now if submit else None
    answer.save()
    answer_files_store(answer, checked)
    # The answers are personal data: the audit names the form and the child, not the values.
    audit(
        actor,
        "forms.answer_submitted" if submit else "forms.answer_saved",
        answer,
        {"form": form.pk, "child": child.pk, "status": status, "files_sent": sorted(checked)},
    )
    return answer


@transaction.atomic
def answer_reply(*, actor: Actor | None, answer: Answer, reply: str, certificate: bool = False) -> Answer:
    """Staff who read the form's answers reply to a submitted request; for a school certificate
    request, the certificate is issued as a PDF the guardian downloads."""
    member = acting_member(actor, STAFF_ROLES)
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("form", "child__school_class")
        .get(pk=answer.pk)
    )
    if not may_read_answers(answer.form, frozenset(member.roles or [])):
        raise NotFound()
    if answer.status != AnswerStatus.SUBMITTED:
        raise Conflict(_("Only a submitted answer is replied to."), code=ErrorCode.INVALID_TRANSITION)
    if certificate and answer.form.kind != FormKind.CERTIFICATE:
        raise ValidationFailed(
            fields={"certificate": [str(_("Only a certificate request is answered with a certificate."))]}
        )
    if not reply.strip() and not certificate:
        raise ValidationFailed(fields={"reply": [str(_("Write the reply."))]})
    answer.reply = reply.strip()
    answer.replied_at = timezone.now()
    if certificate:
        if answer.document:
            answer.document.delete(save=False)
        answer.document.save(
            f"certificate-{answer.pk}.pdf",
            ContentFile(certificate_pdf(answer=answer, signed_by=member)),
            save=False,
        )
    answer.save(update_fields=["reply", "replied_at", "document"])
    audit(actor, "forms.answer_replied", answer, {"form": answer.form_id, "certificate": certificate})
    notify(
        actor=actor,
        type=NotificationType.FORM,
        recipients=[answer.respondent.user_id],
        title=Text(gettext_noop("Reply to your request: %(title)s"), title=answer.form.title),
        body=Text(
            gettext_noop("The establishment replied about %(child)s."), child=answer.child.display_name
        ),
        link=f"/forms/{answer.form_id}/answers/{answer.child.user_id}/",
        about_user_id=answer.child.user_id,
    )
    return answer
