"""What the services of news and notices share: the acting member and the audit entry."""

from __future__ import annotations

from typing import Any

from django.db import models

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import NotAuthenticated, PermissionDenied
from tenant_apps.school.models import Member


def acting_member(actor: Actor | None, roles: frozenset[str]) -> Member:
    """The member acting here, who must hold one of ``roles``."""
    user_id = actor_id(actor)
    if user_id is None:
        raise NotAuthenticated()
    member = Member.objects.filter(user_id=user_id, is_active=True).first()
    if member is None or not set(member.roles or []) & roles:
        raise PermissionDenied()
    return member


def audit(actor: Actor | None, action: str, target: models.Model, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )
