"""The directories a set of files makes, one per establishment it concerns.

- A complete set: every establishment the ``EtabEducNat`` files name, with everyone the files
  attach to it: "this is everything" (the import departs whoever is absent). A family the files
  list nobody of, for an establishment, is left as it is.
- A delta: the establishments of the people it adds, modifies or deletes, each with these people
  only (``Directory.delta``); someone deleted, or moved to another establishment, or a guardian
  no child there names any more, departs from it. A subject renamed by a delta is renamed by the
  next complete set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shared_apps.directory.aaf.build import EstablishmentBuilder, Index, index_build
from shared_apps.directory.aaf.names import ELEVE, PERS_EDUC_NAT, PERS_REL_ELEVE
from shared_apps.directory.aaf.state import Entries, StateChange
from shared_apps.directory.parsers.model import (
    GUARDIAN,
    SCOPED_ID_PREFIX,
    STAFF,
    STUDENT,
    Directory,
    name_key,
)


@dataclass
class Built:
    uai: str
    structure_id: str
    directory: Directory


@dataclass
class _Scope:
    students: set[str] = field(default_factory=set)
    guardians: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)
    departed: set[tuple[str, str]] = field(default_factory=set)


def _build(index: Index, sid: str, uai: str, scope: _Scope | None, prefix: str) -> Directory:
    entries = index.entries
    builder = EstablishmentBuilder(index, sid, prefix)
    students = index.students.get(sid, set()) if scope is None else scope.students
    named: set[str] = set()
    for student_id in sorted(students):
        if student_id in entries.get(ELEVE, {}):
            named |= builder.student(student_id, entries[ELEVE][student_id])
    guardians = named if scope is None else named | scope.guardians
    for guardian_id in sorted(guardians):
        if guardian_id in entries.get(PERS_REL_ELEVE, {}):
            builder.guardian(guardian_id, entries[PERS_REL_ELEVE][guardian_id])
    for staff_id in sorted(index.staff.get(sid, set()) if scope is None else scope.staff):
        if staff_id in entries.get(PERS_EDUC_NAT, {}):
            builder.staff(staff_id, entries[PERS_EDUC_NAT][staff_id])
    directory = builder.directory(uai)
    if scope is not None:
        directory.delta, directory.families = True, []
        directory.departed = sorted((family, prefix + aaf_id) for family, aaf_id in scope.departed)
    return directory


def _unplaced(index: Index) -> list[str]:
    notes = []
    for sid in sorted((index.students.keys() | index.staff.keys()) - index.uais.keys()):
        count = len(index.students.get(sid, ())) + len(index.staff.get(sid, ()))
        notes.append(
            _("%(count)d people of establishment %(id)r, which the EtabEducNat files do not name: left out.")
            % {"count": count, "id": sid}
        )
    return notes


def id_prefix(academie: str) -> str:
    """The prefix of an académie's ids (``model.SCOPED_ID_PREFIX``)."""
    return f"{SCOPED_ID_PREFIX}{name_key(academie).replace(' ', '-')}:"


def directories_complete(entries: Entries, *, prefix: str) -> tuple[list[Built], list[str]]:
    index = index_build(entries)
    built = [
        Built(uai, sid, _build(index, sid, uai, None, prefix)) for sid, uai in sorted(index.uais.items())
    ]
    return built, _unplaced(index)


def directories_delta(entries: Entries, change: StateChange, *, prefix: str) -> tuple[list[Built], list[str]]:
    index = index_build(entries)
    scopes: dict[str, _Scope] = defaultdict(_Scope)
    for (category, aaf_id), before in change.before.items():
        after = entries.get(category, {}).get(aaf_id)
        if category == ELEVE:
            places_after, places_before = index.student_places(after), index.student_places(before)
            for sid in places_after:
                scopes[sid].students.add(aaf_id)
            for sid in places_before - places_after:
                scopes[sid].departed.add((STUDENT, aaf_id))
            for sid in places_before | places_after:
                still_named = set().union(
                    *(index.guardians_of(entries[ELEVE].get(s)) for s in index.students.get(sid, ()))
                )
                for guardian_id in index.guardians_of(before) - still_named:
                    scopes[sid].departed.add((GUARDIAN, guardian_id))
        elif category == PERS_EDUC_NAT:
            places_after, places_before = index.staff_places(after), index.staff_places(before)
            for sid in places_after:
                scopes[sid].staff.add(aaf_id)
            for sid in places_before - places_after:
                scopes[sid].departed.add((STAFF, aaf_id))
        elif category == PERS_REL_ELEVE:
            places = set().union(
                *(index.student_places(entries[ELEVE].get(s)) for s in index.children.get(aaf_id, ()))
            )
            for sid in places:
                if after is None:
                    scopes[sid].departed.add((GUARDIAN, aaf_id))
                else:
                    scopes[sid].guardians.add(aaf_id)
    built = [
        Built(index.uais[sid], sid, _build(index, sid, index.uais[sid], scope, prefix))
        for sid, scope in sorted(scopes.items())
        if sid in index.uais
    ]
    return built, _unplaced(index) if scopes.keys() - index.uais.keys() else []
