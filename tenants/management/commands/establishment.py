"""`mbn establishment UAI suspend|reactivate|archive|subdomain NEW|alias NEW`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mbn_platform.kernel.errors import ApplicationError
from tenants.models import Establishment
from tenants.provisioning.domains import establishment_alias_add, establishment_subdomain_change
from tenants.provisioning.lifecycle import establishment_lifecycle


class Command(BaseCommand):
    help = "Lifecycle and addresses of one establishment: suspend, reactivate, archive, subdomain, alias."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("uai")
        parser.add_argument("action", choices=["suspend", "reactivate", "archive", "subdomain", "alias"])
        parser.add_argument("value", nargs="?", default="", help="The new subdomain (subdomain, alias).")

    def handle(self, *args: Any, **options: Any) -> None:
        establishment = Establishment.objects.filter(uai=options["uai"].upper()).first()
        if establishment is None:
            raise CommandError(f"No establishment with UAI {options['uai']}.")
        action, value = options["action"], options["value"]
        try:
            if action == "subdomain":
                establishment_subdomain_change(actor=None, establishment=establishment, subdomain=value)
            elif action == "alias":
                establishment_alias_add(actor=None, establishment=establishment, subdomain=value)
            else:
                establishment_lifecycle(actor=None, establishment=establishment, action=action)
        except ApplicationError as error:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.fields.items())
            raise CommandError(f"{error.message} {details}".strip()) from error
        establishment.refresh_from_db()
        self.stdout.write(f"{establishment.uai} {establishment.name}: {establishment.status}")
