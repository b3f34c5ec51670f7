"""The demo's support network (issue 13): each demo establishment's administrator is also its
digital referent (PRN), so that help requests land with the school first, and the region has a
data protection officer. Called by the demo seed (``seed.py``, issue 12's), through the services."""

from __future__ import annotations

from shared_apps.identity.models import Membership, MembershipStatus, RegionRoleAssignment, User
from shared_apps.identity.roles import RegionRole, Role
from shared_apps.identity.services import membership_grant
from tenants.models import Establishment


def demo_support_seed(*, schools: list[Establishment], dpo: User | None = None) -> None:
    """Make each school's administrators its digital referents; ``dpo`` the region's DPO."""
    for school in schools:
        admins = Membership.objects.filter(
            establishment=school, role=Role.ESTABLISHMENT_ADMIN, status=MembershipStatus.ACTIVE
        ).select_related("user")
        for admin in admins:
            membership_grant(actor=None, user=admin.user, establishment=school, role=Role.DIGITAL_REFERENT)
    if dpo is not None:
        RegionRoleAssignment.objects.get_or_create(user=dpo, role=RegionRole.DATA_PROTECTION_OFFICER)
