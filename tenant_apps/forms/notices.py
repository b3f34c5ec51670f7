"""Reminders of forms through the notification service: a few days before a form's deadline
(``Form.reminder_days``), the people addressed who have not submitted their answer are told,
once (``Form.reminded_at``, and the notification's ``source``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tenants.utils import tenant_context

from shared_apps.notifications.service import notify
from shared_apps.notifications.text import Text
from shared_apps.notifications.types import NotificationType
from tenant_apps.forms.models import Answer, AnswerStatus, Form, FormStatus
from tenant_apps.forms.services.common import recipients_of


def form_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind, in the schema selected; returns the forms reminded."""
    now = now or timezone.now()
    count = 0
    for form in Form.objects.filter(status=FormStatus.PUBLISHED, reminded_at__isnull=True, deadline__gt=now):
        if form.deadline - datetime.timedelta(days=form.reminder_days) > now:
            continue
        with transaction.atomic():
            locked = Form.objects.select_for_update().filter(pk=form.pk, reminded_at__isnull=True).first()
            if locked is None:
                continue
            done = set(
                Answer.objects.filter(form=form, status=AnswerStatus.SUBMITTED).values_list(
                    "child_id", flat=True
                )
            )
            notify(
                actor=None,
                type=NotificationType.FORM,
                recipients=recipients_of(form, exclude_child_ids=done),
                title=Text(gettext_noop("Reminder: %(title)s"), title=form.title),
                body=Text(
                    gettext_noop("To answer by %(deadline)s."), deadline=timezone.localtime(form.deadline)
                ),
                link=f"/forms/{form.pk}/",
                source=f"form:{form.pk}:reminder",
            )
            Form.objects.filter(pk=form.pk).update(reminded_at=now)
            count += 1
    return count


def form_reminders_everywhere(*, now: datetime.datetime | None = None) -> int:
    from tenants.models import Establishment, EstablishmentStatus

    total = 0
    for school in Establishment.objects.filter(status=EstablishmentStatus.ACTIVE).order_by("pk"):
        with tenant_context(school):
            total += form_reminders_send(now=now)
    return total
