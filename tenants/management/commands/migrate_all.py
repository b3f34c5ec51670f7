"""`mbn migrate_all`: the public schema, the template, then every establishment that needs it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tenants.models import Establishment
from tenants.schemas import schema_pending_migrations, template_schema_migrate

CONNECTION_RECYCLE_EVERY = 50


class Command(BaseCommand):
    help = (
        "Migrate the public schema, the template schema, then each establishment's schema that is "
        "not up to date. A failing establishment does not stop the others; failures are listed at "
        "the end and the command exits non-zero."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0))
        template_schema_migrate(verbosity=max(verbosity - 1, 0))
        failures: list[str] = []
        migrated = 0
        schemas = list(Establishment.objects.order_by("pk").values_list("schema_name", flat=True))
        for index, schema_name in enumerate(schemas):
            if index and index % CONNECTION_RECYCLE_EVERY == 0:
                # A backend caches catalog entries of every table it touches: start afresh.
                connection.close()
            try:
                if not schema_pending_migrations(schema_name):
                    continue
                call_command(
                    "migrate_schemas",
                    schema_name=schema_name,
                    tenant=True,
                    interactive=False,
                    verbosity=max(verbosity - 1, 0),
                )
                migrated += 1
            except Exception as error:  # report and go on with the other establishments
                failures.append(f"{schema_name}: {type(error).__name__}: {error}")
        if verbosity:
            self.stdout.write(
                f"{len(schemas)} establishment(s): {migrated} migrated, "
                f"{len(schemas) - migrated - len(failures)} already up to date, {len(failures)} failed."
            )
        if failures:
            raise CommandError("Migration failed for:\n" + "\n".join(failures))
