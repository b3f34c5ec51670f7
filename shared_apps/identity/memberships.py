"""Memberships admin: an establishment's admins and head manage the roles of its people and the
guardian links of its students. Their own establishment only.

Thin layer over the identity services (``membership_grant``/``membership_end`` audit and keep
the establishment's local member rows in step). The pages and API (``tenant_apps/school/members/``,
on the school's host) declare ``required_roles``; these services check the actor again, so that no
other caller can skip the rule. Creating the account of someone new, with an activation code,
is the directory's (``shared_apps/directory/people.py``).

Another establishment's families stay out of reach (the rule a region accepts):

- enrolling someone who is a student elsewhere is a transfer (``transfers.py``): the membership
  here stays pending until their current establishment releases them;
- an establishment changes the guardian links only of a child who studies there and nowhere
  else (a child enrolled in two establishments, e.g. during an import, waits: 409
  ``child_enrolled_elsewhere``);
- people with a region role or an admin-site account are never found nor enrolled here.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
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
    EnrolmentTransfer,
    GuardianLink,
    Membership,
    MembershipStatus,
    ResponsibilityLevel,
    User,
)
from shared_apps.identity.permissions import MEMBERSHIP_ADMIN_ROLES
from shared_apps.identity.roles import OPERATORS, Role
from shared_apps.identity.services import guardian_link_create, membership_end, membership_grant
from shared_apps.identity.transfers import (
    enrolment_transfer_cancel,
    enrolment_transfer_refuse,
    enrolment_transfer_request,
    student_establishments,
    transfers_complete,
)
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
    Only people an establishment may enrol: never a region operator, a support agent, a funder or
    an admin-site account (their names and addresses are not the schools' to read).
    """
    term = identifier.strip()
    if not term or "\x00" in term:
        return None
    match = Q(login=term.lower()) | Q(national_id=term.upper())
    if "@" in term:
        match |= Q(email__iexact=term)
    return enrollable_people().filter(match).order_by("pk").first()


def enrollable_people() -> QuerySet[User]:
    """Active accounts an establishment may give a role to (no region role, no admin site)."""
    return User.objects.filter(is_active=True, is_staff=False, is_superuser=False, region_roles__isnull=True)


def _enrollable_check(user: User) -> None:
    if not enrollable_people().filter(pk=user.pk).exists():
        raise ValidationFailed(
            _("This account cannot be given a role in an establishment."),
            code=ErrorCode.NOT_ENROLLABLE,
            fields={"person": [_("This account cannot be given a role in an establishment.")]},
        )


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


def _links_managed_here(*, establishment: Establishment, child_id: int) -> None:
    """A child's guardian links are managed by the establishment they study in, and only while
    they study nowhere else: another establishment is 404, a shared child 409."""
    schools = {e.pk for e in student_establishments(user_id=child_id)}
    if establishment.pk not in schools:
        raise NotFound()
    if schools != {establishment.pk}:
        raise Conflict(
            _(
                "This student is also enrolled in another establishment: their guardians are "
                "changed once they study in one establishment only (ask the other establishment "
                "or the region's support)."
            ),
            code=ErrorCode.CHILD_ENROLLED_ELSEWHERE,
        )


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
    A student may be put in one of the establishment's classes. Someone who is a student in
    another establishment is asked for (a pending membership: ``transfers.py``)."""
    admin = membership_admin_require(actor=actor, establishment=establishment)
    if not user.is_active:
        raise ValidationFailed(fields={"person": [_("This account is disabled.")]})
    _enrollable_check(user)
    class_to_set = membership_role_check(role=role, class_name=class_name, establishment=establishment)
    if role == Role.STUDENT and any(
        e.pk != establishment.pk for e in student_establishments(user_id=user.pk)
    ):
        return enrolment_transfer_request(
            actor=admin, establishment=establishment, user=user, class_name=class_to_set
        )
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
    if membership.status == MembershipStatus.PENDING:
        enrolment_transfer_cancel(actor=admin, membership=membership)
    elif membership.status == MembershipStatus.ACTIVE:
        _student_or_role_end(actor=admin, establishment=establishment, membership=membership)
    membership.refresh_from_db()
    return membership


def _student_or_role_end(*, actor: Actor, establishment: Establishment, membership: Membership) -> None:
    """End an active membership; a student's also ends their guardians' role here (those with no
    other child here) and lets a waiting transfer to another establishment go through."""
    membership_end(actor=actor, user=membership.user, establishment=establishment, role=membership.role)
    if membership.role == Role.STUDENT:
        guardians = set(
            GuardianLink.objects.filter(child_id=membership.user_id).values_list("guardian_id", flat=True)
        )
        _guardian_roles_end_if_childless(actor=actor, establishment=establishment, guardian_ids=guardians)
        transfers_complete(actor=actor, user=membership.user, released_by=[establishment])


def _transfer_decider(*, actor: Actor | None, establishment: Establishment | None) -> Actor:
    """The establishment's admins or head, or (``establishment`` None) a region operator."""
    if establishment is not None:
        return membership_admin_require(actor=actor, establishment=establishment)
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied()
    if not access_load(user_id=actor.pk, establishment_id=None).region_roles & OPERATORS:
        raise PermissionDenied()
    return actor


def _transfer_sources(
    *, transfer: EnrolmentTransfer, establishment: Establishment | None
) -> list[Membership]:
    """The student memberships the decision is about: here, or (the region) everywhere else."""
    memberships = Membership.objects.filter(
        user_id=transfer.membership.user_id, role=Role.STUDENT, status=MembershipStatus.ACTIVE
    ).exclude(establishment_id=transfer.membership.establishment_id)
    if establishment is not None:
        memberships = memberships.filter(establishment=establishment)
    found = list(memberships.select_related("user", "establishment"))
    if not found or transfer.outcome:
        raise NotFound()
    return found


@transaction.atomic
def establishment_transfer_accept(
    *, actor: Actor | None, establishment: Establishment | None, transfer: EnrolmentTransfer
) -> EnrolmentTransfer:
    """Release a student asked for by another establishment: their enrolment here ends (as an
    exeat), and the other establishment's becomes active. A region operator (``establishment``
    None) releases them from every establishment at once."""
    decider = _transfer_decider(actor=actor, establishment=establishment)
    for membership in _transfer_sources(transfer=transfer, establishment=establishment):
        _student_or_role_end(actor=decider, establishment=membership.establishment, membership=membership)
    transfer.refresh_from_db()
    return transfer


@transaction.atomic
def establishment_transfer_refuse(
    *, actor: Actor | None, establishment: Establishment | None, transfer: EnrolmentTransfer
) -> EnrolmentTransfer:
    """Keep the student: the other establishment's request is refused."""
    decider = _transfer_decider(actor=actor, establishment=establishment)
    _transfer_sources(transfer=transfer, establishment=establishment)
    return enrolment_transfer_refuse(actor=decider, transfer=transfer)


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
    _links_managed_here(establishment=establishment, child_id=child.pk)
    if guardian.pk == child.pk:
        raise ValidationFailed(fields={"guardian": [_("A person cannot be their own guardian.")]})
    if not guardian.is_active:
        raise ValidationFailed(fields={"guardian": [_("This account is disabled.")]})
    if not enrollable_people().filter(pk=guardian.pk).exists():
        raise ValidationFailed(
            code=ErrorCode.NOT_ENROLLABLE,
            fields={"guardian": [_("This account cannot be given a role in an establishment.")]},
        )
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
    _links_managed_here(establishment=establishment, child_id=link.child_id)
    guardian_id, child_id, link_id = link.guardian_id, link.child_id, link.pk
    link.delete()
    audit_record(
        actor=admin,
        action="guardian_link.remove",
        establishment=establishment,
        details={"link_id": link_id, "guardian_id": guardian_id, "child_id": child_id},
    )
    _guardian_roles_end_if_childless(actor=admin, establishment=establishment, guardian_ids={guardian_id})
