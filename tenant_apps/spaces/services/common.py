"""What the spaces services share: the acting member, the right they need, the audit entry."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import NotAuthenticated, NotFound, PermissionDenied
from tenant_apps.school.models import Member
from tenant_apps.spaces.membership import at_least, space_role
from tenant_apps.spaces.models import Space, SpaceRole


def acting_member(actor: Actor | None) -> Member:
    """The actor's row here (a guest's row has no role but is theirs)."""
    user_id = actor_id(actor)
    if user_id is None:
        raise NotAuthenticated()
    member = Member.objects.filter(user_id=user_id).first()
    if member is None:
        raise PermissionDenied()
    return member


def require(actor: Actor | None, space: Space, wanted: str, *, even_archived: bool = False) -> Member:
    """The acting member, who must hold at least ``wanted`` in the space (no member: 404; an
    archived space is read only, but for its owners' ``even_archived`` changes)."""
    member = acting_member(actor)
    role = space_role(member, space, even_archived=even_archived)
    if role is None:
        raise NotFound()
    if not at_least(role, wanted):
        if space.archived and wanted != SpaceRole.READER:
            raise PermissionDenied(_("This space is archived."), code=ErrorCode.SPACE_ARCHIVED)
        raise PermissionDenied(_("Your right in this space does not allow this."))
    return member


def audit(actor: Actor | None, action: str, target: models.Model | None, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )
