"""Celery tasks of directory imports (thin: they call a service). The activation e-mails' task is
in ``activation_tasks.py``, the académies' feeds' in ``aaf/tasks.py`` (imported here so that the
worker, which discovers each app's ``tasks`` module, registers them)."""

from __future__ import annotations

from celery import shared_task

from shared_apps.directory.aaf.tasks import aaf_feed_task, aaf_feeds_tick_task
from shared_apps.directory.activation_tasks import activation_emails_task
from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.reaper import directory_imports_reap

__all__ = [
    "aaf_feed_task",
    "aaf_feeds_tick_task",
    "activation_emails_task",
    "directory_import_task",
    "directory_imports_reap_task",
]


@shared_task(name="mbn.directory.import_run", acks_late=True)
def directory_import_task(import_id: int) -> str:
    """Apply a previewed import. Idempotent: an applied import is not applied again."""
    return str(directory_import_run(import_id).status)


@shared_task(name="mbn.directory.imports_reap")
def directory_imports_reap_task() -> dict[str, list[int]]:
    """Every minute (beat): apply again, or fail, the imports whose worker died."""
    reaped = directory_imports_reap()
    return {"resumed": reaped.resumed, "failed": reaped.failed}
