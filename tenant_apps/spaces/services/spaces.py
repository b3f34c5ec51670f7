"""Spaces and their members: the class and group spaces (made for each class and group), project
spaces, chosen members and their rights, guests of other establishments, following a space, the
establishment's settings."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PermissionDenied, ValidationFailed
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.spaces.guests import inter_school_allowed, inter_school_allowed_here
from tenant_apps.spaces.models import Space, SpaceKind, SpaceMember, SpaceMute, SpaceRole, SpacesSettings
from tenant_apps.spaces.permissions import MEMBER_ROLES, PROJECT_CREATORS
from tenant_apps.spaces.services.common import acting_member, audit, require
from tenant_apps.structure.models import Group
from tenants.models import Establishment


def spaces_ensure() -> int:
    """A space for every class and every group that has none (idempotent); returns how many were
    made. Called when a class or group is created (``signals.py``), and before listing spaces, so
    that classes made by bulk writes (a directory import) get theirs too."""
    classes = SchoolClass.objects.filter(space__isnull=True)
    groups = Group.objects.filter(space__isnull=True)
    made = [Space(name=c.name, kind=SpaceKind.CLASS, school_class=c) for c in classes]
    made += [Space(name=g.name, kind=SpaceKind.GROUP, group=g) for g in groups]
    if made:
        Space.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def _members_here(member_ids: Sequence[int]) -> list[Member]:
    people = list(
        Member.objects.filter(pk__in=set(member_ids), is_active=True, roles__overlap=sorted(MEMBER_ROLES))
    )
    if len(people) != len(set(member_ids)):
        raise ValidationFailed(fields={"member_ids": [_("Choose students and staff of the establishment.")]})
    return people


def _tell_added(actor: Actor | None, space: Space, people: Sequence[Member]) -> None:
    recipients = [p.user_id for p in people]
    if recipients:
        notify(
            actor=actor,
            type=NotificationType.SPACES,
            recipients=recipients,
            title=Text(gettext_noop("You were added to the space %(name)s"), name=space.name),
            link=f"/spaces/{space.pk}/",
        )


@transaction.atomic
def project_space_create(
    *, actor: Actor | None, name: str, description: str = "", members: Sequence[tuple[int, str]] = ()
) -> Space:
    """A project space, its creator its owner; ``members``: (member id, right) pairs."""
    creator = acting_member(actor)
    if not set(creator.roles) & PROJECT_CREATORS:
        raise PermissionDenied()
    if not name.strip():
        raise ValidationFailed(fields={"name": [_("Give the space a name.")]})
    space = Space.objects.create(
        name=name.strip(), description=description.strip(), kind=SpaceKind.PROJECT, created_by=creator
    )
    SpaceMember.objects.create(space=space, member=creator, role=SpaceRole.OWNER)
    chosen = dict(members)
    chosen.pop(creator.pk, None)
    people = _members_here(list(chosen))
    SpaceMember.objects.bulk_create(
        [SpaceMember(space=space, member=p, role=SpaceRole(chosen[p.pk])) for p in people]
    )
    audit(actor, "spaces.space_created", space, {"name": space.name, "members": len(people) + 1})
    _tell_added(actor, space, people)
    return space


@transaction.atomic
def space_update(
    *, actor: Actor | None, space: Space, name: str, description: str, student_role: str, archived: bool
) -> Space:
    """Rename or describe a space, the students' right (class and group spaces), archive a project."""
    require(actor, space, SpaceRole.OWNER, even_archived=True)
    before = {"name": space.name, "student_role": space.student_role, "archived": space.archived}
    if not name.strip():
        raise ValidationFailed(fields={"name": [_("Give the space a name.")]})
    if student_role not in (SpaceRole.CONTRIBUTOR, SpaceRole.READER):
        raise ValidationFailed(fields={"student_role": [_("Choose contributor or reader.")]})
    space.name, space.description, space.student_role = name.strip(), description.strip(), student_role
    space.archived = archived and space.kind == SpaceKind.PROJECT
    space.save()
    after = {"name": space.name, "student_role": space.student_role, "archived": space.archived}
    audit(actor, "spaces.space_updated", space, {"before": before, "after": after})
    return space


@transaction.atomic
def space_member_set(*, actor: Actor | None, space: Space, member: Member, role: str) -> SpaceMember:
    """Add a member of the establishment to a space, or change their right (owners only)."""
    owner = require(actor, space, SpaceRole.OWNER)
    if role not in SpaceRole.values:
        raise ValidationFailed(fields={"role": [_("Choose owner, contributor or reader.")]})
    if member.pk == owner.pk and role != SpaceRole.OWNER:
        raise ValidationFailed(fields={"role": [_("You cannot lower your own right.")]})
    row = SpaceMember.objects.filter(space=space, member=member).first()
    if row is not None and row.guest and role == SpaceRole.OWNER:
        raise ValidationFailed(fields={"role": [_("A guest of another establishment cannot be an owner.")]})
    if row is None:
        _members_here([member.pk])
        row = SpaceMember.objects.create(space=space, member=member, role=role)
        _tell_added(actor, space, [member])
        audit(actor, "spaces.member_added", space, {"member": member.user_id, "role": role})
    elif row.role != role:
        audit(
            actor,
            "spaces.member_role_changed",
            space,
            {"member": member.user_id, "from": row.role, "to": role},
        )
        row.role = role
        row.save(update_fields=["role"])
    return row


@transaction.atomic
def space_member_remove(*, actor: Actor | None, space: Space, member: Member) -> None:
    """Remove a member chosen by hand (the structure's members leave with their class or group)."""
    owner = require(actor, space, SpaceRole.OWNER)
    row = SpaceMember.objects.filter(space=space, member=member).first()
    if row is None:
        raise ValidationFailed(
            fields={"member": [_("This person belongs to the space through their class, group or teaching.")]}
        )
    if member.pk == owner.pk:
        raise ValidationFailed(fields={"member": [_("You cannot remove yourself.")]})
    row.delete()
    audit(
        actor,
        "spaces.member_removed",
        space,
        {"member": member.user_id, "role": row.role, "guest": row.guest},
    )


@transaction.atomic
def space_guest_add(
    *, actor: Actor | None, space: Space, user: User, home: Establishment, role: str
) -> SpaceMember:
    """A person of another establishment of the region as a guest of a project space: only when
    both establishments allow inter-school projects and the person belongs to theirs."""
    require(actor, space, SpaceRole.OWNER)
    here = schema_establishment()
    if space.kind != SpaceKind.PROJECT:
        raise ValidationFailed(
            fields={"person": [_("Only project spaces take members of other establishments.")]}
        )
    if role not in (SpaceRole.CONTRIBUTOR, SpaceRole.READER):
        raise ValidationFailed(fields={"role": [_("Choose contributor or reader.")]})
    if here is None or home.pk == here.pk:
        raise ValidationFailed(fields={"establishment": [_("Choose another establishment.")]})
    if not inter_school_allowed_here() or not inter_school_allowed(home):
        raise PermissionDenied(
            _("Both establishments must allow inter-school projects."), code=ErrorCode.INTER_SCHOOL_REFUSED
        )
    belongs = Membership.objects.filter(
        user=user, establishment=home, status=MembershipStatus.ACTIVE, role__in=sorted(MEMBER_ROLES)
    ).exists()
    if not belongs:
        raise ValidationFailed(
            fields={"person": [_("No student or staff member of that establishment has this login.")]}
        )
    local = Member.objects.filter(user_id=user.pk).first()
    if local is not None and local.is_active:
        raise ValidationFailed(
            fields={"person": [_("This person belongs to this establishment: add them as a member.")]}
        )
    if local is None:
        local = Member.objects.create(
            user_id=user.pk, display_name=user.display_name, roles=[], is_active=False
        )
    row, _created = SpaceMember.objects.update_or_create(
        space=space, member=local, defaults={"role": role, "home_establishment_id": home.pk}
    )
    audit(actor, "spaces.guest_added", space, {"member": user.pk, "role": role, "home": home.pk})
    _tell_added(actor, space, [local])
    return row


@transaction.atomic
def space_follow(*, actor: Actor | None, space: Space, following: bool) -> None:
    """Follow a space (be told of its new topics and posts) or stop following it."""
    member = require(actor, space, SpaceRole.READER)
    if following:
        SpaceMute.objects.filter(space=space, member=member).delete()
    else:
        SpaceMute.objects.get_or_create(space=space, member=member)


@transaction.atomic
def spaces_settings_set(*, actor: Actor | None, inter_school: bool) -> SpacesSettings:
    settings = SpacesSettings.objects.select_for_update().first() or SpacesSettings()
    before = settings.inter_school
    settings.inter_school = inter_school
    settings.save()
    if before != inter_school:
        audit(
            actor, "spaces.settings_updated", settings, {"inter_school": {"from": before, "to": inter_school}}
        )
    return settings
