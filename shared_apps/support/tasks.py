"""Celery tasks of the support desk (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task

from shared_apps.support.impersonation import impersonations_expire_due
from shared_apps.support.notifications import support_reply_notification_send


@shared_task(
    name="mbn.support.reply_notify",
    acks_late=True,
    autoretry_for=(OSError,),  # SMTP errors are OSErrors
    retry_backoff=True,
    max_retries=5,
)
def support_reply_notify_task(reply_id: int) -> int:
    """E-mail a reply to the other side of the request. Idempotent: a reply is sent once."""
    return support_reply_notification_send(reply_id=reply_id)


@shared_task(name="mbn.support.impersonations_expire", acks_late=True)
def impersonations_expire_task() -> int:
    """End impersonations past their time limit (requests made during one also end it)."""
    return impersonations_expire_due()
