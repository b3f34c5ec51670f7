"""`mbn backup_drill`: back the platform up, restore it into an empty database and folder, compare."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from tenants.backups import (
    Difference,
    SchemaRecord,
    backup_create,
    backup_restore,
    backup_verify,
    scratch_database,
)
from tenants.offboarding.schema_dumps import database_params


def report(records: list[SchemaRecord], differences: list[Difference]) -> list[str]:
    """One line per schema (the public one first, then each establishment), then the differences."""
    wrong = {d.schema for d in differences}
    lines = [f"{'UAI':<9} {'schema':<13} {'tables':>6} {'rows':>9} {'files':>6}  result"]
    for record in records:
        result = "DIFFERENT" if record.schema in wrong else "ok"
        lines.append(
            f"{record.uai or '(region)':<9} {record.schema:<13} {len(record.tables):>6} "
            f"{record.rows:>9} {len(record.files):>6}  {result}"
        )
    lines += [f"  {d.uai or d.schema}: {d.what}: expected {d.expected}, found {d.found}" for d in differences]
    return lines


class Command(BaseCommand):
    help = (
        "Backup and restore drill: dump the whole database and every establishment's files, restore "
        "them into a new empty database (beside this one) and an empty folder, then compare each "
        "establishment's row counts, table fingerprints and file checksums. Exits 1 on any difference."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--workdir", help="Where the backup and the restored files go (default: a temp dir)."
        )
        parser.add_argument("--keep", action="store_true", help="Keep the restored database and the files.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        own_dir = not options["workdir"]
        workdir = Path(options["workdir"] or tempfile.mkdtemp(prefix="mbn-backup-drill-"))
        name = f"{database_params()['dbname'][:40]}_drill_{secrets.token_hex(4)}"
        records = backup_create(target=workdir / "backup", storage=default_storage)
        self.stderr.write(f"Backed up {len(records) - 1} establishments into {workdir / 'backup'}.")
        database = scratch_database(name)
        try:
            backup_restore(
                source=workdir / "backup", database=database, files_root=workdir / "restored-files"
            )
            differences = backup_verify(
                expected=records, database=database, files_root=workdir / "restored-files"
            )
        finally:
            if not options["keep"]:
                scratch_database(name, drop=True)
                if own_dir:
                    shutil.rmtree(workdir, ignore_errors=True)
        self.stdout.write("\n".join(report(records, differences)))
        rows = sum(r.rows for r in records)
        files = sum(len(r.files) for r in records)
        where = f" (kept: database {name}, {workdir})" if options["keep"] else ""
        self.stdout.write(
            f"Restored {rows} rows and {files} files of {len(records) - 1} establishments in "
            f"{time.monotonic() - started:.1f} s{where}: "
            + (f"{len(differences)} differences." if differences else "everything matches.")
        )
        if differences:
            raise CommandError("The restored copy differs from the backup.")
