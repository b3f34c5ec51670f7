"""Asking for a right-of-access archive (the archive itself: ``exports.py``, built by a task)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import NotFound
from shared_apps.identity.models import User
from shared_apps.privacy.exports import access_export_may_ask
from shared_apps.privacy.models import AccessExport
from shared_apps.privacy.tasks import access_export_task


@transaction.atomic
def access_export_request(*, actor: Actor, subject: User, postal: bool = False) -> AccessExport:
    """Queue an archive of everything held about ``subject`` (404 for anyone the actor may not ask for)."""
    if not access_export_may_ask(actor=actor, subject=subject):
        raise NotFound()
    export = AccessExport.objects.create(subject=subject, requested_by_id=actor.pk, postal=postal)
    audit_record(
        actor=actor,
        action="privacy.access_export_requested",
        target=subject,
        details={"export_id": export.pk, "postal": postal},
    )
    transaction.on_commit(
        lambda: access_export_task.apply_async(args=(export.pk,), queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    )
    return export
