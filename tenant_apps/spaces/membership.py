"""Who belongs to a space, with which right. A class or group space's members are read from the
structure when asked, never copied: its students (the class's, or the group's) with the space's
``student_role``, and the teachers assigned to it (``TeachingAssignment``) as owners. A student who
changes class leaves the old class space and joins the new one at that moment, whatever wrote the
change (the identity services, a directory import's bulk writes, the year's rollover). Members
chosen by hand (``SpaceMember``) are added to these, and their right overrides the structure's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenant_apps.spaces.models import Space, SpaceKind, SpaceMember, SpaceMute, SpaceRole
from tenant_apps.structure.models import Group, TeachingAssignment

RANK = {SpaceRole.READER: 1, SpaceRole.CONTRIBUTOR: 2, SpaceRole.OWNER: 3}


def at_least(role: str | None, wanted: str) -> bool:
    return role is not None and RANK.get(SpaceRole(role), 0) >= RANK[SpaceRole(wanted)]


def _is_student(member: Member) -> bool:
    return member.is_active and Role.STUDENT in member.roles


def structure_role(member: Member, space: Space) -> str | None:
    """The right the structure gives a member in a class or group space (None: none)."""
    if not member.is_active or space.kind == SpaceKind.PROJECT:
        return None
    assignments = TeachingAssignment.objects.filter(teacher=member)
    if space.kind == SpaceKind.CLASS and space.school_class_id:
        if assignments.filter(school_class_id=space.school_class_id).exists():
            return SpaceRole.OWNER
        if _is_student(member) and member.school_class_id == space.school_class_id:
            return space.student_role
    if space.kind == SpaceKind.GROUP and space.group_id:
        if assignments.filter(group_id=space.group_id).exists():
            return SpaceRole.OWNER
        if (
            _is_student(member)
            and Group.members.through.objects.filter(group_id=space.group_id, member_id=member.pk).exists()
        ):
            return space.student_role
    return None


def space_role(member: Member | None, space: Space, *, even_archived: bool = False) -> str | None:
    """The member's right in the space: their chosen right, else the structure's; None when they
    are no member of it (an archived space is read only)."""
    if member is None:
        return None
    chosen = SpaceMember.objects.filter(space=space, member=member).values_list(
        "role", "home_establishment_id"
    )
    found = chosen.first()
    role: str | None
    if found is not None and (member.is_active or found[1] is not None):
        role = found[0]
    else:
        role = structure_role(member, space)
    if role is not None and space.archived and not even_archived:
        return SpaceRole.READER
    return role


def space_ids_of(member: Member) -> Q:
    """A filter on spaces: those the member belongs to."""
    chosen = SpaceMember.objects.filter(member=member).values("space_id")
    found = Q(pk__in=chosen)
    if not member.is_active:
        return found
    found |= Q(
        school_class_id__in=TeachingAssignment.objects.filter(teacher=member).values("school_class_id")
    )
    found |= Q(group_id__in=TeachingAssignment.objects.filter(teacher=member).values("group_id"))
    if _is_student(member):
        if member.school_class_id:
            found |= Q(school_class_id=member.school_class_id)
        found |= Q(group_id__in=Group.members.through.objects.filter(member_id=member.pk).values("group_id"))
    return found


def spaces_of(member: Member) -> QuerySet[Space]:
    return Space.objects.filter(space_ids_of(member))


@dataclass(frozen=True)
class SpaceMemberRow:
    member: Member
    role: str
    chosen: bool  # chosen by hand (may be removed), not given by the structure
    guest: bool


def space_members(space: Space) -> list[SpaceMemberRow]:
    """Everyone in the space with their right, owners first then by name (three queries)."""
    chosen = {
        row.member_id: row
        for row in SpaceMember.objects.filter(space=space).select_related("member").order_by()
    }
    rows: dict[int, SpaceMemberRow] = {}
    if space.kind != SpaceKind.PROJECT:
        if space.kind == SpaceKind.CLASS:
            teachers = TeachingAssignment.objects.filter(school_class_id=space.school_class_id or 0)
            students = Q(school_class_id=space.school_class_id or 0)
        else:
            teachers = TeachingAssignment.objects.filter(group_id=space.group_id or 0)
            students = Q(teaching_groups=space.group_id or 0)
        teacher_ids = set(teachers.values_list("teacher_id", flat=True))
        found = Member.objects.filter(is_active=True).filter(
            Q(pk__in=teacher_ids) | (students & Q(roles__contains=[Role.STUDENT]))
        )
        for member in found.distinct():
            role = SpaceRole.OWNER if member.pk in teacher_ids else space.student_role
            rows[member.pk] = SpaceMemberRow(member, role, chosen=False, guest=False)
    for member_id, row in chosen.items():
        if row.member.is_active or row.guest:
            rows[member_id] = SpaceMemberRow(row.member, row.role, chosen=True, guest=row.guest)
    return sorted(rows.values(), key=lambda r: (-RANK[SpaceRole(r.role)], r.member.display_name, r.member.pk))


def followers(space: Space, *, excluding: Iterable[int] = ()) -> list[int]:
    """User ids of the members who follow the space (all but those who muted it)."""
    muted = set(SpaceMute.objects.filter(space=space).values_list("member_id", flat=True)) | set(excluding)
    return [row.member.user_id for row in space_members(space) if row.member.pk not in muted]


def roles_in(member: Member, spaces: Iterable[Space]) -> dict[int, str]:
    """The member's right in each of these spaces (three queries whatever their number)."""
    chosen = dict(SpaceMember.objects.filter(member=member).values_list("space_id", "role"))
    taught = list(
        TeachingAssignment.objects.filter(teacher=member).values_list("school_class_id", "group_id")
    )
    taught_classes = {c for c, _g in taught if c}
    taught_groups = {g for _c, g in taught if g}
    student = _is_student(member)
    groups = (
        set(Group.members.through.objects.filter(member_id=member.pk).values_list("group_id", flat=True))
        if student
        else set()
    )
    found: dict[int, str] = {}
    for space in spaces:
        role: str | None = chosen.get(space.pk)
        if role is None and member.is_active:
            if space.school_class_id in taught_classes or space.group_id in taught_groups:
                role = SpaceRole.OWNER
            elif student and (
                (space.school_class_id and space.school_class_id == member.school_class_id)
                or space.group_id in groups
            ):
                role = space.student_role
        if role is not None:
            found[space.pk] = SpaceRole.READER if space.archived else role
    return found
