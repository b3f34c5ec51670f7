"""Memberships admin: an establishment's admins and head manage the roles of its people and the
guardian links of its students. Their own establishment only.

Thin layer over the identity services (``membership_grant``/``membership_end`` audit and keep
the establishment's local member rows in step). The pages and API (``tenant_apps/school/members/``,
on the school's host) declare ``required_roles``; these services check the actor again, so that no
other caller can skip the rule. Creating the account of someone new, with an activation code,
is the directory's (``shared_apps/directory/people.py``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.tenancy import access_load
from shared_apps.identity.local_members import local_members
from shared_apps.identity.models import (
    GuardianLink,
    Membership,
    MembershipStatus,
    ResponsibilityLevel,
    User,
)
from shared_apps.identity.permissions import MEMBERSHIP_ADMIN_ROLES
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_end, membership_grant
from tenants.models import Establishment


def membership_admin_require(*, actor: Actor | None, establishment: Establishment) -> Actor:
    """The actor, if they are an establishment admin or the head of this establishment."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied()
    access = access_load(user_id=actor.pk, establishment_id=establishment.pk)
    if not access.roles & MEMBERSHIP_ADMIN_ROLES:
        raise PermissionDenied()
    return actor


def person_find(*, identifier: str) -> User | None:
    """A person of the region with this exact login, e-mail address or national identifier.

    Exact only: an establishment's admin finds someone they know, they cannot browse the region.
    """
    term = identifier.strip()
    if not term:
        return None
    match = Q(login=term.lower()) | Q(national_id=term.upper())
    if "@" in term:
        match |= Q(email__iexact=term)
    return User.objects.filter(match, is_active=True).order_by("pk").first()


def person_here(*, establishment: Establishment, user_id: int) -> User:
    """A person with a membership (active or not) in this establishment; anyone else: 404."""
    return get_or_404(User, pk=user_id, memberships__establishment=establishment, is_active=True)


def membership_role_check(*, role: str, class_name: str | None, establishment: Establishment) -> str | None:
    """The class to record (students only), after checking the role and that the class exists."""
    if role not in Role.values:
        raise ValidationFailed(fields={"role": [_("Choose a role.")]})
    if role != Role.STUDENT or not class_name:
        return None
    with schema_context(establishment.schema_name):
        if not local_members().class_exists(name=class_name):
            raise ValidationFailed(fields={"class_name": [_("There is no class of this name here.")]})
    return class_name


def _is_active_student_here(*, establishment: Establishment, user_id: int) -> bool:
    return Membership.objects.filter(
        user_id=user_id, establishment=establishment, role=Role.STUDENT, status=MembershipStatus.ACTIVE
    ).exists()


def _guardian_roles_end_if_childless(
    *, actor: Actor, establishment: Establishment, guardian_ids: set[int]
) -> None:
    """End the guardian role here of these people when no child of theirs studies here any more."""
    if not guardian_ids:
        return
    students_here = Membership.objects.filter(
        establishment=establishment, role=Role.STUDENT, status=MembershipStatus.ACTIVE
    ).values("user_id")
    still = set(
        GuardianLink.objects.filter(guardian_id__in=guardian_ids, child_id__in=students_here).values_list(
            "guardian_id", flat=True
        )
    )
    childless = Membership.objects.filter(
        establishment=establishment,
        role=Role.GUARDIAN,
        status=MembershipStatus.ACTIVE,
        user_id__in=guardian_ids - still,
    ).select_related("user")
    for membership in childless:
        membership_end(actor=actor, user=membership.user, establishment=establishment, role=Role.GUARDIAN)


@transaction.atomic
def establishment_membership_grant(
    *,
    actor: Actor | None,
    establishment: Establishment,
    user: User,
    role: str,
    class_name: str | None = None,
) -> Membership:
    """Give a person of the region a role here (or back: a departed membership is reactivated).
    A student may be put in one of the establishment's classes."""
    admin = membership_admin_require(actor=actor, establishment=establishment)
    if not user.is_active:
        raise ValidationFailed(fields={"person": [_("This account is disabled.")]})
    class_to_set = membership_role_check(role=role, class_name=class_name, establishment=establishment)
    return membership_grant(
        actor=admin, user=user, establishment=establishment, role=role, class_name=class_to_set
    )


@transaction.atomic
def establishment_membership_end(
    *, actor: Actor | None, establishment: Establishment, membership: Membership
) -> Membership:
    """Mark a membership of this establishment departed (its history stays). Ending a student's
    ends the guardian role here of their guardians who have no other child here."""
    admin = membership_admin_require(actor=actor, establishment=establishment)
    if membership.establishment_id != establishment.pk:
        raise NotFound()
    if membership.user_id == admin.pk and membership.role in MEMBERSHIP_ADMIN_ROLES:
        raise Conflict(
            _("You cannot remove your own administration role: ask another administrator."),
            code=ErrorCode.OWN_ADMIN_ROLE,
        )
    if membership.status == MembershipStatus.ACTIVE:
        membership_end(actor=admin, user=membership.user, establishment=establishment, role=membership.role)
        if membership.role == Role.STUDENT:
            guardians = set(
                GuardianLink.objects.filter(child_id=membership.user_id).values_list("guardian_id", flat=True)
            )
            _guardian_roles_end_if_childless(actor=admin, establishment=establishment, guardian_ids=guardians)
    membership.refresh_from_db()
    return membership


@transaction.atomic
def establishment_guardian_link_set(
    *,
    actor: Actor | None,
    establishment: Establishment,
    guardian: User,
    child: User,
    responsibility_level: int,
    can_act: bool,
) -> GuardianLink:
    """Link a guardian to a student of this establishment, or change the link's level and rights.
    The guardian gets the guardian role here if they lack it."""
    admin = membership_admin_require(actor=actor, establishment=establishment)
    if not _is_active_student_here(establishment=establishment, user_id=child.pk):
        raise NotFound()
    if guardian.pk == child.pk:
        raise ValidationFailed(fields={"guardian": [_("A person cannot be their own guardian.")]})
    if not guardian.is_active:
        raise ValidationFailed(fields={"guardian": [_("This account is disabled.")]})
    if responsibility_level not in ResponsibilityLevel.values:
        raise ValidationFailed(fields={"responsibility_level": [_("Choose a responsibility level.")]})
    before = GuardianLink.objects.filter(guardian=guardian, child=child).first()
    link = guardian_link_create(
        actor=admin,
        guardian=guardian,
        child=child,
        responsibility_level=responsibility_level,
        can_act=can_act,
    )
    if before is None or (before.responsibility_level, before.can_act) != (responsibility_level, can_act):
        audit_record(
            actor=admin,
            action="guardian_link.set",
            establishment=establishment,
            target=link,
            details={
                "guardian_id": guardian.pk,
                "child_id": child.pk,
                "responsibility_level": responsibility_level,
                "can_act": can_act,
                "created": before is None,
            },
        )
    if not Membership.objects.filter(
        user=guardian, establishment=establishment, role=Role.GUARDIAN, status=MembershipStatus.ACTIVE
    ).exists():
        membership_grant(actor=admin, user=guardian, establishment=establishment, role=Role.GUARDIAN)
    return link


@transaction.atomic
def establishment_guardian_link_remove(
    *, actor: Actor | None, establishment: Establishment, link: GuardianLink
) -> None:
    """Remove a guardian's link to a student of this establishment; a guardian left with no child
    here loses the guardian role here."""
    admin = membership_admin_require(actor=actor, establishment=establishment)
    if not _is_active_student_here(establishment=establishment, user_id=link.child_id):
        raise NotFound()
    guardian_id, child_id, link_id = link.guardian_id, link.child_id, link.pk
    link.delete()
    audit_record(
        actor=admin,
        action="guardian_link.remove",
        establishment=establishment,
        details={"link_id": link_id, "guardian_id": guardian_id, "child_id": child_id},
    )
    _guardian_roles_end_if_childless(actor=admin, establishment=establishment, guardian_ids={guardian_id})
