"""`mbn backup_create DIR`: the whole database and every establishment's files, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from tenants.backups import backup_create


class Command(BaseCommand):
    help = (
        "Write a backup into a new folder: database.dump (pg_dump, custom format, the whole database), "
        "files/<schema>/... and manifest.json (per establishment: row counts and fingerprints per "
        "table, files with their sha256). Restore and check it with `mbn backup_restore`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("target", help="A folder that does not exist yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        records = backup_create(target=Path(options["target"]), storage=default_storage)
        self.stdout.write(
            f"{len(records) - 1} establishments, {sum(r.rows for r in records)} rows, "
            f"{sum(len(r.files) for r in records)} files in {options['target']}."
        )
