"""What the desk's services share: the member acting, the audit entry, who is addressed."""

from __future__ import annotations

from typing import Any

from django.db import models

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import NotAuthenticated, PermissionDenied
from tenant_apps.forms.models import Audience, Form
from tenant_apps.forms.selectors import addressees
from tenant_apps.school.models import Member


def acting_member(actor: Actor | None, roles: frozenset[str]) -> Member:
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


def recipients_of(form: Form, *, exclude_child_ids: set[int] | None = None) -> list[int]:
    """The region-wide ids of the people a form is addressed to (guardians who may act for a
    child of its classes, or the students themselves), leaving out ``exclude_child_ids``."""
    from shared_apps.identity.models import GuardianLink

    children = [m for m in addressees(form) if m.pk not in (exclude_child_ids or set())]
    if form.audience == Audience.STUDENTS:
        return [m.user_id for m in children]
    return sorted(
        set(
            GuardianLink.objects.filter(child_id__in=[m.user_id for m in children], can_act=True).values_list(
                "guardian_id", flat=True
            )
        )
    )
