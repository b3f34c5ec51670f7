"""`mbn establishment_restore KEY [--subdomain S] [--uai U]`: re-create an establishment from an export."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mbn_platform.kernel.errors import ApplicationError
from shared_apps.audit.models import AuditEntry
from tenants.management.commands._archives import actor_from, add_actor_argument, command_error
from tenants.offboarding import establishment_restore


class Command(BaseCommand):
    help = (
        "Restore an establishment from an export into a new schema: the export's UAI and subdomain "
        "unless given, its rows, its files, and the memberships of the people who still exist."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("key", help="The export's key (or s3://<backups bucket>/<key>).")
        parser.add_argument(
            "--subdomain", default=None, help="Serve it here instead of its former subdomain."
        )
        parser.add_argument("--uai", default=None, help="Give it this UAI instead of the export's.")
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            establishment = establishment_restore(
                actor=actor_from(options),
                export_key=options["key"],
                subdomain=options["subdomain"],
                uai=options["uai"],
            )
        except ApplicationError as error:
            raise command_error(error) from error
        entry = AuditEntry.objects.filter(
            action="establishment.restore", establishment_id=establishment.pk
        ).first()
        details = entry.details if entry is not None else {}
        self.stdout.write(
            f"{establishment.uai} {establishment.name}: restored into {establishment.schema_name}, "
            f"served at {details.get('host', '?')}; "
            f"{details.get('memberships_relinked', 0)} memberships relinked"
        )
        missing = details.get("people_not_found") or []
        if missing:
            self.stdout.write(
                f"Not found (no membership re-created): user ids {', '.join(map(str, missing))}"
            )
