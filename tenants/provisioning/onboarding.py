"""The onboarding steps of an establishment. Each step is idempotent and has an undo.

A step runs in its own transaction together with the record that it is done, so a job killed
between two steps resumes at the first step not done, and a rollback undoes exactly the steps
that were done. The establishment stays in the ``provisioning`` status, which serves only the
maintenance page, until the last step: nothing half-created is ever served.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists
from psycopg import sql

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict
from mbn_platform.kernel.generations import ESTABLISHMENTS, generation_bump
from shared_apps.billing.funders import establishment_funder_assign, funder_find
from shared_apps.identity.models import Membership, User
from shared_apps.identity.roles import Role
from tenants.models import Domain, Establishment, EstablishmentStatus, ProvisioningJob
from tenants.provisioning.defaults import establishment_defaults_apply
from tenants.schemas import schema_create_from_template
from tenants.subdomains import establishment_host
from tenants.zones import zone_of_academie

STORAGE_MARKER = ".mbn-establishment"

StepFunction = Callable[[ProvisioningJob], None]


def step_record(job: ProvisioningJob) -> None:
    if job.establishment_id and Establishment.objects.filter(pk=job.establishment_id).exists():
        return
    params = job.params
    establishment = Establishment.objects.create(
        uai=params["uai"],
        name=params["name"],
        kind=params["kind"],
        academie=params["academie"],
        departement=params["departement"],
        zone=zone_of_academie(params["academie"]),
        status=EstablishmentStatus.PROVISIONING,
    )
    # The funder named (code or name), else the default one of its kind and département.
    establishment_funder_assign(
        actor=None, establishment=establishment, funder=funder_find(params.get("funder", ""))
    )
    job.establishment = establishment


def undo_record(job: ProvisioningJob) -> None:
    if job.establishment_id:
        Establishment.objects.filter(
            pk=job.establishment_id, status=EstablishmentStatus.PROVISIONING
        ).delete()
        job.establishment = None


def step_schema(job: ProvisioningJob) -> None:
    establishment = _establishment(job)
    if not schema_exists(establishment.schema_name):
        schema_create_from_template(schema_name=establishment.schema_name)


def undo_schema(job: ProvisioningJob) -> None:
    establishment = _establishment(job, required=False)
    if establishment is not None:
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of rows written earlier in this transaction must run
            # before their tables can be dropped.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(establishment.schema_name))
            )


def step_domain(job: ProvisioningJob) -> None:
    establishment = _establishment(job)
    host = establishment_host(job.params["subdomain"])
    existing = Domain.objects.filter(domain=host).first()
    if existing is not None:
        if existing.tenant_id != establishment.pk:
            raise Conflict(
                _("This subdomain is already used."),
                code=ErrorCode.SUBDOMAIN_TAKEN,
                fields={"subdomain": [_("This subdomain is already used.")]},
            )
        return
    Domain.objects.create(domain=host, tenant=establishment, is_primary=True)


def undo_domain(job: ProvisioningJob) -> None:
    if job.establishment_id:
        Domain.objects.filter(tenant_id=job.establishment_id).delete()


def step_defaults(job: ProvisioningJob) -> None:
    """What each tenant app seeds a new schema with (``defaults.py``: they register at start-up)."""
    establishment = _establishment(job)
    with schema_context(establishment.schema_name):
        establishment_defaults_apply(establishment=establishment)


def undo_defaults(job: ProvisioningJob) -> None:
    """The defaults live in the establishment's schema, which the schema's undo drops."""


def step_storage(job: ProvisioningJob) -> None:
    establishment = _establishment(job)
    with schema_context(establishment.schema_name):
        name = f"{establishment.schema_name}/{STORAGE_MARKER}"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(f"{establishment.uai}\n".encode()))


def undo_storage(job: ProvisioningJob) -> None:
    establishment = _establishment(job, required=False)
    if establishment is not None:
        with schema_context(establishment.schema_name):
            name = f"{establishment.schema_name}/{STORAGE_MARKER}"
            if default_storage.exists(name):
                default_storage.delete(name)


def step_first_admin(job: ProvisioningJob) -> None:
    from tenants.provisioning.invitations import first_admin_invite

    email = job.params.get("admin_email") or ""
    if email:
        user = first_admin_invite(job=job, establishment=_establishment(job), email=email)
        job.params = {**job.params, "admin_user_id": user.pk}


def undo_first_admin(job: ProvisioningJob) -> None:
    user_id = job.params.get("admin_user_id")
    if user_id and job.establishment_id:
        Membership.objects.filter(
            user_id=user_id, establishment_id=job.establishment_id, role=Role.ESTABLISHMENT_ADMIN
        ).delete()
        # An account created for this invitation and used nowhere else goes too.
        User.objects.filter(
            pk=user_id, last_login__isnull=True, memberships__isnull=True, region_roles__isnull=True
        ).delete()


def step_activate(job: ProvisioningJob) -> None:
    establishment = _establishment(job)
    if establishment.status != EstablishmentStatus.PROVISIONING:
        return
    establishment.status = EstablishmentStatus.ACTIVE
    establishment.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=job.created_by,
        action="establishment.create",
        establishment=establishment,
        target=establishment,
        details={
            "uai": establishment.uai,
            "host": establishment_host(job.params["subdomain"]),
            "schema": establishment.schema_name,
            "job": job.pk,
        },
    )


def undo_activate(job: ProvisioningJob) -> None:
    if job.establishment_id:
        Establishment.objects.filter(pk=job.establishment_id).update(status=EstablishmentStatus.PROVISIONING)
        generation_bump(ESTABLISHMENTS)  # no signal for an update(): every process must see it


# The order matters: a rollback runs the undos in reverse. Looked up by name at run time.
ONBOARDING_STEPS: dict[str, tuple[StepFunction, StepFunction]] = {
    "record": (step_record, undo_record),
    "schema": (step_schema, undo_schema),
    "domain": (step_domain, undo_domain),
    "defaults": (step_defaults, undo_defaults),
    "storage": (step_storage, undo_storage),
    "first_admin": (step_first_admin, undo_first_admin),
    "activate": (step_activate, undo_activate),
}


def _establishment(job: ProvisioningJob, *, required: bool = True) -> Establishment:
    """The job's establishment, fresh from the database (and kept on the job)."""
    establishment = (
        Establishment.objects.filter(pk=job.establishment_id).first() if job.establishment_id else None
    )
    if establishment is not None:
        job.establishment = establishment
    elif required:
        raise RuntimeError(f"job {job.pk}: the establishment record is missing")
    return establishment  # type: ignore[return-value]
