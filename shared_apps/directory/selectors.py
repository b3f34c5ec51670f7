"""Reads of directory imports, already scoped to the establishment of the request."""

from __future__ import annotations

from django.db.models import QuerySet

from mbn_platform.kernel.lookups import get_or_404
from shared_apps.directory.models import DirectoryImport, ImportStatus
from tenants.models import Establishment


def directory_imports_of(*, establishment: Establishment) -> QuerySet[DirectoryImport]:
    """The establishment's imports, without their (large) parsed content."""
    return DirectoryImport.objects.filter(establishment=establishment).defer("content")


def directory_import_get(*, establishment: Establishment, import_id: int) -> DirectoryImport:
    """One import of this establishment; another establishment's is not found (404)."""
    return get_or_404(directory_imports_of(establishment=establishment), pk=import_id)


def directory_import_same_as_applied(*, directory_import: DirectoryImport) -> DirectoryImport | None:
    """An applied import of the same content, if any (re-importing it would change nothing new)."""
    if not directory_import.content_hash:
        return None
    return (
        directory_imports_of(establishment=directory_import.establishment)
        .filter(content_hash=directory_import.content_hash, status=ImportStatus.APPLIED)
        .exclude(pk=directory_import.pk)
        .only("pk", "applied_at")
        .order_by("-applied_at")
        .first()
    )
