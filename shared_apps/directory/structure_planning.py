"""What an import changes of the school's structure, where its files carry it: subjects, classes,
groups and their members, teaching assignments (called by ``planning.plan_build``).

- **Subjects** are matched by code: a missing one is created, a changed name is updated.
- **Classes** declared by the files (the students' classes, the STS divisions) are created when
  missing; **groups** declared by the files (the students' groups, the STS groups) too, and they
  are marked ``imported`` (a group made by hand that the files name is taken over).
- **Memberships**, when the students file carries the groups (the national XML always does; a CSV
  with a ``groups`` column): the members of imported groups are exactly the students the file
  lists in them. A student in conflict keeps theirs. Groups made by hand are left alone.
- **Assignments**, when a file carries them (an STS file with its ``STRUCTURE``, a teaching CSV):
  the ones listed are created (marked ``imported``) unless they exist; imported ones the files no
  longer list are removed; hand-made ones are never removed.
- **Levels**: a class whose level the files tell (SIECLE's MEFs) gets it.
- **A delta** rewrites the groups and assignments of the people it lists only.
- **Errors** (the import is refused, with the file and line): a teacher id that is neither in the
  staff file nor known from an earlier import of the staff, a subject code neither in the files nor
  in the school, a class or group neither in the files nor in the school (a typo would otherwise
  create a class nobody is in). A teacher in conflict: the assignment is skipped, with a note.
"""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.directory.parsers.model import STAFF, STUDENT, Directory, PersonRow, RowError
from shared_apps.directory.plan import AssignmentPlan, PersonPlan, Plan, StructurePlan
from shared_apps.directory.planning_state import ImportState
from shared_apps.directory.structure_store import (
    AssignmentKey,
    StructureSnapshot,
    StructureWrites,
    structure_store,
)


def structure_plan_build(state: ImportState, directory: Directory, plan: Plan, protected: set[int]) -> None:
    if not directory.has_structure:
        return
    structure = plan.structure = StructurePlan(active=True)
    students = [p for p in plan.people if p.row.family == STUDENT]
    file_classes = {p.row.class_name for p in students if p.row.class_name} | set(directory.classes)
    file_groups = set(directory.groups)
    for person in students:
        file_groups.update(person.row.groups)
    rows = directory.assignments
    with schema_context(state.establishment.schema_name):
        snapshot = structure_store().snapshot(
            subject_codes={s.code for s in directory.subjects} | {a.subject_code for a in rows},
            class_names=file_classes | {a.class_name for a in rows if a.class_name},
            group_names=file_groups | {a.group_name for a in rows if a.group_name},
            memberships=directory.carries_groups,
            assignments=directory.carries_assignments or bool(rows),
        )
    students_listed = {p.user_id for p in students if p.user_id} if directory.delta else None
    teachers_listed = (
        {p.user_id for p in plan.people if p.row.family == STAFF and p.user_id} if directory.delta else None
    )
    structure.rows = len(directory.subjects) + len(rows) + sum(len(p.row.groups) for p in students)

    for subject in directory.subjects:
        current = snapshot.subjects.get(subject.code)
        if current is None:
            structure.subjects[subject.code] = subject.name
            structure.change("subjects_created", f"{subject.code} {subject.name}", row=subject)
        elif current != subject.name:
            structure.subjects[subject.code] = subject.name
            structure.change(
                "subjects_renamed", f"{subject.code} {subject.name}", f"{current} → {subject.name}", subject
            )
    for name in sorted(file_classes - snapshot.classes):
        structure.classes.add(name)
        structure.change("classes_created", name)
    if directory.class_levels:
        structure.counts.setdefault("classes_levelled", 0)
    for name, level in sorted(directory.class_levels.items()):
        if name in file_classes and snapshot.class_levels.get(name) != level:
            structure.class_levels[name] = level
            if name in snapshot.classes:
                structure.change("classes_levelled", name, f"{snapshot.class_levels.get(name, '')} → {level}")
    for name in sorted(file_groups):
        if name not in snapshot.groups:
            structure.groups.add(name)
            structure.change("groups_created", name)
        elif not snapshot.groups[name]:
            structure.groups.add(name)
            structure.change("groups_adopted", name, "Made by hand: its members now follow the files.")

    if directory.carries_groups:
        _plan_memberships(state, snapshot.memberships, students, structure, protected, students_listed)
    _plan_assignments(
        state,
        directory,
        plan,
        snapshot,
        known_classes=file_classes | snapshot.classes,
        known_groups=file_groups | snapshot.groups.keys(),
        protected=protected,
        teachers_listed=teachers_listed,
    )


def _name(state: ImportState, user_id: int) -> str:
    account = state.accounts.get(user_id)
    return f"{account.first_name} {account.last_name}" if account else str(user_id)


def _plan_memberships(
    state: ImportState,
    current: dict[tuple[str, int], int],
    students: list[PersonPlan],
    structure: StructurePlan,
    protected: set[int],
    listed: set[int] | None,
) -> None:
    """``listed``: a delta's students (None: every student's memberships follow the files)."""
    wanted: set[tuple[str, int]] = set()
    for person in students:
        if person.action == "conflict":
            continue
        for group in person.row.groups:
            if person.user_id is not None:
                wanted.add((group, person.user_id))
                if (group, person.user_id) in current:
                    continue
            structure.memberships_added.append((group, person))
            structure.change(
                "memberships_added", f"{person.row.first_name} {person.row.last_name}", group, person.row
            )
    in_conflict = protected | {p.user_id for p in students if p.action == "conflict" and p.user_id}
    for (group, user_id), pk in sorted(current.items()):
        if (
            (group, user_id) not in wanted
            and user_id not in in_conflict
            and (listed is None or user_id in listed)
        ):
            structure.memberships_removed.append(pk)
            structure.change("memberships_removed", _name(state, user_id), group)


def _plan_assignments(
    state: ImportState,
    directory: Directory,
    plan: Plan,
    snapshot: StructureSnapshot,
    *,
    known_classes: set[str],
    known_groups: set[str],
    protected: set[int],
    teachers_listed: set[int] | None,
) -> None:
    structure = plan.structure
    staff = {p.row.source_id: p for p in plan.people if p.row.family == STAFF}
    subjects = {s.code: s.name for s in directory.subjects} | snapshot.subjects
    virtual: dict[str, PersonPlan] = {}
    wanted: set[AssignmentKey] = set()
    seen: set[tuple[str, str, str, str]] = set()
    for row in directory.assignments:
        teacher = staff.get(row.teacher_id)
        if teacher is None and STAFF not in directory.families:
            rec = state.records.get((STAFF, row.teacher_id))
            if rec is not None:  # staff imported before, not in this import's files
                teacher = virtual.setdefault(
                    row.teacher_id,
                    PersonPlan(
                        row=PersonRow(STAFF, row.teacher_id, "", ""),
                        action="unchanged",
                        user_id=rec["user_id"],
                    ),
                )
        problems = []
        if teacher is None:
            problems.append(("teacher_id", f"Unknown teacher id {row.teacher_id!r}: not in the staff file."))
        if row.subject_code not in subjects:
            problems.append(
                (
                    "subject_code",
                    f"Unknown subject {row.subject_code!r}: neither in the files nor in the school "
                    "(give its name in a subject_name column).",
                )
            )
        if row.class_name and row.class_name not in known_classes:
            problems.append(("class", f"Class {row.class_name!r} is neither in the files nor in the school."))
        if row.group_name and row.group_name not in known_groups:
            problems.append(("group", f"Group {row.group_name!r} is neither in the files nor in the school."))
        plan.errors.extend(RowError(row.file, row.line, name, message) for name, message in problems)
        if problems or teacher is None:
            continue
        if teacher.action == "conflict":
            plan.notes.append(
                {
                    "name": f"{teacher.row.first_name} {teacher.row.last_name}",
                    "family": "assignment",
                    "class": row.class_name or row.group_name,
                    "file": row.file,
                    "line": row.line,
                    "detail": "Teaching assignment of a person in conflict: skipped.",
                }
            )
            continue
        identity = (row.teacher_id, row.subject_code, row.class_name, row.group_name)
        if identity in seen:  # the same service in several teaching modes (STS CODE_MOD_COURS)
            continue
        seen.add(identity)
        if teacher.user_id is not None:
            key = (teacher.user_id, row.subject_code, row.class_name, row.group_name)
            wanted.add(key)
            if key in snapshot.assignments:
                continue
        structure.assignments_added.append(AssignmentPlan(row, teacher))
        teacher_name = f"{teacher.row.first_name} {teacher.row.last_name}".strip() or _name(
            state, teacher.user_id or 0
        )
        structure.change(
            "assignments_added",
            teacher_name,
            f"{subjects[row.subject_code]} — {row.class_name or row.group_name}",
            row,
        )
    if not directory.carries_assignments:
        return
    for key, (pk, imported) in sorted(snapshot.assignments.items()):
        in_scope = teachers_listed is None or key[0] in teachers_listed
        if imported and key not in wanted and key[0] not in protected and in_scope:
            structure.assignments_removed.append(pk)
            code, audience = key[1], key[2] or key[3]
            structure.change(
                "assignments_removed", _name(state, key[0]), f"{subjects.get(code, code)} — {audience}"
            )


def structure_writes(plan: Plan) -> StructureWrites:
    """The writes of a plan whose people are written (every person now has their account)."""
    structure = plan.structure
    return StructureWrites(
        subjects=dict(structure.subjects),
        classes=set(structure.classes),
        class_levels=dict(structure.class_levels),
        groups=set(structure.groups),
        memberships_add=[
            (group, person.user_id) for group, person in structure.memberships_added if person.user_id
        ],
        memberships_remove=list(structure.memberships_removed),
        assignments_add=[
            (a.teacher.user_id, a.row.subject_code, a.row.class_name, a.row.group_name)
            for a in structure.assignments_added
            if a.teacher.user_id
        ],
        assignments_remove=list(structure.assignments_removed),
    )
