"""Celery tasks of the notebook (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task
from django_tenants.utils import schema_context

from tenants.selectors import establishments_serving


@shared_task(
    name="mbn.homework.due_tomorrow",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def homework_due_tomorrow_task() -> int:
    """Every afternoon, each establishment: the homework due tomorrow (idempotent: once each)."""
    from tenant_apps.homework.notices import homework_due_tomorrow_notify

    made = 0
    for establishment in establishments_serving():
        with schema_context(establishment.schema_name):
            made += homework_due_tomorrow_notify()
    return made
