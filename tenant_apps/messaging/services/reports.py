"""Reporting a message to moderation (a participant), and resolving the report (a moderator)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from tenant_apps.messaging.models import Message, Report
from tenant_apps.messaging.permissions import MODERATORS
from tenant_apps.messaging.services.common import acting_member, audit
from tenant_apps.messaging.services.threads import participant_of


@transaction.atomic
def message_report(*, actor: Actor | None, message: Message, reason: str) -> Report:
    member = acting_member(actor)
    participant_of(message.thread, member)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why you report this message.")]})
    try:
        with transaction.atomic():
            report = Report.objects.create(message=message, reported_by=member, reason=reason[:500])
    except IntegrityError as exc:
        raise Conflict(_("You already reported this message."), code=ErrorCode.ALREADY_EXISTS) from exc
    audit(actor, "messaging.reported", report, {"message_id": message.pk})
    return report


@transaction.atomic
def report_resolve(*, actor: Actor | None, report: Report, resolution: str) -> Report:
    member = acting_member(actor)
    if not set(member.roles or []) & MODERATORS:
        raise PermissionDenied()
    if report.resolved_at is not None:
        raise Conflict(_("This report was already resolved."), code=ErrorCode.ALREADY_DECIDED)
    report.resolved_at = timezone.now()
    report.resolved_by = member
    report.resolution = resolution.strip()[:500]
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit(actor, "messaging.report_resolved", report, {"resolution": report.resolution})
    return report
