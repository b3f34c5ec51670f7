"""What the documents' services share: the right checked on a library (one function,
``rights.library_rights``), the acting member, the audit entry, names."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import NotFound, PermissionDenied, ValidationFailed
from tenant_apps.documents.models import Library
from tenant_apps.documents.rights import Right, can_write, library_rights
from tenant_apps.school.models import Member


def right_to_read(actor: Actor | None, library: Library) -> Right:
    """The actor's right on the library; none at all: 404 (no existence leak)."""
    right = library_rights(actor, library)
    if right is None:
        raise NotFound()
    return right


def right_to_write(actor: Actor | None, library: Library) -> Right:
    """The actor's right, which must let them write (a reader: 403)."""
    right = right_to_read(actor, library)
    if not can_write(right):
        raise PermissionDenied(_("You may only read this library."))
    return right


def member_of(actor: Actor | None) -> Member | None:
    user_id = actor_id(actor)
    return None if user_id is None else Member.objects.filter(user_id=user_id).first()


def audit(actor: Actor | None, action: str, target: models.Model, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )


def clean_name(name: str, *, field: str = "name") -> str:
    """A folder's or a file's name: 1 to 200 characters, no slash, no control character."""
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise ValidationFailed(fields={field: [_("Give a name.")]})
    if len(cleaned) > 200:
        raise ValidationFailed(fields={field: [_("200 characters at most.")]})
    if any(ch in cleaned for ch in "/\\") or any(ord(ch) < 32 for ch in cleaned) or cleaned in {".", ".."}:
        raise ValidationFailed(fields={field: [_("A name may not contain a slash.")]})
    return cleaned
