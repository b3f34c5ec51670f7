"""Establishments (tenants) and their domains, in the public schema."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.postgresql_backend.base import _check_schema_name

from tenants.uai import validate_uai
from tenants.zones import Zone


def new_schema_name() -> str:
    """An opaque, immutable schema name: never derived from the subdomain (design brief §3)."""
    return f"t_{secrets.token_hex(5)}"


class EstablishmentKind(models.TextChoices):
    COLLEGE = "college", _("Collège")
    LYCEE = "lycee", _("Lycée")
    LYCEE_PRO = "lycee_pro", _("Lycée professionnel")
    LYCEE_AGRICOLE = "lycee_agricole", _("Lycée agricole")


class EstablishmentStatus(models.TextChoices):
    PROVISIONING = "provisioning", _("Provisioning")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class Establishment(TenantMixin):
    """One establishment of the region: one PostgreSQL schema, one or more subdomains."""

    schema_name = models.CharField(
        max_length=63, unique=True, default=new_schema_name, editable=False, validators=[_check_schema_name]
    )
    uai = models.CharField(_("UAI code"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EstablishmentKind.choices)
    academie = models.CharField(_("académie"), max_length=100)
    departement = models.CharField(
        _("département"),
        max_length=3,
        validators=[RegexValidator(r"^(\d{2,3}|2A|2B)$", _("A département code, e.g. 67, 2A or 974."))],
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EstablishmentStatus.choices,
        default=EstablishmentStatus.PROVISIONING,
    )
    # Who pays for the establishment's workspace (shared_apps/billing; by default the
    # département's council for a collège, the region for a lycée, the agriculture ministry for a
    # lycée agricole). Changed only through ``billing.funders.establishment_funder_assign``, which
    # keeps the history.
    funded_by = models.ForeignKey(
        "billing.Funder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funder"),
    )
    # Expand/contract: the former free-text funder, kept in step with ``funded_by`` (its name)
    # for code of the previous release during a rollout; read by nothing else. Dropped by a later
    # contract migration (docs/billing.md, "Funder field migration").
    funder = models.CharField(
        _("funder (former text)"), max_length=120, blank=True, default="", db_index=True
    )
    #: The school-holiday zone whose official calendar it follows (by default its académie's:
    #: ``tenants.zones.zone_of_academie``); "" outside the three zones.
    zone = models.CharField(
        _("holiday zone"), max_length=1, choices=Zone.choices, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas are created by the provisioning service (tenants.provisioning), never implicitly on save.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.uai})"

    @property
    def is_serving(self) -> bool:
        """Whether users may reach the establishment's pages (active, or archived read-only)."""
        return self.status in {EstablishmentStatus.ACTIVE, EstablishmentStatus.ARCHIVED}


class Domain(DomainMixin):
    """A hostname serving an establishment (``kleber.<base domain>``).

    The primary domain serves the establishment; an alias serves it too; a former domain
    (``redirect``) answers with a permanent redirect to the primary one.
    """

    redirect = models.BooleanField(_("redirects to the primary domain"), default=False)

    class Meta:
        verbose_name = _("domain")

    def __str__(self) -> str:
        return self.domain


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class ProvisioningBatch(models.Model):
    """Several onboarding jobs started together (a CSV of the region's establishments)."""

    source_name = models.CharField(_("source"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provisioning batch")
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.source_name})"


class ProvisioningJob(models.Model):
    """A recorded provisioning operation made of idempotent steps, resumable or reversible.

    ``steps`` maps each step name to its state: ``{"status": "done"|"failed", "at": iso, "error": str}``.
    A step's state is written in the same transaction as the step's own effects.
    """

    class Kind(models.TextChoices):
        ONBOARD = "onboard", _("Onboard")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ONBOARD)
    status = models.CharField(
        max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True
    )
    uai = models.CharField(_("UAI code"), max_length=8, db_index=True)
    params = models.JSONField(default=dict)
    steps = models.JSONField(default=dict)
    establishment = models.ForeignKey(
        Establishment, on_delete=models.SET_NULL, null=True, blank=True, related_name="provisioning_jobs"
    )
    batch = models.ForeignKey(
        ProvisioningBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("provisioning job")
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            # One live onboarding per UAI: a second one is refused while the first is not over.
            models.UniqueConstraint(
                fields=["uai"],
                condition=models.Q(kind="onboard", status__in=["pending", "running", "failed"]),
                name="tenants_job_one_live_onboarding_per_uai",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uai} ({self.status})"

    def step_done(self, name: str) -> bool:
        return bool(self.steps.get(name, {}).get("status") == "done")
