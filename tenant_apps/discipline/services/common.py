"""What discipline's services share: the acting member of staff, the audit entry, and the rule
that a teacher acts only for their own students."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from shared_apps.identity.roles import STAFF_ROLES
from tenant_apps.discipline.permissions import DISCIPLINE_STAFF
from tenant_apps.discipline.selectors import students_taught
from tenant_apps.school.models import Member


def acting_member(actor: Actor | None) -> Member:
    """The member of staff acting here (discipline is always someone's doing)."""
    user_id = actor_id(actor)
    if user_id is None:
        raise NotAuthenticated()
    member = Member.objects.filter(user_id=user_id, is_active=True).first()
    if member is None or not set(member.roles or []) & STAFF_ROLES:
        raise PermissionDenied()
    return member


def students_check(member: Member, students: list[Member], field: str = "student") -> None:
    """A teacher (not school-life staff nor the leadership) acts only for their own students."""
    if set(member.roles or []) & DISCIPLINE_STAFF:
        return
    taught = set(students_taught(user_id=member.user_id).values_list("pk", flat=True))
    if any(s.pk not in taught for s in students):
        raise ValidationFailed(fields={field: [str(_("You may act only for the students you teach."))]})


def audit(actor: Actor | None, action: str, target: models.Model, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )
