"""``establishment_export``: the establishment's archive, written to the exports location."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict
from tenants.models import Domain, Establishment
from tenants.offboarding.archives import (
    FILES_DIR,
    MANIFEST,
    OPAQUE_SCHEMA_RE,
    PUBLIC_JSON,
    SCHEMA_SQL,
    ArchiveWriter,
    DomainEntry,
    FileEntry,
    Manifest,
    sha256_of,
)
from tenants.offboarding.locations import exports_location
from tenants.offboarding.public_rows import public_rows
from tenants.offboarding.records import memberships_of, stored_files
from tenants.offboarding.schema_dumps import (
    applied_migrations,
    pg_dump_schema,
    schema_stats,
    server_version,
    snapshot_connection,
    snapshot_export,
)


@dataclass(frozen=True)
class EstablishmentExport:
    key: str  # what establishment_offboard / establishment_restore take
    sha256: str
    size: int
    location: str  # s3://bucket/key, or the file's path
    manifest: Manifest


def establishment_export(
    *, actor: Actor | None, establishment: Establishment, storage: Storage | None = None
) -> EstablishmentExport:
    """Write the establishment's archive to the exports location; return its key and checksum.

    The schema's figures and its dump come from one database snapshot; files are read as they
    are when the export reaches them (suspend the establishment first for an exact copy).
    """
    storage = storage or default_storage
    schema = establishment.schema_name
    if not OPAQUE_SCHEMA_RE.match(schema) or not schema_exists(schema):
        raise Conflict(_("This establishment has no schema that can be exported."), code=ErrorCode.NO_SCHEMA)
    created_at = timezone.now()
    key = (
        f"establishments/{establishment.uai}/"
        f"{establishment.uai}-{created_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}.tar.gz"
    )
    location = exports_location()
    with tempfile.TemporaryDirectory(prefix="mbn-export-") as workdir:
        dump = Path(workdir) / SCHEMA_SQL
        with snapshot_connection() as conn:
            snapshot = snapshot_export(conn)
            migrations = applied_migrations(conn, schema)
            tables = schema_stats(conn, schema)
            version = server_version(conn)
            dump_version = pg_dump_schema(schema=schema, target=dump, snapshot=snapshot)
        public_json, public_counts = public_rows(establishment)
        archive = Path(workdir) / "archive.tar.gz"
        with ArchiveWriter(archive) as writer:
            schema_entry = writer.add_path(SCHEMA_SQL, dump)
            dump.unlink()
            public_entry = writer.add_bytes(PUBLIC_JSON, public_json)
            files: list[FileEntry] = []
            with schema_context(schema):
                for name in stored_files(storage, schema):
                    relative = name.removeprefix(f"{schema}/")
                    with storage.open(name, "rb") as handle:
                        entry = writer.add_stream(FILES_DIR + relative, handle)
                    files.append(FileEntry(name=relative, size=entry.size, sha256=entry.sha256))
            manifest = Manifest(
                created_at=created_at.isoformat(),
                created_by=actor.pk if actor is not None else None,
                uai=establishment.uai,
                name=establishment.name,
                kind=establishment.kind,
                academie=establishment.academie,
                departement=establishment.departement,
                status=establishment.status,
                base_domain=str(settings.MBN_BASE_DOMAIN),
                domains=tuple(
                    DomainEntry(domain=d.domain, is_primary=d.is_primary)
                    for d in Domain.objects.filter(tenant=establishment).order_by("-is_primary", "domain")
                ),
                schema=schema,
                migrations=tuple(migrations),
                tables=tables,
                schema_sql=schema_entry,
                public_json=public_entry,
                public_rows=public_counts,
                files=tuple(files),
                memberships=tuple(memberships_of(establishment)),
                server_version=version,
                pg_dump_version=dump_version,
            )
            writer.add_bytes(MANIFEST, manifest.to_json())
        sha256, size = sha256_of(archive), archive.stat().st_size
        location.store(key=key, archive=archive, sha256=sha256)
    audit_record(
        actor=actor,
        action="establishment.export",
        establishment=establishment,
        target=establishment,
        details={
            "uai": establishment.uai,
            "schema": schema,
            "export_key": key,
            "location": location.describe(key),
            "sha256": sha256,
            "size": size,
            "files": len(manifest.files),
            "rows": sum(t.rows for t in manifest.tables.values()),
        },
    )
    return EstablishmentExport(
        key=key, sha256=sha256, size=size, location=location.describe(key), manifest=manifest
    )


def establishment_exports(*, establishment: Establishment) -> list[dict[str, object]]:
    """The exports made of an establishment, newest first, as recorded in the audit log."""
    from shared_apps.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(establishment_id=establishment.pk, action="establishment.export")
    return [
        {
            "key": entry.details.get("export_key", ""),
            "created_at": entry.created_at,
            "sha256": entry.details.get("sha256", ""),
        }
        for entry in entries.order_by("-created_at")[:20]
    ]
