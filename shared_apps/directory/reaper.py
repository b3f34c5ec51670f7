"""Directory imports whose worker died: found by their lease, applied again or failed visibly.

An import being applied holds the establishment's advisory lock (``import_run``) in its
transaction; PostgreSQL releases it, and rolls back everything the import wrote, when the worker's
connection ends. An import still ``applying`` whose establishment lock is free has therefore lost
its worker, and nothing of it is applied. The reaper (a beat task, every minute) enqueues it again
— applying is idempotent — or, once it has been started ``MAX_ATTEMPTS`` times, marks it failed
with a message. Each is recorded in the audit log. Imports of an académie's feed run are left to
the feed, which resumes its own runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import audit_record
from shared_apps.directory.import_run import ADVISORY_LOCK_NAMESPACE
from shared_apps.directory.models import DirectoryImport, ImportStatus

MAX_ATTEMPTS = 4


@dataclass
class Reaped:
    resumed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def directory_imports_reap(*, max_attempts: int = MAX_ATTEMPTS, limit: int = 200) -> Reaped:
    """Enqueue again, or fail, the imports left ``applying`` by a worker that died."""
    reaped = Reaped()
    applying = DirectoryImport.objects.filter(status=ImportStatus.APPLYING, feed_run__isnull=True)
    for import_id, establishment_id in applying.order_by("pk").values_list("pk", "establishment_id")[:limit]:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, establishment_id]
                )
                if not cursor.fetchone()[0]:
                    continue  # an import of this establishment is being applied: alive
            found = (
                DirectoryImport.objects.select_for_update(skip_locked=True)
                .select_related("establishment")
                .filter(pk=import_id, status=ImportStatus.APPLYING)
                .first()
            )
            if found is None:
                continue
            if found.attempts >= max_attempts:
                found.status = ImportStatus.FAILED
                found.errors = [
                    {
                        "file": "",
                        "line": None,
                        "field": "",
                        "message": _(
                            "The import stopped %(count)s times before it ended (its worker died); "
                            "nothing was changed. Preview it again."
                        )
                        % {"count": found.attempts},
                    }
                ]
                found.save(update_fields=["status", "errors"])
                reaped.failed.append(import_id)
                action = "directory.import_abandoned"
            else:
                reaped.resumed.append(import_id)
                action = "directory.import_resumed"
            audit_record(
                actor=None,
                action=action,
                establishment=found.establishment,
                target=found,
                details={"import_id": import_id, "attempts": found.attempts},
            )
    # Enqueued after the commit, once the locks are released (by name: tasks.py runs the reaper).
    for import_id in reaped.resumed:
        current_app.send_task(
            "mbn.directory.import_run", args=(import_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE
        )
    return reaped
