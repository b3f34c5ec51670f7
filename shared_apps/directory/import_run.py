"""Running a directory import: the writes, in one transaction, one import at a time per
establishment (what the ``directory_import_task`` does), then the activation e-mails queued."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import audit_record
from shared_apps.directory.activation_tasks import activation_emails_task
from shared_apps.directory.applying import plan_apply
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.parsers import Directory, RowError
from shared_apps.directory.planning import plan_build
from tenants.models import Establishment

logger = logging.getLogger(__name__)

ADVISORY_LOCK_NAMESPACE = 7301  # pg_advisory_xact_lock(namespace, establishment id)


class _PlanRefused(Exception):
    """The database changed since the preview: a reference of the files no longer resolves."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("plan refused")
        self.errors = errors


class _Progress:
    """Progress written through a connection of its own, so that it is seen while the apply's
    transaction is still open. Best effort: a failure to report never fails the import."""

    def __init__(self, import_id: int, total: int) -> None:
        self.import_id, self.total = import_id, total
        self._connection: BaseDatabaseWrapper | None = None

    def __call__(self, done: int) -> None:
        try:
            if self._connection is None:
                self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE directory_directoryimport SET progress_done = %s, progress_total = %s "
                    "WHERE id = %s",
                    [min(done, self.total), self.total, self.import_id],
                )
        except DatabaseError:
            logger.warning("directory import %s: progress not recorded", self.import_id, exc_info=True)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def directory_import_run(import_id: int) -> DirectoryImport:
    """Apply an import: all of it in one transaction (a failure leaves nothing half-applied),
    one import at a time per establishment. Running it again changes nothing."""
    with transaction.atomic():
        directory_import = (
            DirectoryImport.objects.select_for_update().select_related("establishment").get(pk=import_id)
        )
        if directory_import.status == ImportStatus.APPLIED or not directory_import.content:
            return directory_import
        directory_import.status = ImportStatus.APPLYING
        directory_import.attempts += 1
        directory_import.save(update_fields=["status", "attempts"])
    establishment = directory_import.establishment
    progress = _Progress(import_id, directory_import.progress_total)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, establishment.pk]
                )
            directory_import.refresh_from_db()
            if directory_import.status == ImportStatus.APPLIED:
                return directory_import
            directory = Directory.from_json(directory_import.content)
            plan = plan_build(establishment=establishment, directory=directory)
            if plan.errors:
                raise _PlanRefused(plan.errors)
            progress.total = plan.total
            progress(0)
            plan_apply(establishment=establishment, plan=plan, progress=progress)
            directory_import.status = ImportStatus.APPLIED
            directory_import.applied_at = timezone.now()
            directory_import.counts = {**plan.counts(), **directory.skipped_counts()}
            directory_import.samples = plan.samples()
            directory_import.progress_done = directory_import.progress_total = plan.total
            directory_import.content = {}  # applied: the personal data stays only where it belongs
            directory_import.save()
            audit_record(
                actor=directory_import.uploaded_by,
                action="directory.import_applied",
                establishment=establishment,
                target=directory_import,
                details={"import_id": directory_import.pk, "counts": directory_import.counts},
            )
            # Staff first: they need to sign in soonest.
            people = [
                p.user_id
                for p in sorted(plan.people, key=lambda p: p.row.family != "staff")
                if p.user_id and p.action != "conflict"
            ]
    except _PlanRefused as refused:
        DirectoryImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, errors=[e.as_dict() for e in refused.errors]
        )
        directory_import.refresh_from_db()
        return directory_import
    except Exception:
        logger.exception("directory import %s failed", import_id)
        DirectoryImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED,
            errors=[
                {
                    "file": "",
                    "line": None,
                    "field": "",
                    "message": _("The import failed; nothing was changed."),
                }
            ],
        )
        directory_import.refresh_from_db()
        return directory_import
    finally:
        progress.close()
    _send_activation_emails(establishment, people)
    return directory_import


EMAIL_BATCH = 500


def _send_activation_emails(establishment: Establishment, user_ids: list[int]) -> None:
    """Queue the activation e-mails once the import is committed (in batches: one task each)."""

    def enqueue() -> None:
        for start in range(0, len(user_ids), EMAIL_BATCH):
            activation_emails_task.apply_async(
                args=(establishment.pk, user_ids[start : start + EMAIL_BATCH]),
                queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            )

    transaction.on_commit(enqueue)
