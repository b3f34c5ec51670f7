"""Writes of discipline (the caller selects the schema): ``incidents``, ``punishments`` (given,
then done, not done or cancelled), ``sanctions`` (proposed, then decided by the head or the
disciplinary council). Every write takes ``actor`` and leaves one audit entry
(``discipline.…``; a change records before → after)."""

from __future__ import annotations

from tenant_apps.discipline.services.incidents import incident_create
from tenant_apps.discipline.services.punishments import punishment_give, punishment_status_set
from tenant_apps.discipline.services.sanctions import sanction_decide, sanction_propose

__all__ = [
    "incident_create",
    "punishment_give",
    "punishment_status_set",
    "sanction_decide",
    "sanction_propose",
]
