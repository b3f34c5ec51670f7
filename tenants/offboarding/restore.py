"""``establishment_restore``: an establishment re-created from its export, under a new schema."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from tarfile import TarInfo
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists
from psycopg import sql

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from mbn_platform.kernel.tenancy import access_cache_clear
from shared_apps.billing.funders import establishment_funder_assign
from shared_apps.identity.local_members import local_members
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tenants.models import Domain, Establishment, EstablishmentStatus, new_schema_name
from tenants.offboarding.archives import (
    CHUNK,
    FILES_DIR,
    PUBLIC_JSON,
    SCHEMA_SQL,
    ArchiveInvalid,
    Manifest,
    archive_members,
)
from tenants.offboarding.locations import export_key_normalize
from tenants.offboarding.offboard import fetch_verified
from tenants.offboarding.public_rows import public_rows_restore
from tenants.offboarding.records import files_delete
from tenants.offboarding.schema_dumps import psql_load, schema_stats, snapshot_connection
from tenants.schemas import (
    clone_names_align,
    schema_pending_migrations,
    template_schema_migrate,
    template_schema_name,
)
from tenants.subdomains import establishment_host, subdomain_validate
from tenants.uai import uai_normalize

logger = logging.getLogger(__name__)


def establishment_restore(
    *,
    actor: Actor | None,
    export_key: str,
    subdomain: str | None = None,
    uai: str | None = None,
    storage: Storage | None = None,
) -> Establishment:
    """Re-create an establishment from an export, under a new schema; nothing is left on failure."""
    if connection.in_atomic_block:
        raise RuntimeError(
            "establishment_restore loads the schema in another process: call it outside transactions."
        )
    storage = storage or default_storage
    key = export_key_normalize(export_key)
    with tempfile.TemporaryDirectory(prefix="mbn-restore-") as workdir:
        manifest, path, sha256 = fetch_verified(key, Path(workdir))
        _check_migrations_known(manifest)
        establishment = _restore_reserve(manifest, subdomain=subdomain, uai=uai)
        try:
            public_json = _restore_content(establishment, manifest=manifest, archive=path, storage=storage)
            with transaction.atomic():
                relinked, not_found = _memberships_restore(establishment, manifest)
                rows_restored, rows_left_out = public_rows_restore(
                    establishment=establishment, content=public_json, source_schema=manifest.schema
                )
                establishment.status = EstablishmentStatus.ACTIVE
                establishment.save(update_fields=["status", "updated_at"])
                audit_record(
                    actor=actor,
                    action="establishment.restore",
                    establishment=establishment,
                    target=establishment,
                    details={
                        "export_key": key,
                        "export_sha256": sha256,
                        "source_uai": manifest.uai,
                        "source_schema": manifest.schema,
                        "uai": establishment.uai,
                        "schema": establishment.schema_name,
                        "host": establishment_host(_restored_subdomain(manifest, subdomain)),
                        "files": len(manifest.files),
                        "memberships_relinked": len(relinked),
                        "people_not_found": not_found,
                        "public_rows_restored": rows_restored,
                        "public_rows_left_out": rows_left_out,
                    },
                )
        except BaseException:
            _restore_undo(establishment, storage=storage)
            raise
    for user_id in relinked:
        access_cache_clear(user_id=user_id, establishment_ids=[establishment.pk])
    return establishment


def _check_migrations_known(manifest: Manifest) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    for migration in loader.disk_migrations.values():
        known.update(f"{app}.{name}" for app, name in getattr(migration, "replaces", []) or [])
    unknown = [name for name in manifest.migrations if name not in known]
    if unknown:
        raise ArchiveInvalid(
            _("This export was made by a newer version of the platform (unknown migrations: %(names)s).")
            % {"names": ", ".join(unknown[:5])}
        )


def _restored_subdomain(manifest: Manifest, subdomain: str | None) -> str:
    return subdomain_validate(subdomain if subdomain is not None else manifest.primary_subdomain)


def _restore_reserve(manifest: Manifest, *, subdomain: str | None, uai: str | None) -> Establishment:
    """The new establishment's row and domain, committed in status provisioning (UAI and host taken)."""
    host = establishment_host(_restored_subdomain(manifest, subdomain))
    establishment = Establishment(
        schema_name=new_schema_name(),
        uai=uai_normalize(uai) if uai else manifest.uai,
        name=manifest.name,
        kind=manifest.kind,
        academie=manifest.academie,
        departement=manifest.departement,
        status=EstablishmentStatus.PROVISIONING,
    )
    try:
        establishment.full_clean(validate_unique=False)
    except ValidationError as error:
        raise ValidationFailed.from_django(error) from error
    _check_free(uai=establishment.uai, host=host)
    if schema_exists(establishment.schema_name):
        raise Conflict(_("Try again."), code=ErrorCode.SCHEMA_TAKEN)
    tenant_db().set_schema_to_public()
    try:
        with transaction.atomic():
            establishment.save()
            Domain.objects.create(domain=host, tenant=establishment, is_primary=True)
            # Exports do not carry the funder: the default one, which operators may change.
            establishment_funder_assign(actor=None, establishment=establishment)
    except IntegrityError:  # taken in the meantime
        _check_free(uai=establishment.uai, host=host)
        raise
    return establishment


def _check_free(*, uai: str, host: str) -> None:
    """The same refusals as establishment_create's (409, naming the field)."""
    if Establishment.objects.filter(uai=uai).exists():
        raise Conflict(
            _("An establishment with this UAI code already exists."),
            code=ErrorCode.UAI_TAKEN,
            fields={"uai": [_("An establishment with this UAI code already exists.")]},
        )
    if Domain.objects.filter(domain=host).exists():
        raise Conflict(
            _("This subdomain is already used."),
            code=ErrorCode.SUBDOMAIN_TAKEN,
            fields={"subdomain": [_("Already used.")]},
        )


def _restore_content(
    establishment: Establishment, *, manifest: Manifest, archive: Path, storage: Storage
) -> bytes:
    """Load the schema and the files; return the export's public rows (restored by the caller)."""
    schema = establishment.schema_name
    members = archive_members(archive)
    with contextlib.closing(members):
        public_json = _restore_members(members, schema=schema, manifest=manifest, storage=storage)
    if schema_pending_migrations(schema):  # an export made before the latest migrations
        call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)
    template_schema_migrate()
    clone_names_align(source=template_schema_name(), target=schema)
    tenant_db().set_schema_to_public()
    return public_json


def _restore_members(
    members: Iterable[tuple[TarInfo, IO[bytes]]], *, schema: str, manifest: Manifest, storage: Storage
) -> bytes:
    public_json = b"[]"
    for member, handle in members:
        if member.name == PUBLIC_JSON:
            public_json = handle.read()
        elif member.name == SCHEMA_SQL:
            psql_load(dump=handle, source=manifest.schema, target=schema)
            with snapshot_connection() as conn:
                if schema_stats(conn, schema) != dict(manifest.tables):
                    raise ArchiveInvalid(_("The restored schema does not hold the export's rows."))
        elif member.name.startswith(FILES_DIR):
            wanted = f"{schema}/{member.name.removeprefix(FILES_DIR)}"
            with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
                shutil.copyfileobj(handle, spool, CHUNK)
                spool.seek(0)
                with schema_context(schema):
                    saved = storage.save(wanted, File(spool, name=PurePosixPath(wanted).name))
            if saved != wanted:
                raise Conflict(
                    _("The file %(name)s could not be restored under its name.") % {"name": wanted}
                )
    return public_json


def _memberships_restore(establishment: Establishment, manifest: Manifest) -> tuple[list[int], list[int]]:
    """Memberships of the people who still exist (same id and login); the others' rows go inactive."""
    users = User.objects.in_bulk({entry.user_id for entry in manifest.memberships})
    rows: list[Membership] = []
    relinked: set[int] = set()
    skipped: set[int] = set()
    for entry in manifest.memberships:
        user = users.get(entry.user_id)
        if (
            user is None
            or user.login != entry.login
            or entry.role not in Role.values
            or entry.status not in MembershipStatus.values
        ):
            skipped.add(entry.user_id)
            continue
        rows.append(Membership(user=user, establishment=establishment, role=entry.role, status=entry.status))
        relinked.add(user.pk)
    Membership.objects.bulk_create(rows, ignore_conflicts=True)
    not_found = sorted(skipped - relinked)
    if not_found:
        with schema_context(establishment.schema_name):
            local_members().members_deactivate(user_ids=not_found)
    return sorted(relinked), not_found


def _restore_undo(establishment: Establishment, *, storage: Storage) -> None:
    """Remove what a failed restore made: its schema, its files, its row (and what cascades)."""
    schema = establishment.schema_name
    tenant_db().set_schema_to_public()
    steps: list[tuple[str, Callable[[], object]]] = [
        ("schema", lambda: _schema_drop(schema)),
        ("files", lambda: files_delete(storage, schema)),
        ("row", lambda: Establishment.objects.filter(pk=establishment.pk).delete()),
    ]
    for what, step in steps:
        try:
            step()
        except Exception:  # keep undoing; the original error is what the caller sees
            logger.exception("restore of %s: could not remove its %s", schema, what)


def _schema_drop(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
