"""The establishment's notification policy: which types are urgent here (e-mailed at once even to
people who take the digest, texted to those who gave a number). One row per schema."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.notify.types import DEFAULT_URGENT_TYPES, OPTIONAL_TYPES
from tenant_apps.notifications.delivery import establishment_here
from tenant_apps.notifications.models import NotificationPolicy


def urgent_types_here() -> list[str]:
    policy = NotificationPolicy.objects.first()
    return sorted(policy.urgent_types) if policy is not None else sorted(DEFAULT_URGENT_TYPES)


@transaction.atomic
def notification_policy_update(*, actor: Actor | None, urgent_types: Iterable[str]) -> list[str]:
    """Set the types held urgent here (any of the choosable types). Returns them, sorted."""
    wanted = sorted(set(urgent_types))
    unknown = [t for t in wanted if t not in OPTIONAL_TYPES]
    if unknown:
        raise ValidationFailed(
            fields={"urgent_types": [_("Unknown notification type: %(type)s.") % {"type": unknown[0][:40]}]}
        )
    before = urgent_types_here()
    policy = NotificationPolicy.objects.select_for_update().first() or NotificationPolicy()
    policy.urgent_types = wanted
    policy.save()
    if before != wanted:
        audit_record(
            actor=actor,
            action="notifications.policy_updated",
            establishment=establishment_here(),
            target=policy,
            details=audit_changes({"urgent_types": before}, {"urgent_types": wanted}),
        )
    return wanted
