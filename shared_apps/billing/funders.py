"""Writes of funders: the default funders, an establishment's funder (with its history and an
audit row), the funders' viewers."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_changes, audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.billing.defaults import FunderSpec, default_funder_spec
from shared_apps.billing.models import Funder, FunderAssignment, FunderViewer
from shared_apps.identity.models import RegionRoleAssignment, User
from shared_apps.identity.roles import RegionRole
from tenants.models import Establishment


def funder_ensure(*, spec: FunderSpec) -> Funder:
    """The funder of this code, created from the spec when it does not exist yet."""
    funder, _created = Funder.objects.get_or_create(
        code=spec.code, defaults={"name": spec.name, "kind": spec.kind, "departement": spec.departement}
    )
    return funder


def funder_default_for(*, kind: str, departement: str) -> Funder:
    """The default funder of an establishment of this kind and département (created if needed)."""
    return funder_ensure(spec=default_funder_spec(kind=kind, departement=departement))


def funder_find(value: str) -> Funder | None:
    """A funder named by its code or its exact name (what a form, the API or a CSV may give)."""
    text = value.strip()
    if not text:
        return None
    return Funder.objects.filter(code=text.lower()).first() or Funder.objects.filter(name=text).first()


def funder_named(value: str, *, field: str) -> Funder:
    """The funder an input field names (code or name); 400 naming the field otherwise."""
    found = funder_find(value)
    if found is None:
        raise ValidationFailed(fields={field: [_("No funder has this code or name.")]})
    return found


@transaction.atomic
def establishment_funder_assign(
    *,
    actor: Actor | None,
    establishment: Establishment,
    funder: Funder | None = None,
    effective_from: datetime.date | None = None,
    reason: str = "",
) -> Establishment:
    """Attach an establishment to a funder (its default funder when ``funder`` is None) from
    ``effective_from`` (today by default) on: the history keeps the former one, the audit log
    the change. Assigning the current funder again changes nothing."""
    chosen = funder or funder_default_for(kind=establishment.kind, departement=establishment.departement)
    day = effective_from or timezone.localdate()
    if establishment.funded_by_id == chosen.pk and establishment.funder_assignments.exists():
        return establishment
    latest = establishment.funder_assignments.order_by("-effective_from", "-pk").first()
    if latest is not None and day < latest.effective_from:
        raise ValidationFailed(
            fields={"effective_from": [_("A funder change cannot take effect before the previous one.")]}
        )
    before = {"funder": establishment.funded_by.code if establishment.funded_by else None}
    FunderAssignment.objects.create(
        establishment=establishment,
        funder=chosen,
        effective_from=day,
        reason=reason[:300],
        assigned_by_id=actor_id(actor),
    )
    establishment.funded_by = chosen
    establishment.funder = chosen.name[:120]  # the former text column, kept in step (expand/contract)
    establishment.save(update_fields=["funded_by", "funder", "updated_at"])
    audit_record(
        actor=actor,
        action="billing.funder_assigned",
        establishment=establishment,
        target=establishment,
        details={
            "changes": audit_changes(before, {"funder": chosen.code}),
            "effective_from": day.isoformat(),
            "reason": reason[:300],
        },
    )
    return establishment


@transaction.atomic
def funder_viewer_attach(*, actor: Actor | None, user: User, funder: Funder) -> FunderViewer:
    """Give a person the funder-viewer role, attached to this one funder (replacing another)."""
    RegionRoleAssignment.objects.get_or_create(user=user, role=RegionRole.FUNDER_VIEWER)
    viewer, _created = FunderViewer.objects.update_or_create(user=user, defaults={"funder": funder})
    audit_record(
        actor=actor,
        action="billing.funder_viewer_attached",
        target=viewer,
        details={"user_id": user.pk, "funder": funder.code},
    )
    from mbn_platform.kernel.tenancy import access_cache_clear

    access_cache_clear(user_id=user.pk, establishment_ids=[])
    return viewer
