"""Recording audit entries. Every security-relevant write calls ``audit_record`` once."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest

from mbn_platform.logging import request_id_var
from shared_apps.audit.models import AuditEntry

# Set by the impersonation middleware (shared_apps/support) while a support agent acts as another
# person: (agent id, person id). What is recorded as done by that person names the agent as actor
# and the person in ``acting_as_id``.
acting_agent_var: ContextVar[tuple[int, int] | None] = ContextVar("mbn_acting_agent", default=None)


def audit_record(
    *,
    actor: Any | None,
    action: str,
    establishment: Any | None = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    acting_as_id: int | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (in the caller's transaction)."""
    actor_id = (
        getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", True) else None
    )
    acting = acting_agent_var.get()
    if acting is not None and actor_id == acting[1]:
        actor_id, acting_as_id = acting
    return AuditEntry.objects.create(
        actor_id=actor_id,
        acting_as_id=acting_as_id,
        establishment_id=getattr(establishment, "pk", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
    )
