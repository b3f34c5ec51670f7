"""Celery tasks of directory imports (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="mbn.directory.import_run", acks_late=True)
def directory_import_task(import_id: int) -> str:
    """Apply a previewed import. Idempotent: an applied import is not applied again."""
    from shared_apps.directory.services import directory_import_run

    return str(directory_import_run(import_id).status)


@shared_task(
    name="mbn.directory.activation_emails",
    acks_late=True,
    autoretry_for=(OSError,),  # SMTP errors are OSErrors
    retry_backoff=True,
    max_retries=5,
)
def activation_emails_task(establishment_id: int, user_ids: list[int]) -> int:
    """E-mail activation codes to imported people. Idempotent: nobody gets two codes."""
    from shared_apps.directory.activation_services import activation_emails_send
    from tenants.models import Establishment

    establishment = Establishment.objects.get(pk=establishment_id)
    return activation_emails_send(establishment=establishment, user_ids=user_ids)
