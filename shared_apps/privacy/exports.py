"""The right of access: everything the platform holds about a person, across the public schema
and every establishment they belong or belonged to, as a ZIP of JSON files plus their files.

Who may ask: the person; a legal guardian, for a child they may act for; the region's operators
and data protection officer, for a request received by post. A task builds the archive, with its
progress; each request, archive and download leaves an audit entry. What is exported is what
each app declares (``mbn_platform.kernel.privacy``): public apps in the public schema, tenant apps
in each of the person's establishments' schemas, one after the other (never across schemas).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.privacy import ESTABLISHMENT, REGION, ExportPart, privacy_declarations
from mbn_platform.kernel.tenancy import access_load
from shared_apps.identity.models import GuardianLink, Membership, ResponsibilityLevel, User
from shared_apps.privacy.models import AccessExport, ExportStatus
from shared_apps.privacy.permissions import PRIVACY_OFFICERS
from tenants.models import Establishment


def export_root() -> Path:
    return Path(settings.EXPORTS_ROOT) / "access"


def access_export_may_ask(*, actor: Actor, subject: User) -> bool:
    """The person, a legal guardian who may act for the child, an operator or the DPO."""
    if actor.pk == subject.pk:
        return True
    if GuardianLink.objects.filter(
        guardian_id=actor.pk, child=subject, responsibility_level=ResponsibilityLevel.LEGAL, can_act=True
    ).exists():
        return True
    return bool(access_load(user_id=actor.pk, establishment_id=None).region_roles & PRIVACY_OFFICERS)


def _write(archive: zipfile.ZipFile, folder: str, parts: list[ExportPart]) -> None:
    for part in parts:
        archive.writestr(
            f"{folder}/{part.name}.json", json.dumps(part.rows, ensure_ascii=False, indent=1, default=str)
        )
        for name, content in part.files:
            archive.writestr(f"{folder}/files/{name}", content)


def access_export_build(*, export_id: int) -> AccessExport:
    """Build the archive (idempotent: a finished export is left as it is)."""
    export = AccessExport.objects.select_related("subject").get(pk=export_id)
    if export.status == ExportStatus.DONE:
        return export
    AccessExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=0)
    ids = frozenset({export.subject_id})
    schools = list(
        Establishment.objects.filter(
            pk__in=Membership.objects.filter(user_id=export.subject_id).values("establishment_id")
        ).order_by("uai")
    )
    steps = 1 + len(schools)
    root = export_root()
    root.mkdir(parents=True, exist_ok=True)
    name = f"access-{export.pk}-{export.created_at:%Y%m%d%H%M%S}.zip"
    try:
        with zipfile.ZipFile(root / name, "w", zipfile.ZIP_DEFLATED) as archive:
            _write(
                archive,
                "region",
                [p for d in privacy_declarations(scope=REGION) if d.export for p in d.export(ids)],
            )
            for done, school in enumerate(schools, start=1):
                AccessExport.objects.filter(pk=export.pk).update(progress=int(100 * done / steps))
                with schema_context(school.schema_name):
                    parts = [
                        p
                        for d in privacy_declarations(scope=ESTABLISHMENT)
                        if d.export
                        for p in d.export(ids)
                    ]
                _write(archive, school.uai, parts)
    except Exception:
        AccessExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED)
        raise
    AccessExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, progress=100, file_name=name, finished_at=timezone.now()
    )
    with transaction.atomic():
        audit_record(
            actor=None,
            action="privacy.access_export_built",
            target=export.subject,
            details={"export_id": export.pk, "establishments": [s.uai for s in schools]},
        )
    export.refresh_from_db()
    return export


def access_exports_of(*, actor: Actor) -> list[AccessExport]:
    return list(AccessExport.objects.filter(requested_by_id=actor.pk).select_related("subject")[:50])


def access_export_file(*, actor: Actor, export_id: int) -> tuple[AccessExport, Path]:
    """The archive, for whoever asked for it (anyone else: 404); the download is audited."""
    export = (
        AccessExport.objects.select_related("subject").filter(pk=export_id, requested_by_id=actor.pk).first()
    )
    if export is None or export.status != ExportStatus.DONE or not export.file_name:
        raise NotFound()
    path = export_root() / export.file_name
    if not path.exists():
        raise NotFound()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="privacy.access_export_downloaded",
            target=export.subject,
            details={"export_id": export.pk},
        )
    return export, path
