"""What the audit log holds about people (``mbn_platform.kernel.privacy``)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.privacy import REGION, ExportPart, Processing, privacy_register
from shared_apps.audit.models import AuditEntry


def _export(user_ids: frozenset[int]) -> list[ExportPart]:
    targets = [str(user_id) for user_id in user_ids]
    entries = AuditEntry.objects.filter(
        Q(actor_id__in=user_ids)
        | Q(acting_as_id__in=user_ids)
        | Q(target_type="identity.user", target_id__in=targets)
    ).order_by("created_at")[:50000]
    rows = [
        {
            "at": str(e.created_at),
            "action": e.action,
            "establishment_id": e.establishment_id,
            "details": e.details,
        }
        for e in entries
    ]
    return [ExportPart("audit_log", rows)]


def register() -> None:
    privacy_register(
        Processing(
            key="audit.log",
            name=_("Audit log"),
            purpose=_("Know who did what, to answer for every change and every access by support."),
            legal_basis=_("Legal obligation of security and accountability (GDPR art. 5.2 and 32)."),
            data=[_("who acted, when, on what, from which address")],
            people=[_("every account")],
            recipients=[_("the establishment's leaders (its entries)"), _("the region's operators")],
            retention=_("Kept append-only; not purged by the application (see docs/privacy.md)."),
            scope=REGION,
            export=_export,
        )
    )
