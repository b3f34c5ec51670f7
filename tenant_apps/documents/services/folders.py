"""Folders: create, rename, move (never into itself or below), delete with what they hold."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from tenant_apps.documents.models import Folder, Library, Version
from tenant_apps.documents.services.common import audit, clean_name, member_of, right_to_write
from tenant_apps.documents.services.storage import stored_files_delete

MAX_DEPTH = 10


def _name_taken() -> Conflict:
    message = _("There is already a folder or a file of this name here.")
    return Conflict(message, code=ErrorCode.ALREADY_EXISTS, fields={"name": [message]})


def folder_depth(folder: Folder | None) -> int:
    depth = 0
    while folder is not None:
        depth += 1
        folder = folder.parent
    return depth


def _parent_checked(library: Library, parent: Folder | None, *, field: str = "parent_id") -> None:
    if parent is not None and parent.library_id != library.pk:
        raise ValidationFailed(fields={field: [_("This folder is not in this library.")]})
    if folder_depth(parent) >= MAX_DEPTH:
        raise ValidationFailed(
            fields={field: [_("Folders nest %(depth)d deep at most.") % {"depth": MAX_DEPTH}]}
        )


@transaction.atomic
def folder_create(*, actor: Actor | None, library: Library, parent: Folder | None, name: str) -> Folder:
    right_to_write(actor, library)
    _parent_checked(library, parent)
    cleaned = clean_name(name)
    if Folder.objects.filter(library=library, parent=parent, name__iexact=cleaned).exists():
        raise _name_taken()
    try:
        with transaction.atomic():
            folder = Folder.objects.create(
                library=library, parent=parent, name=cleaned, created_by=member_of(actor)
            )
    except IntegrityError as exc:
        raise _name_taken() from exc
    audit(actor, "documents.folder_created", folder, {"library": library.pk, "name": cleaned})
    return folder


@transaction.atomic
def folder_rename(*, actor: Actor | None, folder: Folder, name: str) -> Folder:
    right_to_write(actor, folder.library)
    cleaned = clean_name(name)
    siblings = Folder.objects.filter(library_id=folder.library_id, parent_id=folder.parent_id)
    if siblings.filter(name__iexact=cleaned).exclude(pk=folder.pk).exists():
        raise _name_taken()
    before = folder.name
    folder.name = cleaned
    folder.save(update_fields=["name"])
    audit(actor, "documents.folder_renamed", folder, {"name": {"before": before, "after": cleaned}})
    return folder


@transaction.atomic
def folder_move(*, actor: Actor | None, folder: Folder, parent: Folder | None) -> Folder:
    right_to_write(actor, folder.library)
    _parent_checked(folder.library, parent)
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == folder.pk:
            raise ValidationFailed(fields={"parent_id": [_("A folder cannot go inside itself.")]})
        ancestor = ancestor.parent
    siblings = Folder.objects.filter(library_id=folder.library_id, parent=parent)
    if siblings.filter(name__iexact=folder.name).exclude(pk=folder.pk).exists():
        raise _name_taken()
    before = folder.parent_id
    folder.parent = parent
    folder.save(update_fields=["parent"])
    audit(
        actor,
        "documents.folder_moved",
        folder,
        {"parent": {"before": before, "after": parent.pk if parent else None}},
    )
    return folder


def _subtree_ids(folder: Folder) -> list[int]:
    ids, frontier = [folder.pk], [folder.pk]
    while frontier:
        frontier = list(Folder.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


@transaction.atomic
def folder_delete(*, actor: Actor | None, folder: Folder) -> None:
    """Delete a folder, its sub-folders and their files (the stored files too, once committed)."""
    right_to_write(actor, folder.library)
    ids = _subtree_ids(folder)
    versions = Version.objects.filter(document__folder_id__in=ids)
    names = list(versions.filter(stored_bytes__gt=0).values_list("file", flat=True))
    details = {"name": folder.name, "library": folder.library_id, "folders": len(ids), "files": len(names)}
    audit(actor, "documents.folder_deleted", folder, details)
    folder.delete()
    stored_files_delete(names)
