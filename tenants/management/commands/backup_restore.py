"""`mbn backup_restore DIR --database NAME --files DIR`: load a backup into an empty database and
folder, then compare every establishment's rows and files with the backup's manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.backups import backup_manifest, backup_restore, backup_verify
from tenants.management.commands.backup_drill import report
from tenants.offboarding.schema_dumps import database_params


class Command(BaseCommand):
    help = (
        "Restore a backup made by `mbn backup_create` into an EMPTY database (on the server of "
        "DATABASE_URL) and an EMPTY folder of files, then check row counts, table fingerprints and "
        "file checksums per establishment. Exits 1 on any difference."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source")
        parser.add_argument("--database", required=True, help="Name of an existing, empty database.")
        parser.add_argument("--files", required=True, help="An empty (or new) folder for the files.")

    def handle(self, *args: Any, **options: Any) -> None:
        source, files_root = Path(options["source"]), Path(options["files"])
        database = {**database_params(), "dbname": options["database"]}
        try:
            backup_restore(source=source, database=database, files_root=files_root)
        except ValueError as error:
            raise CommandError(str(error)) from error
        records = backup_manifest(source)
        differences = backup_verify(expected=records, database=database, files_root=files_root)
        self.stdout.write("\n".join(report(records, differences)))
        if differences:
            raise CommandError("The restored copy differs from the backup.")
