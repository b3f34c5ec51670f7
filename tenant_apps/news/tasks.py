"""Celery tasks of news (thin: they call a service)."""

from __future__ import annotations

from celery import shared_task
from django_tenants.utils import schema_context

from tenants.selectors import establishments_serving


@shared_task(
    name="mbn.news.tick",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def news_tick_task() -> int:
    """Every few minutes, each establishment: publish the scheduled news that is due, expire the
    news whose time is over (idempotent: a second run changes nothing)."""
    from tenant_apps.news.services import news_tick

    changed = 0
    for establishment in establishments_serving():
        with schema_context(establishment.schema_name):
            published, expired = news_tick()
            changed += published + expired
    return changed
