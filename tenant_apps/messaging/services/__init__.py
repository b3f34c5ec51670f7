"""Writes of messaging (the caller selects the schema): ``threads`` (start, reply, read, archive),
``rules`` (the communication rules), ``reports`` (to moderation). Every write that changes what
someone sees or may do takes ``actor`` and leaves one audit entry (``messaging.…``)."""

from __future__ import annotations

from tenant_apps.messaging.services.reports import message_report, report_resolve
from tenant_apps.messaging.services.rules import communication_rules_set
from tenant_apps.messaging.services.threads import (
    message_reply,
    recipients_check,
    thread_archive,
    thread_read,
    thread_start,
)

__all__ = [
    "communication_rules_set",
    "message_reply",
    "message_report",
    "recipients_check",
    "report_resolve",
    "thread_archive",
    "thread_read",
    "thread_start",
]
