"""The establishment's communication rules, changed by its leadership (audited, before → after)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import PermissionDenied, ValidationFailed
from tenant_apps.messaging.models import CommunicationRule, Reach
from tenant_apps.messaging.permissions import RULE_MANAGERS
from tenant_apps.messaging.rules import ROLES, default_reach, rules_matrix
from tenant_apps.messaging.services.common import acting_member, audit


@transaction.atomic
def communication_rules_set(*, actor: Actor | None, changes: dict[tuple[str, str], str]) -> int:
    """Set some cells of the matrix (sender role, recipient role) → reach; returns how many
    changed. A cell set back to its default keeps no row."""
    member = acting_member(actor)
    if not set(member.roles or []) & RULE_MANAGERS:
        raise PermissionDenied()
    for (sender, recipient), reach in changes.items():
        if sender not in ROLES or recipient not in ROLES or reach not in Reach.values:
            raise ValidationFailed(fields={"rules": [_("Unknown role or reach.")]})
    before = rules_matrix()
    changed = {key: reach for key, reach in changes.items() if before[key] != reach}
    for (sender, recipient), reach in changed.items():
        if reach == default_reach(sender, recipient):
            CommunicationRule.objects.filter(sender_role=sender, recipient_role=recipient).delete()
        else:
            CommunicationRule.objects.update_or_create(
                sender_role=sender, recipient_role=recipient, defaults={"reach": reach}
            )
    if changed:
        audit(
            actor,
            "messaging.rules_changed",
            None,
            {f"{s}→{r}": {"from": before[(s, r)], "to": reach} for (s, r), reach in changed.items()},
        )
    return len(changed)
