"""Creating establishments (the provisioning service builds its jobs on these steps)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.db import tenant_db
from mbn_platform.errors import Conflict, ValidationFailed
from shared_apps.audit.services import audit_record
from shared_apps.identity.models import User
from tenants.models import Domain, Establishment, EstablishmentStatus
from tenants.schemas import (
    schema_clone,
    schema_pending_migrations,
    template_schema_migrate,
    template_schema_name,
)
from tenants.uai import uai_normalize

SUBDOMAIN_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
RESERVED_SUBDOMAINS = frozenset({"www", "api", "admin", "static", "media", "mail", "portail", "console"})


def subdomain_validate(subdomain: str) -> str:
    value = subdomain.strip().lower()
    if not SUBDOMAIN_RE.match(value) or value in RESERVED_SUBDOMAINS:
        raise ValidationFailed(
            fields={"subdomain": [_("Use lowercase letters, digits and hyphens (not a reserved name).")]}
        )
    return value


def establishment_host(subdomain: str) -> str:
    return f"{subdomain}.{settings.MBN_BASE_DOMAIN}"


@transaction.atomic
def establishment_create(
    *,
    actor: User | None,
    uai: str,
    name: str,
    kind: str,
    academie: str,
    departement: str,
    subdomain: str,
    status: str = EstablishmentStatus.ACTIVE,
) -> Establishment:
    """Create an establishment: its row, its schema cloned from the template, its domain.

    One transaction: on any failure nothing is left behind (PostgreSQL DDL is transactional),
    so a half-created establishment is never served.
    """
    subdomain = subdomain_validate(subdomain)
    establishment = Establishment(
        uai=uai_normalize(uai),
        name=name.strip(),
        kind=kind,
        academie=academie.strip(),
        departement=departement.strip().upper(),
        status=EstablishmentStatus.PROVISIONING,
    )
    try:
        establishment.full_clean(validate_unique=False)
    except ValidationError as error:
        raise ValidationFailed.from_django(error) from error
    if Establishment.objects.filter(uai=establishment.uai).exists():
        raise Conflict(
            _("An establishment with this UAI code already exists."),
            code="uai_taken",
            fields={"uai": [_("An establishment with this UAI code already exists.")]},
        )
    host = establishment_host(subdomain)
    if Domain.objects.filter(domain=host).exists():
        raise Conflict(
            _("This subdomain is already used."),
            code="subdomain_taken",
            fields={"subdomain": [_("Already used.")]},
        )
    establishment.save()
    schema_create_from_template(schema_name=establishment.schema_name)
    Domain.objects.create(domain=host, tenant=establishment, is_primary=True)
    establishment.status = status
    establishment.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="establishment.create",
        establishment=establishment,
        target=establishment,
        details={"uai": establishment.uai, "host": host, "schema": establishment.schema_name},
    )
    return establishment


def schema_create_from_template(*, schema_name: str) -> None:
    """Clone the template into a new schema, then apply any migration the template lacked."""
    template_schema_migrate()
    schema_clone(source=template_schema_name(), target=schema_name)
    if schema_pending_migrations(schema_name):
        from django.core.management import call_command

        call_command("migrate_schemas", schema_name=schema_name, tenant=True, interactive=False, verbosity=0)
    tenant_db().set_schema_to_public()


@transaction.atomic
def establishment_set_status(
    *, actor: User | None, establishment: Establishment, status: str
) -> Establishment:
    if status not in EstablishmentStatus.values:
        raise ValidationFailed(fields={"status": [_("Unknown status.")]})
    previous = establishment.status
    if previous == status:
        return establishment
    establishment.status = status
    establishment.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="establishment.status",
        establishment=establishment,
        target=establishment,
        details={"from": previous, "to": status},
    )
    return establishment
