"""The spaces' part of the document libraries (``tenant_apps.documents``): each space's right is
its library's right (registered at start-up with ``register_space_rights``), each space's
"Documents" tab opens its library (``documents:library``), and a guest of another establishment
reaches their space's library as they reach the space (``space_of_document_path``)."""

from __future__ import annotations

import re

from django.urls import reverse

from mbn_platform.kernel.actors import Actor, actor_id
from tenant_apps.documents.models import Document, Folder, Library
from tenant_apps.documents.rights import register_space_rights
from tenant_apps.documents.services.libraries import library_for_space
from tenant_apps.school.models import Member
from tenant_apps.spaces.membership import space_role
from tenant_apps.spaces.models import Space

#: The library, folder and file paths (pages and API) a guest may use in their space's library.
DOCUMENT_PATH = re.compile(r"^/(?:api/v1/)?documents/(libraries|folders|files)/(\d+)/")


def documents_right(actor: Actor | None, space_id: int) -> str | None:
    """The actor's right in the space's library: their right in the space (None: no access)."""
    user_id = actor_id(actor)
    space = Space.objects.filter(pk=space_id).first()
    member = Member.objects.filter(user_id=user_id).first() if user_id is not None else None
    return space_role(member, space) if space is not None else None


def documents_url(space: Space) -> str:
    """The page of the space's library (made on first use)."""
    return reverse("documents:library", args=[library_for_space(space.pk).pk])


def space_of_document_path(path: str) -> int | None:
    """The space whose library a documents path belongs to (None: not a space's library)."""
    match = DOCUMENT_PATH.match(path)
    if match is None:
        return None
    kind, pk = match.group(1), int(match.group(2))
    if kind == "libraries":
        found = Library.objects.filter(pk=pk).values_list("space_id", flat=True).first()
    elif kind == "folders":
        found = Folder.objects.filter(pk=pk).values_list("library__space_id", flat=True).first()
    else:
        found = Document.objects.filter(pk=pk).values_list("library__space_id", flat=True).first()
    return int(found) if found is not None else None


def documents_register() -> None:
    register_space_rights(documents_right)
