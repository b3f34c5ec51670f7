"""Writing audit entries: the recorder behind the kernel's ``audit_record`` (registered in
``apps.py``). Apps call ``mbn_platform.kernel.audit.audit_record``, never this module."""

from __future__ import annotations

from mbn_platform.kernel.audit import AuditFacts
from shared_apps.audit.models import AuditEntry


def audit_entry_write(facts: AuditFacts) -> AuditEntry:
    """Append one entry to the log, in the caller's transaction."""
    return AuditEntry.objects.create(
        actor_id=facts.actor_id,
        acting_as_id=facts.acting_as_id,
        establishment_id=facts.establishment_id,
        action=facts.action,
        target_type=facts.target_type,
        target_id=facts.target_id,
        details=facts.details,
        ip_address=facts.ip_address,
        request_id=facts.request_id,
    )
