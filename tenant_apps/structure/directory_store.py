"""The structure app's side of the directory import: registered with the directory at start-up
(``StructureConfig.ready()``), so that the directory reads and writes the school's structure
without importing this app."""

from __future__ import annotations

from collections.abc import Iterable

from shared_apps.directory.structure_store import StructureSnapshot, StructureWrites, structure_store_register
from tenant_apps.structure.imports import structure_import_write, structure_snapshot


class ImportStructureStore:
    """``shared_apps.directory.structure_store.StructureStore`` over ``imports.py``."""

    def snapshot(
        self,
        *,
        subject_codes: Iterable[str],
        class_names: Iterable[str],
        group_names: Iterable[str],
        memberships: bool,
        assignments: bool,
    ) -> StructureSnapshot:
        return structure_snapshot(
            subject_codes=subject_codes,
            class_names=class_names,
            group_names=group_names,
            memberships=memberships,
            assignments=assignments,
        )

    def write(self, *, writes: StructureWrites) -> None:
        structure_import_write(writes=writes)


def directory_store_register() -> None:
    structure_store_register(ImportStructureStore())
