"""What the directory import reads and writes of the school's structure (subjects, classes, groups
and their members, teaching assignments): the data it exchanges, and a hook the structure app
fills at start-up (``StructureConfig.ready()``). The directory never imports a tenant app.

What to change is decided by ``structure_planning.py``; the store only reads a snapshot and
applies the writes, in the current schema and the caller's transaction, in a fixed number of
queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

# (teacher's region-wide user id, subject code, class name, group name); "" for the one not set.
AssignmentKey = tuple[int, str, str, str]


@dataclass
class StructureSnapshot:
    """What the schema holds, as far as an import is concerned."""

    subjects: dict[str, str]  # code -> name (the codes asked for)
    classes: set[str]  # names (the names asked for)
    groups: dict[str, bool]  # name -> imported (the names asked for, and every imported group)
    # (group name, student's user id) -> row of the membership table, for the groups above
    memberships: dict[tuple[str, int], int]
    assignments: dict[AssignmentKey, tuple[int, bool]]  # every assignment -> (pk, imported)
    class_levels: dict[str, str] = field(default_factory=dict)  # name -> level (the names asked for)


@dataclass
class StructureWrites:
    subjects: dict[str, str] = field(default_factory=dict)  # code -> name: created or renamed
    classes: set[str] = field(default_factory=set)  # created when missing
    class_levels: dict[str, str] = field(default_factory=dict)  # name -> level, set where it differs
    groups: set[str] = field(default_factory=set)  # created when missing, marked imported
    memberships_add: list[tuple[str, int]] = field(default_factory=list)  # (group name, user id)
    memberships_remove: list[int] = field(default_factory=list)  # rows of the membership table
    assignments_add: list[AssignmentKey] = field(default_factory=list)  # marked imported
    assignments_remove: list[int] = field(default_factory=list)  # pks of imported assignments


class StructureStore(Protocol):
    def snapshot(
        self,
        *,
        subject_codes: Iterable[str],
        class_names: Iterable[str],
        group_names: Iterable[str],
        memberships: bool,
        assignments: bool,
    ) -> StructureSnapshot:
        """What the schema holds of these subjects, classes and groups (at most five queries)."""

    def write(self, *, writes: StructureWrites) -> None:
        """Apply what the plan decided; nothing is written when nothing changes."""


_registered: list[StructureStore] = []


def structure_store_register(implementation: StructureStore) -> None:
    """Register the app that keeps the school's structure (one)."""
    _registered[:] = [implementation]


def structure_store() -> StructureStore:
    if not _registered:
        raise ImproperlyConfigured(
            "No installed app keeps the school's structure (the structure app registers it)."
        )
    return _registered[0]
