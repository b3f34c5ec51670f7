"""Reads of region-wide identity, already scoped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from mbn_platform.kernel.lookups import get_or_404
from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, RegionRoleAssignment, User
from shared_apps.identity.roles import Role

if TYPE_CHECKING:
    from tenants.models import Establishment


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
        Membership.objects.filter(user_id__in=child_ids, role=Role.STUDENT, status=MembershipStatus.ACTIVE)
        .select_related("establishment")
        .prefetch_related("establishment__domains")
        .order_by("establishment__name")
    )


def guardian_link_here(*, guardian_id: int, child_id: int, establishment_id: int) -> GuardianLink | None:
    """The guardian's link to a child who studies in this establishment (one query), or None: not
    their child, or not a student here."""
    return (
        GuardianLink.objects.select_related("child")
        .filter(
            guardian_id=guardian_id,
            child_id=child_id,
            child__memberships__establishment_id=establishment_id,
            child__memberships__role=Role.STUDENT,
            child__memberships__status=MembershipStatus.ACTIVE,
        )
        .first()
    )


# --- Memberships admin (an establishment's admins and head; their establishment only) -----------


def memberships_here(
    *, establishment: Establishment, query: str = "", role: str = "", status: str = ""
) -> QuerySet[Membership]:
    """The establishment's memberships (active and departed), with their people; a search on
    names, login and e-mail address, filters on the role and the status."""
    memberships = Membership.objects.filter(establishment=establishment).select_related("user")
    if role:
        memberships = memberships.filter(role=role)
    if status:
        memberships = memberships.filter(status=status)
    for term in query.split()[:5]:
        memberships = memberships.filter(
            Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
            | Q(user__login__icontains=term)
            | Q(user__email__iexact=term)
            | Q(user__national_id=term.upper())
        )
    return memberships.order_by("user__last_name", "user__first_name", "user_id", "role")


def membership_here(*, establishment: Establishment, membership_id: int) -> Membership:
    """One membership of this establishment; another establishment's is not found (404)."""
    membership = get_or_404(
        Membership.objects.select_related("user"), pk=membership_id, establishment=establishment
    )
    return membership


def person_memberships_here(*, establishment: Establishment, user_id: int) -> list[Membership]:
    """All of a person's memberships in this establishment (active first)."""
    return list(
        Membership.objects.filter(establishment=establishment, user_id=user_id).order_by("status", "role")
    )


def guardian_links_here(*, establishment: Establishment) -> QuerySet[GuardianLink]:
    """The guardian links of the establishment's (active) students, with both people."""
    return (
        GuardianLink.objects.filter(
            child__memberships__establishment=establishment,
            child__memberships__role=Role.STUDENT,
            child__memberships__status=MembershipStatus.ACTIVE,
        )
        .select_related("guardian", "child")
        .order_by("child__last_name", "child__first_name", "guardian__last_name", "pk")
    )


def guardian_link_of_establishment(*, establishment: Establishment, link_id: int) -> GuardianLink:
    """One link of a student of this establishment; any other: 404."""
    link = get_or_404(guardian_links_here(establishment=establishment), pk=link_id)
    return link
