"""Writes of region-wide identity: memberships and guardian links.

Each establishment's schema keeps a local ``school.Member`` row per person; these services keep
it in step, inside the same transaction, so a membership and its local row never disagree.
"""

from __future__ import annotations

from django.db import transaction

from mbn_platform.errors import ValidationFailed
from mbn_platform.tenancy import access_cache_clear
from shared_apps.audit.services import audit_record
from shared_apps.identity.models import (
    GuardianLink,
    Membership,
    MembershipStatus,
    ResponsibilityLevel,
    User,
)
from shared_apps.identity.roles import Role
from tenants.models import Establishment


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    user: User,
    establishment: Establishment,
    role: str,
    class_name: str | None = None,
) -> Membership:
    """Give a person a role in an establishment (idempotent) and sync its local member row."""
    if role not in Role.values:
        raise ValidationFailed(fields={"role": [f"Unknown role {role!r}."]})
    membership, created = Membership.objects.get_or_create(
        user=user, establishment=establishment, role=role, defaults={"status": MembershipStatus.ACTIVE}
    )
    changed = created
    if not created and membership.status != MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
        changed = True
    if changed:
        audit_record(
            actor=actor,
            action="membership.grant",
            establishment=establishment,
            target=membership,
            details={"user_id": user.pk, "role": role},
        )
    member_sync(user=user, establishment=establishment, class_name=class_name)
    access_cache_clear(user_id=user.pk, establishment_ids=[establishment.pk])
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, user: User, establishment: Establishment, role: str) -> None:
    """Mark a membership departed; history stays."""
    ended = Membership.objects.filter(
        user=user, establishment=establishment, role=role, status=MembershipStatus.ACTIVE
    ).update(status=MembershipStatus.DEPARTED)
    if ended:
        audit_record(
            actor=actor,
            action="membership.end",
            establishment=establishment,
            details={"user_id": user.pk, "role": role},
        )
    member_sync(user=user, establishment=establishment)
    access_cache_clear(user_id=user.pk, establishment_ids=[establishment.pk])


def member_sync(*, user: User, establishment: Establishment, class_name: str | None = None) -> None:
    """Write the establishment's local row for this person from their active memberships."""
    from django_tenants.utils import schema_context

    from tenant_apps.school.services import member_upsert

    roles = sorted(
        Membership.objects.filter(
            user=user, establishment=establishment, status=MembershipStatus.ACTIVE
        ).values_list("role", flat=True)
    )
    with schema_context(establishment.schema_name):
        member_upsert(user_id=user.pk, display_name=user.display_name, roles=roles, class_name=class_name)


@transaction.atomic
def guardian_link_create(
    *,
    actor: User | None,
    guardian: User,
    child: User,
    responsibility_level: int = ResponsibilityLevel.LEGAL,
    can_act: bool = True,
) -> GuardianLink:
    """Link a guardian to a child (idempotent; updates the level and rights)."""
    if guardian.pk == child.pk:
        raise ValidationFailed(fields={"child": ["A person cannot be their own guardian."]})
    link, _created = GuardianLink.objects.update_or_create(
        guardian=guardian,
        child=child,
        defaults={"responsibility_level": responsibility_level, "can_act": can_act},
    )
    return link
