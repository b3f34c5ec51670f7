"""The connectors' ``SchoolRoster`` (LTI contexts and rosters, the GAR's export): the classes,
groups and teaching assignments of the current establishment's schema, in a few queries."""

from __future__ import annotations

from shared_apps.connectors.rosters import (
    RosterClass,
    RosterGroup,
    RosterMember,
    RosterStructure,
    school_roster_register,
)
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, TeachingAssignment


def _roster_class(found: SchoolClass) -> RosterClass:
    return RosterClass(pk=found.pk, name=found.name, level=found.level)


class StructureRoster:
    def class_get(self, *, class_id: int) -> RosterClass | None:
        found = SchoolClass.objects.filter(pk=class_id).first()
        return _roster_class(found) if found else None

    def class_members(self, *, class_id: int) -> list[RosterMember]:
        students = Member.objects.filter(
            school_class_id=class_id, is_active=True, roles__contains=[Role.STUDENT]
        ).values_list("user_id", flat=True)
        teachers = (
            TeachingAssignment.objects.filter(school_class_id=class_id, teacher__is_active=True)
            .values_list("teacher__user_id", flat=True)
            .distinct()
        )
        rows = [RosterMember(user_id=u, role=Role.STUDENT) for u in students]
        rows += [RosterMember(user_id=u, role=Role.TEACHER) for u in sorted(set(teachers))]
        return rows

    def classes_of(self, *, user_id: int, all_classes: bool = False) -> list[RosterClass]:
        if all_classes:
            return [_roster_class(c) for c in SchoolClass.objects.order_by("level", "name")]
        own = SchoolClass.objects.filter(students__user_id=user_id, students__is_active=True)
        taught = SchoolClass.objects.filter(assignments__teacher__user_id=user_id)
        return [_roster_class(c) for c in (own | taught).distinct().order_by("level", "name")]

    def structure(self) -> RosterStructure:
        classes = [_roster_class(c) for c in SchoolClass.objects.order_by("level", "name")]
        class_of = dict(
            Member.objects.filter(is_active=True, roles__contains=[Role.STUDENT], school_class__isnull=False)
            .values_list("user_id", "school_class_id")
            .order_by("user_id")
        )
        members = list(
            Group.members.through.objects.filter(member__is_active=True)
            .values_list("member__user_id", "group_id")
            .order_by("group_id", "member__user_id")
        )
        group_classes: dict[int, set[int]] = {}
        for user_id, group_id in members:
            if user_id in class_of:
                group_classes.setdefault(group_id, set()).add(class_of[user_id])
        groups = [
            RosterGroup(pk=g.pk, name=g.name, class_ids=tuple(sorted(group_classes.get(g.pk, ()))))
            for g in Group.objects.order_by("name")
        ]
        teachings: list[tuple[int, int | None, int | None, str]] = list(
            TeachingAssignment.objects.filter(teacher__is_active=True)
            .values_list("teacher__user_id", "school_class_id", "group_id", "subject__code")
            .order_by("teacher__user_id", "subject__code")
        )
        return RosterStructure(
            classes=classes, groups=groups, class_of=class_of, group_members=members, teachings=teachings
        )


def roster_register() -> None:
    school_roster_register(StructureRoster())
