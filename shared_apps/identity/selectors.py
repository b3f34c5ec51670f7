"""Reads of region-wide identity, already scoped."""

from __future__ import annotations

from django.db.models import QuerySet

from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, RegionRoleAssignment, User


def roles_for(*, user_id: int, establishment_id: int | None) -> tuple[frozenset[str], frozenset[str]]:
    """(active roles in the establishment, region roles) of a user, in one query."""
    rows = (
        list(
            Membership.objects.filter(
                user_id=user_id, establishment_id=establishment_id, status=MembershipStatus.ACTIVE
            ).values_list("role", flat=True)
        )
        if establishment_id is not None
        else []
    )
    region = list(RegionRoleAssignment.objects.filter(user_id=user_id).values_list("role", flat=True))
    return frozenset(rows), frozenset(region)


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """A user's active memberships, with their establishments and primary domains' data."""
    return (
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .select_related("establishment")
        .prefetch_related("establishment__domains")
        .order_by("establishment__name", "role")
    )


def children_of(*, guardian: User) -> QuerySet[GuardianLink]:
    """A guardian's links to their children, each child with their active student memberships."""
    return (
        GuardianLink.objects.filter(guardian=guardian).select_related("child").order_by("child__first_name")
    )


def student_memberships(*, child_ids: list[int]) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id__in=child_ids, role="student", status=MembershipStatus.ACTIVE)
        .select_related("establishment")
        .prefetch_related("establishment__domains")
    )
