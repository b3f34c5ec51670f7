"""The directory import's reads and writes of the school's structure: subjects, classes, groups and
their members, teaching assignments (the caller selects the schema and holds the transaction).

Bulk, in a fixed number of queries whatever the number of rows. An import only changes what it
owns: the members of groups marked ``imported`` (a group made by hand is left alone, unless the
files name it: it is then taken over) and assignments marked ``imported`` (one made by hand is
never removed). What to change is decided by ``shared_apps/directory/structure_planning.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from shared_apps.directory.structure_store import StructureSnapshot, StructureWrites
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.services import school_classes_ensure
from tenant_apps.structure.models import Group, Subject, TeachingAssignment

BATCH = 1000


def structure_snapshot(
    *,
    subject_codes: Iterable[str],
    class_names: Iterable[str],
    group_names: Iterable[str],
    memberships: bool,
    assignments: bool,
) -> StructureSnapshot:
    """At most five queries."""
    codes, classes, groups = set(subject_codes), set(class_names), set(group_names)
    owned = Q(imported=True) | Q(name__in=groups)
    snapshot = StructureSnapshot(
        subjects=dict(Subject.objects.filter(code__in=codes).values_list("code", "name")) if codes else {},
        classes=set(),
        groups=dict(Group.objects.filter(owned).values_list("name", "imported")),
        memberships={},
        assignments={},
    )
    if classes:
        snapshot.class_levels = dict(
            SchoolClass.objects.filter(name__in=classes).values_list("name", "level")
        )
        snapshot.classes = set(snapshot.class_levels)
    if memberships:
        through = Group.members.through
        snapshot.memberships = {
            (name, user_id): pk
            for pk, name, user_id in through.objects.filter(
                Q(group__imported=True) | Q(group__name__in=groups)
            ).values_list("pk", "group__name", "member__user_id")
        }
    if assignments:
        snapshot.assignments = {
            (teacher, code, class_name or "", group_name or ""): (pk, imported)
            for pk, teacher, code, class_name, group_name, imported in TeachingAssignment.objects.values_list(
                "pk", "teacher__user_id", "subject__code", "school_class__name", "group__name", "imported"
            )
        }
    return snapshot


def structure_import_write(*, writes: StructureWrites) -> None:
    """Apply what the plan decided; nothing is written when nothing changes."""
    _subjects_write(writes.subjects)
    if writes.classes or writes.class_levels:
        school_classes_ensure(names=writes.classes | writes.class_levels.keys())
    for level, names in _by_level(writes.class_levels).items():
        SchoolClass.objects.filter(name__in=names).exclude(level=level).update(level=level)
    if writes.groups:
        _groups_write(writes.groups)
    if writes.memberships_remove:
        Group.members.through.objects.filter(pk__in=writes.memberships_remove).delete()
    if writes.assignments_remove:
        TeachingAssignment.objects.filter(pk__in=writes.assignments_remove, imported=True).delete()
    if writes.memberships_add or writes.assignments_add:
        _links_write(writes)


def _by_level(class_levels: dict[str, str]) -> dict[str, list[str]]:
    by_level: dict[str, list[str]] = {}
    for name, level in class_levels.items():
        by_level.setdefault(level, []).append(name)
    return by_level


def _subjects_write(subjects: dict[str, str]) -> None:
    if not subjects:
        return
    existing = {s.code: s for s in Subject.objects.filter(code__in=subjects)}
    renamed = []
    for code, name in subjects.items():
        subject = existing.get(code)
        if subject is not None and subject.name != name:
            subject.name = name
            renamed.append(subject)
    Subject.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
    Subject.objects.bulk_create(
        [Subject(code=code, name=name) for code, name in sorted(subjects.items()) if code not in existing],
        batch_size=BATCH,
    )


def _groups_write(names: set[str]) -> None:
    existing = dict(Group.objects.filter(name__in=names).values_list("name", "imported"))
    Group.objects.filter(name__in=[n for n, imported in existing.items() if not imported]).update(
        imported=True
    )
    Group.objects.bulk_create(
        [Group(name=name, imported=True) for name in sorted(names - existing.keys())], batch_size=BATCH
    )


def _links_write(writes: StructureWrites) -> None:
    """New memberships and assignments: the ids of the groups, members, subjects and classes they
    name are read in one query each."""
    group_names = {g for g, _u in writes.memberships_add} | {k[3] for k in writes.assignments_add if k[3]}
    user_ids = {u for _g, u in writes.memberships_add} | {k[0] for k in writes.assignments_add}
    groups = dict(Group.objects.filter(name__in=group_names).values_list("name", "pk"))
    members = dict(Member.objects.filter(user_id__in=user_ids).values_list("user_id", "pk"))
    missing = (user_ids - members.keys()) or (group_names - groups.keys())
    if missing:  # the plan guarantees them: fail (nothing is half-applied) rather than guess
        raise LookupError(f"structure import: no member or group for {sorted(map(str, missing))}")
    through = Group.members.through
    through.objects.bulk_create(
        [through(group_id=groups[g], member_id=members[u]) for g, u in writes.memberships_add],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    if not writes.assignments_add:
        return
    subjects = dict(
        Subject.objects.filter(code__in={k[1] for k in writes.assignments_add}).values_list("code", "pk")
    )
    classes = school_classes_ensure(names={k[2] for k in writes.assignments_add if k[2]})
    TeachingAssignment.objects.bulk_create(
        [
            TeachingAssignment(
                teacher_id=members[user_id],
                subject_id=subjects[code],
                school_class_id=classes[class_name].pk if class_name else None,
                group_id=groups[group_name] if group_name else None,
                imported=True,
            )
            for user_id, code, class_name, group_name in writes.assignments_add
        ],
        batch_size=BATCH,
    )
