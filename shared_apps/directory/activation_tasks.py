"""The activation e-mails' Celery task (thin: it calls the service). Queued after an import and when
an establishment's admin creates an account with an address."""

from __future__ import annotations

from celery import shared_task

from shared_apps.directory.activation_services import activation_emails_send
from tenants.models import Establishment


@shared_task(
    name="mbn.directory.activation_emails",
    acks_late=True,
    autoretry_for=(OSError,),  # SMTP errors are OSErrors
    retry_backoff=True,
    max_retries=5,
)
def activation_emails_task(establishment_id: int, user_ids: list[int]) -> int:
    """E-mail activation codes to imported people. Idempotent: nobody gets two codes."""
    establishment = Establishment.objects.get(pk=establishment_id)
    return activation_emails_send(establishment=establishment, user_ids=user_ids)
