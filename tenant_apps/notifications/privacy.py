"""What the notifications hold about people (``mbn_platform.kernel.privacy``): in each
establishment's schema, the notifications addressed to them and their deliveries (kept a year);
on the public side, their notification settings (a mobile number) and bounced addresses."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.privacy import ESTABLISHMENT, REGION, ExportPart, Processing, privacy_register
from shared_apps.notifications.models import MailBounce, NotificationSettings
from shared_apps.notify.text import text_render
from tenant_apps.notifications.models import Notification, NotificationRecipient


def _export_here(user_ids: frozenset[int]) -> list[ExportPart]:
    rows = [
        {
            "type": entry.notification.type,
            "title": text_render(entry.notification.title),
            "created_at": str(entry.created_at),
            "read_at": str(entry.read_at or ""),
            "deliveries": [f"{d.channel}: {d.status}" for d in entry.deliveries.all()],
        }
        for entry in NotificationRecipient.objects.filter(user_id__in=user_ids)
        .select_related("notification")
        .prefetch_related("deliveries")
    ]
    return [ExportPart("notifications", rows)]


def _purge_here(now: datetime.datetime) -> int:
    keep = datetime.timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    return int(Notification.objects.filter(created_at__lt=now - keep).delete()[0])


def _erase_here(user_ids: frozenset[int]) -> int:
    return int(NotificationRecipient.objects.filter(user_id__in=user_ids).delete()[0])


def _export_settings(user_ids: frozenset[int]) -> list[ExportPart]:
    rows = [
        {
            "channels": s.channels,
            "email_mode": s.email_mode,
            "quiet_start": str(s.quiet_start or ""),
            "quiet_end": str(s.quiet_end or ""),
            "phone": s.phone,
        }
        for s in NotificationSettings.objects.filter(user_id__in=user_ids)
    ]
    emails = {
        s.user.email.lower()
        for s in NotificationSettings.objects.filter(user_id__in=user_ids).select_related("user")
        if s.user.email
    }
    bounces = [
        {"email": b.email, "reason": b.reason, "last_at": str(b.last_at)}
        for b in MailBounce.objects.filter(email__in=emails)
    ]
    return [ExportPart("notification_settings", rows), ExportPart("bounced_addresses", bounces)]


def register() -> None:
    privacy_register(
        Processing(
            key="notifications.centre",
            name=_("Notifications"),
            purpose=_("Tell people what happens in their establishments, by the channels they choose."),
            legal_basis=_("Public interest mission of the region (digital workspace for its schools)."),
            data=[
                _("notifications addressed to the person, read or not, and their e-mails and text messages")
            ],
            people=[_("students"), _("guardians"), _("staff")],
            recipients=[_("the person")],
            retention=_("One year."),
            scope=ESTABLISHMENT,
            export=_export_here,
            purge=_purge_here,
            erase=_erase_here,
        )
    )
    privacy_register(
        Processing(
            key="notifications.settings",
            name=_("Notification preferences"),
            purpose=_("Deliver notifications as each person chose, and stop writing to failing addresses."),
            legal_basis=_("Public interest mission of the region (digital workspace for its schools)."),
            data=[_("channels per type, quiet hours, mobile number, addresses the mail server refused")],
            people=[_("every account")],
            recipients=[_("the person")],
            retention=_("While the account exists."),
            scope=REGION,
            export=_export_settings,
        )
    )
