"""The public side of notifications: each person's choices and the addresses that bounced.

Both tables are small and rarely written (one row per person who changed a setting; one per
failing address). The events themselves live in each establishment's schema
(``tenant_apps.notifications``): no write-heavy table here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.notify.types import EmailMode


class NotificationSettings(models.Model):
    """A person's choices; no row means every default (per role, ``preferences.py``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    #: {type: {channel: bool}} for "email" and "sms"; a type or channel missing takes its default.
    channels = models.JSONField(_("channels per type"), default=dict, blank=True)
    #: Empty: the default of the person's roles (digest for families, immediate for staff).
    email_mode = models.CharField(_("e-mails"), max_length=16, choices=EmailMode.choices, blank=True)
    #: Empty: the platform's default (``NOTIFICATIONS_QUIET_HOURS``, 20:00-07:00 Europe/Paris).
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    #: A mobile number in international form (+33…), for urgent notices by text message.
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"


class MailBounce(models.Model):
    """An address the mail server refused: recorded, and not written to again until it changes."""

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=300, blank=True, default="")
    count = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bounced address")
        verbose_name_plural = _("bounced addresses")

    def __str__(self) -> str:
        return self.email


class PushSubscription(models.Model):
    """A browser or installed MBN app that receives the person's notifications by Web Push: the
    push service's endpoint and the keys that encrypt what is sent to it (RFC 8291). One per
    device; a device subscribed again by someone else becomes theirs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    #: What the person recognises the device by ("Chrome on Android"), from the browser.
    device = models.CharField(_("device"), max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"
