"""Files: upload (a file of the same name in the folder gets a new version), new versions,
restore an old version (a new current version, nothing lost), rename, move, delete (audited; the
stored files go, and with them their weight in the quotas)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from mbn_platform.kernel.uploads import safe_file_name, upload_kind
from tenant_apps.documents.models import Document, Folder, Library, Version
from tenant_apps.documents.services.common import audit, clean_name, member_of, right_to_write
from tenant_apps.documents.services.quotas import limits, quota_check
from tenant_apps.documents.services.storage import stored_files_delete


def _name_taken() -> Conflict:
    message = _("There is already a file of this name here.")
    return Conflict(message, code=ErrorCode.ALREADY_EXISTS, fields={"name": [message]})


def _folder_checked(library: Library, folder: Folder | None, field: str = "folder_id") -> None:
    if folder is not None and folder.library_id != library.pk:
        raise ValidationFailed(fields={field: [_("This folder is not in this library.")]})


def _store(
    *, actor: Actor | None, document: Document, upload: Any, kind_type: str, restored: Version | None
) -> Version:
    """A new current version of ``document``: ``upload`` stored, or the stored file of ``restored``."""
    number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = Version(document=document, number=number, uploaded_by=member_of(actor))
    if restored is not None:
        version.file = restored.file.name
        version.size, version.content_type = restored.size, restored.content_type
        version.restored_from = restored.number
    else:
        version.size, version.content_type, version.stored_bytes = upload.size, kind_type, upload.size
        version.file.save(document.name, upload, save=False)
    version.save()
    document.current = version
    document.size, document.content_type = version.size, version.content_type
    document.save(update_fields=["current", "size", "content_type", "updated_at"])
    return version


def _checked_upload(library: Library, upload: Any) -> tuple[str, Any]:
    kind = upload_kind(upload, field="file", max_bytes=limits()["file_bytes"])
    quota_check(library, upload.size)
    return safe_file_name(getattr(upload, "name", ""), kind.extension), kind


@transaction.atomic
def document_upload(*, actor: Actor | None, library: Library, folder: Folder | None, upload: Any) -> Document:
    """Add a file to a folder (``None``: the library's root); a file of the same name there gets
    this upload as its new version."""
    right_to_write(actor, library)
    _folder_checked(library, folder)
    Library.objects.select_for_update().filter(pk=library.pk).first()  # one upload at a time per library
    name, kind = _checked_upload(library, upload)
    document = Document.objects.filter(library=library, folder=folder, name__iexact=name).first()
    if document is None:
        document = Document.objects.create(
            library=library,
            folder=folder,
            name=name,
            content_type=kind.content_type,
            created_by=member_of(actor),
        )
        action = "documents.file_uploaded"
    else:
        action = "documents.version_added"
    version = _store(
        actor=actor, document=document, upload=upload, kind_type=kind.content_type, restored=None
    )
    audit(
        actor,
        action,
        document,
        {"library": library.pk, "name": name, "version": version.number, "size": upload.size},
    )
    return document


@transaction.atomic
def document_version_add(*, actor: Actor | None, document: Document, upload: Any) -> Version:
    """A new version of a file (its name keeps its base and takes the new content's extension)."""
    library = document.library
    right_to_write(actor, library)
    Library.objects.select_for_update().filter(pk=library.pk).first()
    name, kind = _checked_upload(library, upload)
    new_name = document.name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[-1]
    if new_name != document.name:
        if (
            Document.objects.filter(library=library, folder=document.folder, name__iexact=new_name)
            .exclude(pk=document.pk)
            .exists()
        ):
            raise _name_taken()
        document.name = new_name
        document.save(update_fields=["name"])
    version = _store(
        actor=actor, document=document, upload=upload, kind_type=kind.content_type, restored=None
    )
    audit(actor, "documents.version_added", document, {"version": version.number, "size": upload.size})
    return version


@transaction.atomic
def document_restore(*, actor: Actor | None, document: Document, number: int) -> Version:
    """Make version ``number`` current again, as a new version (the versions after it stay)."""
    right_to_write(actor, document.library)
    old = document.versions.filter(number=number).first()
    if old is None:
        raise NotFound(_("This version does not exist."))
    version = _store(actor=actor, document=document, upload=None, kind_type=old.content_type, restored=old)
    audit(actor, "documents.version_restored", document, {"restored": number, "version": version.number})
    return version


@transaction.atomic
def document_rename(*, actor: Actor | None, document: Document, name: str) -> Document:
    """Rename a file; its extension stays the one its content has."""
    right_to_write(actor, document.library)
    extension = document.name.rsplit(".", 1)[-1] if "." in document.name else ""
    cleaned = clean_name(name)
    if extension and not cleaned.lower().endswith("." + extension.lower()):
        cleaned = f"{cleaned}.{extension}"
    siblings = Document.objects.filter(library_id=document.library_id, folder=document.folder)
    if siblings.filter(name__iexact=cleaned).exclude(pk=document.pk).exists():
        raise _name_taken()
    before, document.name = document.name, cleaned
    document.save(update_fields=["name", "updated_at"])
    audit(actor, "documents.file_renamed", document, {"name": {"before": before, "after": cleaned}})
    return document


@transaction.atomic
def document_move(*, actor: Actor | None, document: Document, folder: Folder | None) -> Document:
    right_to_write(actor, document.library)
    _folder_checked(document.library, folder)
    if (
        Document.objects.filter(library_id=document.library_id, folder=folder, name__iexact=document.name)
        .exclude(pk=document.pk)
        .exists()
    ):
        raise _name_taken()
    before, document.folder = document.folder_id, folder
    try:
        with transaction.atomic():
            document.save(update_fields=["folder", "updated_at"])
    except IntegrityError as exc:
        raise _name_taken() from exc
    audit(
        actor,
        "documents.file_moved",
        document,
        {"folder": {"before": before, "after": folder.pk if folder else None}},
    )
    return document


@transaction.atomic
def document_delete(*, actor: Actor | None, document: Document) -> None:
    """Delete a file and all its versions; the stored files go once committed."""
    right_to_write(actor, document.library)
    names = list(document.versions.filter(stored_bytes__gt=0).values_list("file", flat=True))
    audit(
        actor,
        "documents.file_deleted",
        document,
        {
            "library": document.library_id,
            "name": document.name,
            "versions": document.versions.count(),
            "size": document.size,
        },
    )
    document.delete()
    stored_files_delete(names)
