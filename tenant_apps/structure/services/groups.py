"""Writes of the teaching groups (and their students) and of who teaches what to whom."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Subject, TeachingAssignment
from tenant_apps.structure.services.common import (
    audit_with_changes,
    audit_with_values,
    delete_unused,
    required,
    state,
    unique,
)

ASSIGNMENT_FIELDS = ("teacher_id", "subject_id", "school_class_id", "group_id")


# Groups ----------------------------------------------------------------------------------------


def _group_state(group: Group) -> dict[str, Any]:
    return {"name": group.name, "member_ids": sorted(group.members.values_list("pk", flat=True))}


def _members_set(group: Group, member_ids: Iterable[int]) -> None:
    """The group's students are exactly these members (students of this establishment)."""
    wanted = set(member_ids)
    students = list(
        Member.objects.filter(pk__in=wanted, is_active=True, roles__contains=[Role.STUDENT]).values_list(
            "pk", flat=True
        )
    )
    if len(students) != len(wanted):
        raise ValidationFailed(
            fields={"members": [str(_("Every member of a group must be a student here."))]}
        )
    group.members.set(students)


@transaction.atomic
def group_create(*, actor: Actor | None, name: str, member_ids: Iterable[int] = ()) -> Group:
    name = required(name, "name")
    group: Group = unique(lambda: Group.objects.create(name=name), "name")
    _members_set(group, member_ids)
    audit_with_values(actor=actor, action="structure.group_created", target=group, values=_group_state(group))
    return group


@transaction.atomic
def group_update(
    *, actor: Actor | None, group: Group, name: str, member_ids: Iterable[int] | None = None
) -> Group:
    """Rename a group and, when ``member_ids`` is given, set its students."""
    before = _group_state(group)
    group.name = required(name, "name")
    unique(lambda: group.save(), "name")
    if member_ids is not None:
        _members_set(group, member_ids)
    audit_with_changes(
        actor=actor, action="structure.group_updated", target=group, before=before, after=_group_state(group)
    )
    return group


@transaction.atomic
def group_members_set(*, actor: Actor | None, group: Group, member_ids: Iterable[int]) -> Group:
    """The group's students are exactly these members (students of this establishment)."""
    before = _group_state(group)
    _members_set(group, member_ids)
    audit_with_changes(
        actor=actor, action="structure.group_updated", target=group, before=before, after=_group_state(group)
    )
    return group


@transaction.atomic
def group_delete(*, actor: Actor | None, group: Group) -> None:
    """Delete a group and its list of members; refused while lessons or assignments use it."""
    delete_unused(
        group, actor=actor, action="structure.group_deleted", name=group.name, values=_group_state(group)
    )


# Teaching assignments --------------------------------------------------------------------------


def _assignment_checks(*, teacher: Member, school_class: SchoolClass | None, group: Group | None) -> None:
    if (school_class is None) == (group is None):
        raise ValidationFailed(fields={"school_class": [str(_("Give a class or a group (one of them)."))]})
    if Role.TEACHER not in teacher.roles or not teacher.is_active:
        raise ValidationFailed(fields={"teacher": [str(_("This person is not a teacher here."))]})


@transaction.atomic
def teaching_assignment_create(
    *,
    actor: Actor | None,
    teacher: Member,
    subject: Subject,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
) -> TeachingAssignment:
    _assignment_checks(teacher=teacher, school_class=school_class, group=group)
    assignment = unique(
        lambda: TeachingAssignment.objects.create(
            teacher=teacher, subject=subject, school_class=school_class, group=group
        ),
        "subject",
    )
    audit_with_values(
        actor=actor,
        action="structure.assignment_created",
        target=assignment,
        values=state(assignment, ASSIGNMENT_FIELDS),
    )
    return assignment


@transaction.atomic
def teaching_assignment_update(
    *,
    actor: Actor | None,
    assignment: TeachingAssignment,
    teacher: Member,
    subject: Subject,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
) -> TeachingAssignment:
    _assignment_checks(teacher=teacher, school_class=school_class, group=group)
    before = state(assignment, ASSIGNMENT_FIELDS)
    assignment.teacher, assignment.subject = teacher, subject
    assignment.school_class, assignment.group = school_class, group
    unique(lambda: assignment.save(), "subject")
    audit_with_changes(
        actor=actor,
        action="structure.assignment_updated",
        target=assignment,
        before=before,
        after=state(assignment, ASSIGNMENT_FIELDS),
    )
    return assignment


@transaction.atomic
def teaching_assignment_delete(*, actor: Actor | None, assignment: TeachingAssignment) -> None:
    delete_unused(
        assignment,
        actor=actor,
        action="structure.assignment_deleted",
        name=str(assignment),
        values=state(assignment, ASSIGNMENT_FIELDS),
    )
