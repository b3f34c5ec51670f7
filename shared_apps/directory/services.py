"""Directory imports: preview (parse, check, diff: ``previewing.py``) and apply (queues the run:
``import_run.py``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.directory.models import DirectoryImport, ImportStatus
from shared_apps.directory.parsers import parse_files
from shared_apps.directory.previewing import DirectoryFilesInvalid, directory_preview
from shared_apps.directory.tasks import directory_import_task
from shared_apps.identity.locks import identity_write_check
from tenants.models import Establishment

logger = logging.getLogger(__name__)

__all__ = ["DirectoryFilesInvalid", "directory_import_apply", "directory_import_preview"]

MAX_FILES = 8
MAX_FILE_BYTES = 20 * 1024 * 1024


def _check_upload(files: Sequence[tuple[str, bytes]]) -> None:
    if not files:
        raise ValidationFailed(fields={"files": [_("Choose at least one file.")]})
    if len(files) > MAX_FILES:
        raise ValidationFailed(fields={"files": [_("At most %(n)d files at once.") % {"n": MAX_FILES}]})
    for name, data in files:
        if len(data) > MAX_FILE_BYTES:
            raise ValidationFailed(fields={"files": [_("%(name)s is larger than 20 MB.") % {"name": name}]})


def directory_import_preview(
    *, actor: Actor | None, establishment: Establishment, files: Sequence[tuple[str, bytes]]
) -> DirectoryImport:
    """Parse and check the files, and compute what applying them would change. Nothing else is
    written: the import keeps the parsed content, so applying needs no upload again.

    A row that cannot be read is skipped where that is safe, and listed (``skipped``); what cannot
    be skipped refuses the whole import (``DirectoryFilesInvalid``, with each file and line), and
    so does a reference the database cannot resolve (an unknown teacher id, class, group or
    subject of a teaching assignment); the refused import is kept, failed, with its errors.
    """
    _check_upload(files)
    directory = parse_files([(name, data) for name, data in files])
    return directory_preview(actor=actor, establishment=establishment, directory=directory)


@transaction.atomic
def directory_import_apply(*, actor: Actor | None, directory_import: DirectoryImport) -> DirectoryImport:
    """Queue the application of a previewed import (a Celery task, once this transaction commits).

    Idempotent: an applied import is left as it is; one being applied is queued again (the task
    does nothing twice). Never while impersonating: an import changes e-mail addresses.
    """
    identity_write_check()
    locked = DirectoryImport.objects.select_for_update().get(pk=directory_import.pk)
    if locked.status == ImportStatus.APPLIED:
        return locked
    if not locked.content:
        raise Conflict(
            _("This import was refused: correct the files and upload them again."),
            code=ErrorCode.IMPORT_REFUSED,
        )
    if locked.feed_run_id is not None:
        raise Conflict(
            _("This import comes from the académie's feed: its run applies it."),
            code=ErrorCode.IMPORT_REFUSED,
        )
    newer = DirectoryImport.objects.filter(
        establishment_id=locked.establishment_id,
        status=ImportStatus.APPLIED,
        applied_at__gt=locked.created_at,
    ).exists()
    if newer:
        raise Conflict(
            _("Another import was applied since this preview: upload the files again."),
            code=ErrorCode.IMPORT_STALE,
        )
    locked.status = ImportStatus.APPLYING
    locked.errors = []
    locked.save(update_fields=["status", "errors"])
    audit_record(
        actor=actor, action="directory.import_apply", establishment=locked.establishment, target=locked
    )
    import_id = locked.pk
    transaction.on_commit(
        lambda: directory_import_task.apply_async(args=(import_id,), queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    )
    return locked
