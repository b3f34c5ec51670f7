"""Validation of an establishment's onboarding data, shared by the form, the API, the CSV and
the command line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.billing.defaults import default_funder_spec
from shared_apps.billing.funders import funder_find
from tenants.models import Domain, Establishment, EstablishmentKind, JobStatus, ProvisioningJob
from tenants.subdomains import RESERVED_SUBDOMAINS, SUBDOMAIN_RE, establishment_host
from tenants.uai import uai_normalize, validate_uai


@dataclass(frozen=True)
class OnboardingData:
    uai: str
    name: str
    kind: str
    academie: str
    departement: str
    subdomain: str
    admin_email: str = ""
    funder: str = ""

    def as_params(self) -> dict[str, str]:
        return {
            "uai": self.uai,
            "name": self.name,
            "kind": self.kind,
            "academie": self.academie,
            "departement": self.departement,
            "subdomain": self.subdomain,
            "admin_email": self.admin_email,
            "funder": self.funder,
        }


def default_funder(*, kind: str, departement: str) -> str:
    """The code of the default funder (shared_apps/billing/defaults.py): the département's council
    for a collège, the agriculture ministry for a lycée agricole, the region for other lycées."""
    return default_funder_spec(kind=kind, departement=departement).code


def funder_unknown(data: OnboardingData) -> dict[str, list[str]]:
    """The funder named (by code or name) must exist, unless it is the default one (created at
    onboarding when it does not exist yet)."""
    if not data.funder or data.funder == default_funder(kind=data.kind, departement=data.departement):
        return {}
    if funder_find(data.funder) is None:
        return {"funder": [_("No funder has this code or name.")]}
    return {}


def onboarding_data_clean(raw: Mapping[str, object]) -> tuple[OnboardingData | None, dict[str, list[str]]]:
    """Normalise and check one establishment's data on its own (no database). Returns the data
    or the errors by field."""
    value = {key: str(raw.get(key) or "").strip() for key in OnboardingData.__dataclass_fields__}
    value["uai"] = uai_normalize(value["uai"])
    value["subdomain"] = value["subdomain"].lower()
    value["departement"] = value["departement"].upper()
    value["admin_email"] = value["admin_email"].lower()
    if not value["funder"] and value["departement"]:
        value["funder"] = default_funder(kind=value["kind"], departement=value["departement"])
    errors: dict[str, list[str]] = {}
    try:
        validate_uai(value["uai"])
    except ValidationError as error:
        errors["uai"] = [str(m) for m in error.messages]
    for field in ("name", "academie"):
        if not value[field]:
            errors[field] = [_("This field is required.")]
    if value["kind"] not in EstablishmentKind.values:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(EstablishmentKind.values)}]
    if not (value["departement"].isdigit() and len(value["departement"]) in (2, 3)) and value[
        "departement"
    ] not in (
        "2A",
        "2B",
    ):
        errors["departement"] = [_("A département code, e.g. 67, 2A or 974.")]
    if not SUBDOMAIN_RE.match(value["subdomain"]) or value["subdomain"] in RESERVED_SUBDOMAINS:
        errors["subdomain"] = [_("Use lowercase letters, digits and hyphens (not a reserved name).")]
    if value["admin_email"]:
        try:
            validate_email(value["admin_email"])
        except ValidationError:
            errors["admin_email"] = [_("Enter a valid e-mail address.")]
    if errors:
        return None, errors
    return OnboardingData(**value), {}


def onboarding_conflicts(data: OnboardingData, *, job_id: int | None = None) -> dict[str, list[str]]:
    """What the database already holds that this onboarding would collide with."""
    errors: dict[str, list[str]] = {}
    live_jobs = ProvisioningJob.objects.filter(
        kind=ProvisioningJob.Kind.ONBOARD, status__in=[JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED]
    )
    if job_id is not None:
        live_jobs = live_jobs.exclude(pk=job_id)
    if Establishment.objects.filter(uai=data.uai).exists() or live_jobs.filter(uai=data.uai).exists():
        errors["uai"] = [_("An establishment with this UAI code already exists or is being onboarded.")]
    if (
        Domain.objects.filter(domain=establishment_host(data.subdomain)).exists()
        or live_jobs.filter(params__subdomain=data.subdomain).exists()
    ):
        errors["subdomain"] = [_("This subdomain is already used.")]
    errors.update(funder_unknown(data))
    return errors


def onboarding_data_validate(raw: Mapping[str, object]) -> OnboardingData:
    """Clean and check against the database; raise ValidationFailed (400) or Conflict (409)."""
    from mbn_platform.kernel.errors import Conflict

    data, errors = onboarding_data_clean(raw)
    if data is None:
        raise ValidationFailed(fields=errors)
    unknown = funder_unknown(data)
    if unknown:
        raise ValidationFailed(fields=unknown)
    conflicts = onboarding_conflicts(data)
    if conflicts:
        code = ErrorCode.UAI_TAKEN if "uai" in conflicts else ErrorCode.SUBDOMAIN_TAKEN
        raise Conflict(next(iter(conflicts.values()))[0], code=code, fields=conflicts)
    return data
