"""Creating establishments (the provisioning service builds its jobs on these steps)."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import tenant_db
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, ValidationFailed
from tenants.models import Establishment, EstablishmentStatus, JobStatus
from tenants.schemas import (
    schema_clone,
    schema_pending_migrations,
    template_schema_migrate,
    template_schema_name,
)

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


def establishment_create(
    *,
    actor: Actor | None,
    uai: str,
    name: str,
    kind: str,
    academie: str,
    departement: str,
    subdomain: str,
    admin_email: str = "",
) -> Establishment:
    """Onboard an establishment now: record an onboarding job and run its steps here.

    Bad data is refused before anything is written (400 per field, 409 when the UAI or the
    subdomain is taken). If a step fails, the job is rolled back and the error raised: nothing
    is left behind.
    """
    from tenants.provisioning.jobs import (
        onboarding_job_create,
        provisioning_job_rollback,
        provisioning_job_run,
    )

    job = onboarding_job_create(
        actor=actor,
        data={
            "uai": uai,
            "name": name,
            "kind": kind,
            "academie": academie,
            "departement": departement,
            "subdomain": subdomain,
            "admin_email": admin_email,
        },
    )
    job = provisioning_job_run(job_id=job.pk)
    if job.status != JobStatus.SUCCEEDED:
        provisioning_job_rollback(actor=actor, job_id=job.pk)
        raise ApplicationError(
            job.error.splitlines()[0] if job.error else None, code=ErrorCode.ONBOARDING_FAILED
        )
    assert job.establishment is not None  # noqa: S101  (a succeeded job has its establishment)
    return job.establishment


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
    *, actor: Actor | None, establishment: Establishment, status: str
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
