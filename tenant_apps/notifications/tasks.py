"""Celery tasks of the notifications (thin: they call the delivery services). Enqueued on commit,
carrying the establishment's schema; idempotent (deliveries are claimed once)."""

from __future__ import annotations

from celery import shared_task
from django_tenants.utils import schema_context

from tenant_apps.notifications.delivery import deliveries_expire_lost, deliveries_send_due, notification_plan
from tenant_apps.notifications.digest import digest_run
from tenants.selectors import establishments_serving


@shared_task(
    name="mbn.notifications.deliver",
    acks_late=True,
    autoretry_for=(OSError,),  # SMTP errors are OSErrors
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def notification_deliver_task(notification_id: int) -> int:
    """Plan a notification's deliveries (once), send what is due now, and come back at the end of
    the quiet hours for what is held."""
    for when in notification_plan(notification_id=notification_id):
        deliveries_due_task.apply_async(eta=when)
    return deliveries_send_due(notification_id=notification_id)


@shared_task(
    name="mbn.notifications.send_due",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def deliveries_due_task() -> int:
    """Send every due delivery of the schema (held ones whose quiet hours ended)."""
    return deliveries_send_due()


@shared_task(name="mbn.notifications.sweep", acks_late=True)
def deliveries_sweep_task() -> int:
    """Every half hour, each establishment: what a lost task left behind (held deliveries now
    due; claims of a dead worker marked unknown)."""
    sent = 0
    for establishment in establishments_serving():
        with schema_context(establishment.schema_name):
            deliveries_expire_lost()
            sent += deliveries_send_due()
    return sent


@shared_task(
    name="mbn.notifications.digest",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def digest_task() -> int:
    """The daily digest of every establishment (one e-mail per person across their schools)."""
    return digest_run(establishments=list(establishments_serving()))
