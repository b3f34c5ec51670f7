"""Celery tasks of billing (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task

from shared_apps.billing.metering import metering_catch_up


@shared_task(name="mbn.billing.metering_catch_up", acks_late=True)
def metering_catch_up_task() -> list[str]:
    """Record yesterday's usage, and any day missed before it (idempotent). Run by the beat."""
    return [day.isoformat() for day in metering_catch_up(actor=None)]
