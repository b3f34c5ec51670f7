"""Reads of the libraries, scoped by the caller's right (``rights.library_rights``): what one may
not see is a 404."""

from __future__ import annotations

from django.db.models import QuerySet

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import NotFound
from tenant_apps.documents.models import Document, Folder, Library, Version
from tenant_apps.documents.rights import Right, library_rights


def library_seen(actor: Actor | None, library_id: int) -> tuple[Library, Right]:
    """A library the actor may read, with their right (else 404)."""
    library = Library.objects.select_related("owner").filter(pk=library_id).first()
    right = library_rights(actor, library) if library is not None else None
    if library is None or right is None:
        raise NotFound()
    return library, right


def folder_in(library: Library, folder_id: int | None) -> Folder | None:
    """A folder of ``library`` (None: its root; another library's folder: 404)."""
    if folder_id is None:
        return None
    folder = Folder.objects.filter(library=library, pk=folder_id).first()
    if folder is None:
        raise NotFound()
    return folder


def document_seen(actor: Actor | None, document_id: int) -> tuple[Document, Right]:
    """A file the actor may read, with their right on its library (else 404)."""
    document = (
        Document.objects.select_related("library__owner", "folder", "current").filter(pk=document_id).first()
    )
    right = library_rights(actor, document.library) if document is not None else None
    if document is None or right is None:
        raise NotFound()
    return document, right


def breadcrumb(folder: Folder | None) -> list[Folder]:
    """The folders from the library's root down to ``folder``."""
    trail: list[Folder] = []
    while folder is not None:
        trail.append(folder)
        folder = folder.parent if folder.parent_id else None
    return trail[::-1]


def subfolders(library: Library, folder: Folder | None) -> QuerySet[Folder]:
    return Folder.objects.filter(library=library, parent=folder).order_by("name", "pk")


def files_in(library: Library, folder: Folder | None) -> QuerySet[Document]:
    return (
        Document.objects.filter(library=library, folder=folder)
        .select_related("current__uploaded_by")
        .order_by("name", "pk")
    )


def all_folders(library: Library) -> QuerySet[Folder]:
    """Every folder of the library (the "move to" choices)."""
    return Folder.objects.filter(library=library).order_by("name", "pk")


def versions_of(document: Document) -> QuerySet[Version]:
    return document.versions.select_related("uploaded_by").order_by("-number")
