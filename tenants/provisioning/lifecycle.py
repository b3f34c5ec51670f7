"""An establishment's lifecycle: suspend, reactivate, archive (offboarding is tenants.offboarding)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from tenants.models import Establishment, EstablishmentStatus

# Which status each action leads to, and from which statuses it may start.
ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "suspend": (
        EstablishmentStatus.SUSPENDED,
        frozenset({EstablishmentStatus.ACTIVE, EstablishmentStatus.ARCHIVED}),
    ),
    "reactivate": (
        EstablishmentStatus.ACTIVE,
        frozenset({EstablishmentStatus.SUSPENDED, EstablishmentStatus.ARCHIVED}),
    ),
    "archive": (
        EstablishmentStatus.ARCHIVED,
        frozenset({EstablishmentStatus.ACTIVE, EstablishmentStatus.SUSPENDED}),
    ),
}


def establishment_lifecycle(
    *, actor: Actor | None, establishment: Establishment, action: str
) -> Establishment:
    """Apply a lifecycle action; refused (409) from a status it does not apply to."""
    if action not in ACTIONS:
        raise ValidationFailed(fields={"action": [_("Choose suspend, reactivate or archive.")]})
    target, allowed_from = ACTIONS[action]
    if establishment.status == target:
        return establishment
    if establishment.status not in allowed_from:
        raise Conflict(
            _("This establishment is %(status)s: it cannot be %(action)s.")
            % {"status": establishment.get_status_display(), "action": action},
            code=ErrorCode.INVALID_TRANSITION,
        )
    return establishment_set_status(actor=actor, establishment=establishment, status=target)


@transaction.atomic
def establishment_set_status(
    *, actor: Actor | None, establishment: Establishment, status: str
) -> Establishment:
    """Set an establishment's status (no transition rule: ``establishment_lifecycle`` applies them)."""
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
