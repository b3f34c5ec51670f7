"""A school's addresses: change its subdomain (the old one redirects), add or remove an alias."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from tenants.models import Domain, Establishment
from tenants.subdomains import establishment_host, subdomain_validate


def _free_host(host: str, establishment: Establishment) -> Domain | None:
    """The domain row of this host if it already belongs to the establishment; Conflict if another's."""
    existing = Domain.objects.filter(domain=host).first()
    if existing is not None and existing.tenant_id != establishment.pk:
        raise Conflict(
            _("This subdomain is already used."),
            code=ErrorCode.SUBDOMAIN_TAKEN,
            fields={"subdomain": [_("This subdomain is already used.")]},
        )
    return existing


@transaction.atomic
def establishment_subdomain_change(
    *, actor: Actor | None, establishment: Establishment, subdomain: str
) -> Domain:
    """Make ``subdomain`` the primary address; the former primary address redirects to it."""
    host = establishment_host(subdomain_validate(subdomain))
    new = _free_host(host, establishment)
    old = Domain.objects.filter(tenant=establishment, is_primary=True).first()
    if old is not None and old.domain == host:
        return old
    if old is not None:
        old.is_primary = False
        old.redirect = True
        old.save(update_fields=["is_primary", "redirect"])
    if new is None:
        new = Domain.objects.create(domain=host, tenant=establishment, is_primary=True, redirect=False)
    else:
        new.is_primary = True
        new.redirect = False
        new.save(update_fields=["is_primary", "redirect"])
    audit_record(
        actor=actor,
        action="establishment.domain_change",
        establishment=establishment,
        details={"from": old.domain if old else None, "to": host},
    )
    return new


@transaction.atomic
def establishment_alias_add(*, actor: Actor | None, establishment: Establishment, subdomain: str) -> Domain:
    """Serve the establishment on one more subdomain (no redirect)."""
    host = establishment_host(subdomain_validate(subdomain))
    domain = _free_host(host, establishment)
    if domain is None:
        domain = Domain.objects.create(domain=host, tenant=establishment, is_primary=False, redirect=False)
    elif domain.redirect:
        domain.redirect = False
        domain.save(update_fields=["redirect"])
    audit_record(
        actor=actor, action="establishment.alias_add", establishment=establishment, details={"host": host}
    )
    return domain


@transaction.atomic
def establishment_alias_remove(*, actor: Actor | None, establishment: Establishment, host: str) -> None:
    domain = Domain.objects.filter(tenant=establishment, domain=host.lower()).first()
    if domain is None:
        raise ValidationFailed(fields={"host": [_("This establishment has no such address.")]})
    if domain.is_primary:
        raise ValidationFailed(
            fields={"host": [_("The primary address cannot be removed; change it first.")]}
        )
    domain.delete()
    audit_record(
        actor=actor, action="establishment.alias_remove", establishment=establishment, details={"host": host}
    )
