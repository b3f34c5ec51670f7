"""Writes of region-wide identity: memberships and guardian links.

Each establishment's schema keeps a local row per person; these services keep it in step, inside
the same transaction, through the hook the school app registers (``local_members.py``), so a
membership and its local row never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.generations import users_changed
from mbn_platform.kernel.tenancy import access_cache_clear
from shared_apps.identity.local_members import MemberRow, local_members
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
    actor: Actor | None,
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
def membership_end(*, actor: Actor | None, user: User, establishment: Establishment, role: str) -> None:
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
    roles = sorted(
        Membership.objects.filter(
            user=user, establishment=establishment, status=MembershipStatus.ACTIVE
        ).values_list("role", flat=True)
    )
    with schema_context(establishment.schema_name):
        local_members().member_write(
            row=MemberRow(user_id=user.pk, display_name=user.display_name, roles=roles, class_name=class_name)
        )


@transaction.atomic
def guardian_link_create(
    *,
    actor: Actor | None,
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


# --- Bulk variants (directory imports) ---------------------------------------------------------
# The same rules as the services above, for thousands of people at once: a handful of queries
# whatever the count. They record no per-person audit entry; their caller records one for the
# batch (e.g. "directory.import_applied" with its counts).


@transaction.atomic
def memberships_bulk_apply(
    *,
    establishment: Establishment,
    grants: Iterable[tuple[int, str]],
    ends: Iterable[tuple[int, str]],
) -> tuple[int, int]:
    """Grant (create or reactivate) and end (mark departed) memberships; returns the counts.

    The caller then calls ``members_bulk_sync`` for the people concerned.
    """
    wanted = set(grants)
    unknown = {role for _user_id, role in wanted if role not in Role.values}
    if unknown:
        raise ValidationFailed(fields={"role": [f"Unknown role {role!r}." for role in sorted(unknown)]})
    now = timezone.now()
    existing = {
        (row["user_id"], row["role"]): row
        for row in Membership.objects.filter(
            establishment=establishment, user_id__in={user_id for user_id, _role in wanted}
        ).values("pk", "user_id", "role", "status")
    }
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=user_id, establishment=establishment, role=role, status=MembershipStatus.ACTIVE
            )
            for user_id, role in sorted(wanted - existing.keys())
        ],
        batch_size=1000,
    )
    reactivate = [row["pk"] for key, row in existing.items() if key in wanted and row["status"] != "active"]
    Membership.objects.filter(pk__in=reactivate).update(status=MembershipStatus.ACTIVE, updated_at=now)
    by_role: dict[str, set[int]] = {}
    for user_id, role in ends:
        by_role.setdefault(role, set()).add(user_id)
    ended = 0
    for role, user_ids in by_role.items():
        ended += Membership.objects.filter(
            establishment=establishment, role=role, user_id__in=user_ids, status=MembershipStatus.ACTIVE
        ).update(status=MembershipStatus.DEPARTED, updated_at=now)
    changed_users = {user_id for user_id, _role in wanted - existing.keys()} | {
        existing[key]["user_id"] for key in existing if key in wanted and existing[key]["status"] != "active"
    }
    changed_users |= {user_id for user_ids in by_role.values() for user_id in user_ids}
    for user_id in changed_users:
        access_cache_clear(user_id=user_id, establishment_ids=[establishment.pk])
    return len(wanted - existing.keys()) + len(reactivate), ended


def members_bulk_sync(
    *, establishment: Establishment, user_ids: Iterable[int], class_names: Mapping[int, str] | None = None
) -> int:
    """``member_sync`` for many people: their local rows from their active memberships here.

    ``class_names`` gives the class of the people whose class is known (students); the others keep
    theirs. Returns how many local rows were written (unchanged rows are not written).
    """
    ids = set(user_ids)
    roles: dict[int, list[str]] = {user_id: [] for user_id in ids}
    for user_id, role in Membership.objects.filter(
        establishment=establishment, user_id__in=ids, status=MembershipStatus.ACTIVE
    ).values_list("user_id", "role"):
        roles[user_id].append(role)
    names = {
        user.pk: user.display_name
        for user in User.objects.filter(pk__in=ids).only("pk", "login", "first_name", "last_name")
    }
    classes = class_names or {}
    rows = [
        MemberRow(
            user_id=user_id,
            display_name=names[user_id],
            roles=sorted(roles[user_id]),
            class_name=classes.get(user_id),
        )
        for user_id in sorted(ids)
        if user_id in names
    ]
    with schema_context(establishment.schema_name):
        return local_members().members_write(rows=rows)


@transaction.atomic
def guardian_links_bulk_apply(
    *, upserts: Iterable[tuple[int, int, int, bool]], removals: Iterable[tuple[int, int]] = ()
) -> tuple[int, int, int]:
    """Create or update (guardian, child, level, may act) links and remove others, in bulk.

    Returns (created, updated, removed).
    """
    wanted = {(guardian_id, child_id): (level, can_act) for guardian_id, child_id, level, can_act in upserts}
    gone = set(removals)
    if any(guardian_id == child_id for guardian_id, child_id in wanted):
        raise ValidationFailed(fields={"child": ["A person cannot be their own guardian."]})
    if any(level not in ResponsibilityLevel.values for level, _can_act in wanted.values()):
        raise ValidationFailed(fields={"responsibility_level": ["Unknown responsibility level."]})
    children = {child_id for _guardian_id, child_id in wanted.keys() | gone}
    existing = {
        (link.guardian_id, link.child_id): link for link in GuardianLink.objects.filter(child_id__in=children)
    }
    create = [
        GuardianLink(guardian_id=g, child_id=c, responsibility_level=level, can_act=can_act)
        for (g, c), (level, can_act) in sorted(wanted.items())
        if (g, c) not in existing
    ]
    update = []
    for key, (level, can_act) in wanted.items():
        link = existing.get(key)
        if link is not None and (link.responsibility_level, link.can_act) != (level, can_act):
            link.responsibility_level, link.can_act = level, can_act
            update.append(link)
    GuardianLink.objects.bulk_create(create, batch_size=1000)
    GuardianLink.objects.bulk_update(update, ["responsibility_level", "can_act"], batch_size=1000)
    remove = [existing[key].pk for key in gone if key in existing and key not in wanted]
    GuardianLink.objects.filter(pk__in=remove).delete()
    # No signal for bulk writes: the people whose links changed see it on their next request.
    users_changed([person for link in [*create, *update] for person in (link.guardian_id, link.child_id)])
    return len(create), len(update), len(remove)
