"""Publications whose worker died or whose task message was lost: found by their lease, sent
again or failed visibly.

A publication being made holds its lease (``generation.publication_lease``) on its worker's
database connection; PostgreSQL releases it when that connection ends. So a publication still
``running`` whose lease is free has lost its worker (killed, out of memory), and one still
``queued`` long after its task was sent has lost its message (a broker that restarted empty).
The reaper (a beat task, every two minutes, each establishment) sends its task again — a run
resumes where the last one stopped, without making a card twice — or, once it has been started
``MAX_ATTEMPTS`` times, marks it failed, which the head sees on the publications page and may
publish again. Each is recorded in the audit log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.audit import audit_record
from tenant_apps.reportcards.generation import lease_key
from tenant_apps.reportcards.models import Publication, PublicationStatus
from tenants.models import Establishment
from tenants.selectors import establishments_serving

MAX_ATTEMPTS = 4
#: A publication still waiting this long after its task was sent has lost its message (a backlog
#: on report-card evening drains well within it; a second message would be harmless anyway).
QUEUED_LEASE = datetime.timedelta(minutes=10)


@dataclass
class Reaped:
    resumed: list[tuple[str, int]] = field(default_factory=list)  # (schema, publication)
    failed: list[tuple[str, int]] = field(default_factory=list)


def _reap_one(
    publication_id: int, *, establishment: Establishment, stale: datetime.datetime, max_attempts: int
) -> str | None:
    """'resumed', 'failed' or None (alive, or ended meanwhile), in the current schema."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", [lease_key(publication_id)]
            )
            if not cursor.fetchone()[0]:
                return None  # its worker holds the lease: alive
        found = (
            Publication.objects.select_for_update(skip_locked=True)
            .filter(pk=publication_id)
            .filter(
                Q(status=PublicationStatus.RUNNING)
                | Q(status=PublicationStatus.QUEUED, enqueued_at__lt=stale)
            )
            .first()
        )
        if found is None:
            return None
        if found.attempts >= max_attempts:
            found.status, found.finished_at = PublicationStatus.FAILED, timezone.now()
            found.save(update_fields=["status", "finished_at"])
            outcome = "failed"
        else:
            found.enqueued_at = timezone.now()
            found.save(update_fields=["enqueued_at"])
            outcome = "resumed"
        audit_record(
            actor=None,
            action=f"reportcards.publication_{'abandoned' if outcome == 'failed' else 'resumed'}",
            establishment=establishment,
            target=found,
            details={"publication": found.pk, "attempts": found.attempts, "done": found.done},
        )
    return outcome


def publications_reap(
    *, queued_lease: datetime.timedelta = QUEUED_LEASE, max_attempts: int = MAX_ATTEMPTS, limit: int = 200
) -> Reaped:
    """Send again, or fail, every establishment's publications left by a dead worker or a lost
    message; what was done."""
    reaped = Reaped()
    stale = timezone.now() - queued_lease
    for establishment in establishments_serving():
        with schema_context(establishment.schema_name):
            lost = Publication.objects.filter(
                Q(status=PublicationStatus.RUNNING)
                | Q(status=PublicationStatus.QUEUED, enqueued_at__lt=stale)
            ).order_by("pk")
            resumed = []
            for publication_id in lost.values_list("pk", flat=True)[:limit]:
                outcome = _reap_one(
                    publication_id, establishment=establishment, stale=stale, max_attempts=max_attempts
                )
                if outcome == "resumed":
                    resumed.append(publication_id)
                elif outcome == "failed":
                    reaped.failed.append((establishment.schema_name, publication_id))
            # Sent once the leases are released, by name (tasks.py runs the reaper); the schema
            # travels with the task.
            for publication_id in resumed:
                current_app.send_task(
                    "mbn.reportcards.publication_run",
                    args=(publication_id,),
                    queue=settings.CELERY_TASK_DEFAULT_QUEUE,
                )
                reaped.resumed.append((establishment.schema_name, publication_id))
    return reaped
