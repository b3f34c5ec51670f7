"""``establishment_offboard``: delete an establishment whose data are safe in a current export."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from mbn_platform.kernel.tenancy import access_cache_clear
from shared_apps.identity.models import Membership
from tenants.models import Establishment
from tenants.offboarding.archives import ArchiveInvalid, Manifest, archive_verify
from tenants.offboarding.locations import export_key_normalize, exports_location
from tenants.offboarding.records import files_delete, memberships_of, stored_files
from tenants.offboarding.schema_dumps import schema_stats, snapshot_connection
from tenants.uai import uai_normalize

logger = logging.getLogger(__name__)


def fetch_verified(key: str, workdir: Path) -> tuple[Manifest, Path, str]:
    path, recorded = exports_location().fetch(key=key, workdir=workdir)
    return archive_verify(path, expected_sha256=recorded), path, recorded


def _changes_since(manifest: Manifest, *, establishment: Establishment, storage: Storage) -> list[str]:
    changes: list[str] = []
    with snapshot_connection() as conn:
        if schema_stats(conn, establishment.schema_name) != dict(manifest.tables):
            changes.append(_("database rows"))
    if stored_files(storage, establishment.schema_name) != {
        f"{establishment.schema_name}/{f.name}": f.size for f in manifest.files
    }:
        changes.append(_("files"))
    if set(memberships_of(establishment)) != set(manifest.memberships):
        changes.append(_("memberships"))
    return changes


def establishment_offboard(
    *,
    actor: Actor | None,
    establishment: Establishment,
    confirm_uai: str,
    export_key: str,
    storage: Storage | None = None,
) -> None:
    """Delete an establishment whose data are safe in an export, once its UAI has been typed again."""
    storage = storage or default_storage
    if uai_normalize(confirm_uai or "") != establishment.uai:
        raise ValidationFailed(
            _("The confirmation does not match."),
            fields={"confirm_uai": [_("Type the establishment's UAI code to confirm.")]},
        )
    key = export_key_normalize(export_key)
    with tempfile.TemporaryDirectory(prefix="mbn-offboard-") as workdir:
        manifest, _path, sha256 = fetch_verified(key, Path(workdir))
    if manifest.uai != establishment.uai or manifest.schema != establishment.schema_name:
        raise ArchiveInvalid(_("This export is not one of this establishment."))
    changes = _changes_since(manifest, establishment=establishment, storage=storage)
    if changes:
        message = _(
            "The establishment changed since this export (%(changes)s): suspend it, export it again, "
            "then offboard it with the new export."
        ) % {"changes": ", ".join(changes)}
        raise Conflict(message, code=ErrorCode.EXPORT_OUTDATED, fields={"export_key": [message]})

    schema = establishment.schema_name
    with transaction.atomic():
        locked = Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
        if locked is None:
            raise Conflict(_("This establishment no longer exists."), code=ErrorCode.GONE)
        user_ids = sorted(
            set(Membership.objects.filter(establishment=locked).values_list("user_id", flat=True))
        )
        audit_record(
            actor=actor,
            action="establishment.offboard",
            establishment=locked,
            target=locked,
            details={
                "uai": locked.uai,
                "name": locked.name,
                "schema": schema,
                "export_key": key,
                "export_sha256": sha256,
                "domains": [d.domain for d in manifest.domains],
                "files": len(manifest.files),
                "member_user_ids": user_ids,
                "public_rows": dict(manifest.public_rows),
            },
        )
        establishment_id = locked.pk
        tenant_db().set_schema_to_public()
        locked.delete(force_drop=True)  # drops the schema; domains, memberships... cascade
        transaction.on_commit(_after_offboard(storage, schema, establishment_id, user_ids))


def _after_offboard(
    storage: Storage, schema: str, establishment_id: int, user_ids: list[int]
) -> Callable[[], None]:
    def run() -> None:
        for user_id in user_ids:
            access_cache_clear(user_id=user_id, establishment_ids=[establishment_id])
        try:
            files_delete(storage, schema)
        except Exception as error:
            logger.exception("offboarding: files under %s/ were not all deleted", schema)
            raise Conflict(
                _(
                    "The establishment was offboarded, but some of its files under %(prefix)s could not "
                    "be deleted (%(error)s): delete them by hand."
                )
                % {"prefix": f"{schema}/", "error": error},
                code=ErrorCode.FILES_LEFT,
            ) from error

    return run
