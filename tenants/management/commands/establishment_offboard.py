"""`mbn establishment_offboard UAI --export KEY --confirm UAI`: delete an exported establishment."""

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
from tenants.offboarding import establishment_offboard


class Command(BaseCommand):
    help = (
        "Delete an establishment (schema, files, domains, memberships) after checking that the "
        "export KEY is intact, of this establishment and still current. --confirm must repeat the UAI."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("uai")
        parser.add_argument(
            "--export", required=True, metavar="KEY", help="The key printed by establishment_export."
        )
        parser.add_argument("--confirm", required=True, metavar="UAI", help="The establishment's UAI, again.")
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        establishment = establishment_from(options["uai"])
        uai, name = establishment.uai, establishment.name
        try:
            establishment_offboard(
                actor=actor_from(options),
                establishment=establishment,
                confirm_uai=options["confirm"],
                export_key=options["export"],
            )
        except ApplicationError as error:
            raise command_error(error) from error
        self.stdout.write(f"{uai} {name}: offboarded; its export is {options['export']}")
