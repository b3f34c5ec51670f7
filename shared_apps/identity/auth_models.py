"""Sign-in state (public schema): second factor, recovery codes, failed attempts, sessions.

Imported by ``shared_apps.identity.models`` so that Django sees these models in the identity app.
Secrets are never shown: the TOTP secret stays out of ``__str__``, the admin and every API output;
recovery codes and session keys are stored as keyed hashes only.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.encryption import EncryptedTextField


class TOTPDevice(models.Model):
    """A person's authenticator app (RFC 6238, 30 s steps, 6 digits). One per person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    # Base32; needed in clear to compute codes, so encrypted at rest (not hashed). Never logged,
    # never shown after the setup page.
    secret = EncryptedTextField(blank=True, default="")
    # A new secret being set up (shown as a QR code), until confirmed with a code from the app.
    pending_secret = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted: a code of this step or an earlier one is refused (no replay).
    last_used_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")

    def __str__(self) -> str:
        return f"TOTP device of {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code to sign in without the authenticator app (stored as a keyed hash)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="identity_recoverycode_unique"),
        ]

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.user_id}"


class SignInFailure(models.Model):
    """One failed sign-in attempt, counted per account (or per unknown identifier) and per address.

    ``key`` is ``user:<id>`` for an existing account, ``id:<hash>`` for an unknown identifier, so
    that an unknown account locks exactly like a real one (no existence leak).
    """

    key = models.CharField(max_length=80)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        indexes: ClassVar = [
            models.Index(fields=["key", "created_at"], name="identity_signinfail_key_idx"),
            models.Index(fields=["ip_address", "created_at"], name="identity_signinfail_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} at {self.created_at:%Y-%m-%d %H:%M}"


class SignInLockout(models.Model):
    """An account (or unknown identifier) refused any sign-in until ``locked_until``."""

    key = models.CharField(max_length=80, unique=True)
    locked_until = models.DateTimeField()

    class Meta:
        verbose_name = _("sign-in lockout")

    def __str__(self) -> str:
        return f"{self.key} until {self.locked_until:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in browser session, as listed on the person's "sessions" page.

    Linked to the Django session by a hash of its key (the key itself is a bearer secret and is
    not copied here). Revoking marks the row; the session is signed out and its Django session
    deleted on its very next request (``shared_apps.identity.middleware.SessionTrackingMiddleware``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    session_key_hash = models.CharField(max_length=64, unique=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("session")
        indexes: ClassVar = [
            models.Index(fields=["user", "ended_at", "-last_seen_at"], name="identity_usersession_user_idx"),
        ]

    def __str__(self) -> str:
        return f"session {self.pk} of {self.user_id}"
