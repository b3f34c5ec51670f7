"""`mbn establishment_export UAI`: write the establishment's archive; print its key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mbn_platform.kernel.errors import ApplicationError
from tenants.management.commands._archives import (
    actor_from,
    add_actor_argument,
    command_error,
    establishment_from,
)
from tenants.offboarding import establishment_export


class Command(BaseCommand):
    help = (
        "Export an establishment (its schema as a pg_dump, its files, a manifest) to the backups "
        "bucket (S3_BACKUPS_BUCKET) or EXPORTS_ROOT. Prints the export's key on standard output, "
        "its location and checksum on standard error."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("uai")
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        establishment = establishment_from(options["uai"])
        try:
            export = establishment_export(actor=actor_from(options), establishment=establishment)
        except ApplicationError as error:
            raise command_error(error) from error
        self.stdout.write(export.key)
        self.stderr.write(
            f"{establishment.uai} {establishment.name}: {export.location} "
            f"({export.size} bytes, sha256 {export.sha256}, {len(export.manifest.files)} files)"
        )
