"""Notifications kept in the establishment's schema: the event, one row per person (their centre
entry, read or not), and one delivery per person and channel (e-mail, text message, push).

Region-wide user ids, no foreign key into the public schema (tenancy rules).
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.notify.types import DEFAULT_URGENT_TYPES, Channel, NotificationType


def _default_urgent_types() -> list[str]:
    return list(DEFAULT_URGENT_TYPES)


class NotificationPolicy(models.Model):
    """The establishment's choices (one row): which types are urgent (e-mailed at once even to
    people who take the digest, and texted to those who gave a mobile number)."""

    urgent_types = ArrayField(models.CharField(max_length=32), default=_default_urgent_types, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification policy")

    def __str__(self) -> str:
        return ", ".join(self.urgent_types)


class Notification(models.Model):
    """One event: what happened, a link, for whom (``NotificationRecipient``)."""

    type = models.CharField(_("type"), max_length=32, choices=NotificationType.choices)
    #: ``Text`` as JSON (shared_apps/notifications/text.py): rendered in each reader's language.
    title = models.JSONField(_("title"))
    body = models.JSONField(_("text"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True, default="")
    actor_id = models.BigIntegerField(null=True, blank=True)
    about_user_id = models.BigIntegerField(null=True, blank=True)
    urgent = models.BooleanField(default=False)
    #: The caller's idempotency key: one event per (type, source).
    source = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    #: When its deliveries were planned (the delivery task's first run).
    planned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["type", "source"], condition=~Q(source=""), name="notif_type_source_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class NotificationRecipient(models.Model):
    """A person's entry in their centre (the web channel: always)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="recipients")
    user_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification recipient")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["notification", "user_id"], name="notif_recipient_unique")
        ]
        indexes: ClassVar = [
            models.Index(fields=["user_id", "-created_at"], name="notif_recipient_user_idx"),
            models.Index(fields=["user_id"], condition=Q(read_at__isnull=True), name="notif_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.user_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    BOUNCED = "bounced", _("Refused by the server")
    FAILED = "failed", _("Failed")
    #: Claimed by a worker that died before saying whether it sent it: never sent again.
    UNKNOWN = "unknown", _("Unknown (worker lost)")


class Delivery(models.Model):
    """One person's copy of one notification by one channel: sent at most once."""

    recipient = models.ForeignKey(NotificationRecipient, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(
        max_length=8,
        choices=[
            (Channel.EMAIL, Channel.EMAIL.label),
            (Channel.SMS, Channel.SMS.label),
            (Channel.PUSH, Channel.PUSH.label),
        ],
    )
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    #: In the person's daily digest rather than on its own.
    digest = models.BooleanField(default=False)
    #: Held until then (quiet hours).
    not_before = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["recipient", "channel"], name="notif_delivery_unique")
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["digest", "not_before"],
                condition=Q(status="pending"),
                name="notif_delivery_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} #{self.pk}"
