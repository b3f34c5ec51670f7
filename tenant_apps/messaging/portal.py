"""Messaging's part of the portal's inbox (``shared_apps.identity.portal_inbox``): a person's inbox
threads in the current establishment's schema (one query)."""

from __future__ import annotations

from collections.abc import Sequence

from shared_apps.identity.portal_inbox import InboxRow, portal_inbox_provider
from tenant_apps.messaging.models import Participant


@portal_inbox_provider
def inbox_rows(user_id: int, limit: int) -> Sequence[InboxRow]:
    rows = (
        Participant.objects.filter(
            member__user_id=user_id, member__is_active=True, archived=False, last_incoming_at__isnull=False
        )
        .select_related("thread", "thread__started_by")
        .order_by("-last_incoming_at", "-pk")[:limit]
    )
    return [
        InboxRow(
            subject=p.thread.subject,
            started_by=p.thread.started_by.display_name,
            last_message_at=p.thread.last_message_at,
            unread=p.unread,
            path=f"/messages/{p.thread_id}/",
        )
        for p in rows
    ]
