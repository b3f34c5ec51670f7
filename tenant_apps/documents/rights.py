"""Who may do what in a library: ONE function, ``library_rights``.

A personal library: its owner only ("owner"). A collaborative space's library: what the spaces
app answers through the hook it registers at start-up (``register_space_rights``), since the
spaces app sits above this one and this one may not import it. No hook, or no right: ``None``,
which pages and the API answer with a 404 (no existence leak).

Owners and contributors write (upload, new versions, folders, rename, move, delete); readers
read and download.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from mbn_platform.kernel.actors import Actor, actor_id
from tenant_apps.documents.models import Library
from tenant_apps.school.models import Member

Right = Literal["owner", "contributor", "reader"]
RIGHTS: frozenset[str] = frozenset({"owner", "contributor", "reader"})
WRITE_RIGHTS: frozenset[str] = frozenset({"owner", "contributor"})
#: ``fn(actor, space_id) -> "owner" | "contributor" | "reader" | None``, registered by the spaces app.
SpaceRights = Callable[[Actor | None, int], str | None]

_space_rights: list[SpaceRights] = []


def register_space_rights(fn: SpaceRights) -> None:
    """The spaces app tells which right a person has in a space (called once, at start-up; a new
    registration replaces the previous one)."""
    _space_rights[:] = [fn]


def unregister_space_rights() -> None:
    """Forget the registered hook (tests)."""
    _space_rights.clear()


def library_rights(actor: Actor | None, library: Library) -> Right | None:
    """The actor's right on ``library``: "owner", "contributor", "reader" or None (no access)."""
    user_id = actor_id(actor)
    if user_id is None:
        return None
    if library.kind == Library.Kind.PERSONAL:
        owner: Member | None = library.owner
        if owner is not None and owner.user_id == user_id and owner.is_active:
            return "owner"
        return None
    if library.space_id is None or not _space_rights:
        return None
    right = _space_rights[0](actor, int(library.space_id))
    return right if right in RIGHTS else None  # type: ignore[return-value]


def can_write(right: str | None) -> bool:
    return right in WRITE_RIGHTS
