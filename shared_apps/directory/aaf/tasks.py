"""The feeds' Celery tasks (thin: they call ``runs.py``). The beat schedule runs the tick every
15 minutes at night (``CELERY_BEAT_SCHEDULE``); each feed is run by a task of its own."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from shared_apps.directory.aaf.runs import aaf_feed_run
from shared_apps.directory.models import AafFeed


@shared_task(name="mbn.directory.aaf_feed_run", acks_late=True)
def aaf_feed_task(feed_id: int) -> list[str]:
    """Resume the feed's unfinished run and read its new sets. Idempotent: what was applied is
    not applied again, and a feed another worker runs is left to it."""
    return [str(run.status) for run in aaf_feed_run(feed_id=feed_id)]


@shared_task(name="mbn.directory.aaf_feeds_tick")
def aaf_feeds_tick_task() -> int:
    """Queue a run of every feed that is not paused; returns how many."""
    feed_ids = list(AafFeed.objects.filter(paused=False).values_list("pk", flat=True))
    for feed_id in feed_ids:
        aaf_feed_task.apply_async(args=(feed_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    return len(feed_ids)
