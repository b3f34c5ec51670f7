"""`mbn migrate_all`: public, the template, then every establishment that is behind, in parallel."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.migrate_all import SchemaResult, migrate_all


class Command(BaseCommand):
    help = (
        "Migrate the public schema, the template schema, then each establishment's schema that is not "
        "up to date, in parallel. A failing establishment does not stop the others; failures are listed "
        "at the end and the command exits non-zero. Run it again to resume."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(4, os.cpu_count() or 2),
            help="Worker processes for the schemas to migrate.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])

        def report(result: SchemaResult, done: int, total: int) -> None:
            if verbosity >= 2 or (verbosity >= 1 and result.status != "up_to_date"):
                line = f"[{done}/{total}] {result.uai} {result.schema_name}: {result.status}"
                self.stdout.write(line + (f" — {result.detail}" if result.detail else ""))

        results = migrate_all(processes=options["jobs"], report=report)
        failed = [r for r in results if r.status == "failed"]
        migrated = sum(1 for r in results if r.status == "migrated")
        if verbosity:
            self.stdout.write(
                f"{len(results)} establishment(s): {migrated} migrated, "
                f"{len(results) - migrated - len(failed)} already up to date, {len(failed)} failed."
            )
        if failed:
            raise CommandError(
                "Migration failed for:\n" + "\n".join(f"{r.uai} {r.schema_name}: {r.detail}" for r in failed)
            )
