"""Brute-force protection: failed sign-ins counted per account and per address, and lockouts.

``SIGN_IN_MAX_FAILURES`` failures of one account within ``SIGN_IN_FAILURE_WINDOW_SECONDS`` lock it
for ``SIGN_IN_LOCKOUT_SECONDS``: while locked, even the right password is refused, without being
checked. An identifier that matches no account is counted and locked the same way, so that the
answers never tell whether an account exists. One address is refused after
``SIGN_IN_MAX_FAILURES_PER_IP`` failures within the window (set it high enough for a school's
network, where hundreds of pupils share one public address).

Failures are recorded in their own transaction: the caller raises afterwards, and its error must
not roll the record (nor its audit entry) back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError
from shared_apps.identity.auth_models import SignInFailure, SignInLockout
from shared_apps.identity.models import User
from tenants.requests import current_establishment


class SignInLocked(ApplicationError):
    """The same answer for a locked account, an unknown one and a throttled address."""

    status = 429
    code = ErrorCode.SIGN_IN_LOCKED

    def __init__(self) -> None:
        minutes = max(1, settings.SIGN_IN_LOCKOUT_SECONDS // 60)
        super().__init__(
            ngettext(
                "Too many failed attempts. Signing in is blocked for %(minutes)d minute; try again later.",
                "Too many failed attempts. Signing in is blocked for %(minutes)d minutes; try again later.",
                minutes,
            )
            % {"minutes": minutes}
        )


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For entry added by our own proxies."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def user_for_identifier(identifier: str) -> User | None:
    """The account a login or e-mail designates (as ``EmailOrLoginBackend`` finds it)."""
    normalized = identifier.strip().lower()
    if not normalized:
        return None
    field = "email_lower" if "@" in normalized else "login"
    return User.objects.annotate(email_lower=Lower("email")).filter(**{field: normalized}).first()


def failure_key(*, user: User | None, identifier: str = "") -> str:
    """What failures are counted against: the account, or the (hashed) unknown identifier."""
    if user is not None:
        return f"user:{user.pk}"
    digest = salted_hmac("mbn.sign_in.identifier", identifier.strip().lower(), algorithm="sha256")
    return f"id:{digest.hexdigest()[:64]}"


def _window_start() -> Any:
    return timezone.now() - timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW_SECONDS)


def sign_in_is_locked(*, key: str, ip: str | None) -> bool:
    """Whether attempts for this key, or from this address, are refused right now."""
    if SignInLockout.objects.filter(key=key, locked_until__gt=timezone.now()).exists():
        return True
    if ip is None:
        return False
    recent = SignInFailure.objects.filter(ip_address=ip, created_at__gte=_window_start())
    return recent.count() >= settings.SIGN_IN_MAX_FAILURES_PER_IP


def sign_in_refused(*, request: HttpRequest, user: User | None) -> SignInLocked:
    """Audit an attempt refused because of a lockout; returns the error for the caller to raise."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action="auth.sign_in_failed",
            establishment=current_establishment(request),
            target=user,
            details={"reason": "locked"},
            request=request,
        )
    return SignInLocked()


def sign_in_failure_record(*, request: HttpRequest, key: str, user: User | None, reason: str) -> bool:
    """Count a failed attempt (audited); True when it locks the account (lockout audited once)."""
    now = timezone.now()
    establishment = current_establishment(request)
    with transaction.atomic():
        SignInFailure.objects.filter(created_at__lt=_window_start()).delete()  # keep the table small
        SignInFailure.objects.create(key=key, ip_address=client_ip(request))
        audit_record(
            actor=None,
            action="auth.sign_in_failed",
            establishment=establishment,
            target=user,
            details={"reason": reason},
            request=request,
        )
        failures = SignInFailure.objects.filter(key=key, created_at__gte=_window_start()).count()
        if failures < settings.SIGN_IN_MAX_FAILURES or not _lock(key=key, now=now):
            return False
        audit_record(
            actor=None,
            action="auth.lockout",
            establishment=establishment,
            target=user,
            details={
                "failures": failures,
                "minutes": settings.SIGN_IN_LOCKOUT_SECONDS // 60,
                "account": "known" if user is not None else "unknown",
            },
            request=request,
        )
        return True


def _lock(*, key: str, now: Any) -> bool:
    """Lock the key; False when it already was (so that a lockout is audited once)."""
    until = now + timedelta(seconds=settings.SIGN_IN_LOCKOUT_SECONDS)
    if SignInLockout.objects.filter(key=key, locked_until__lte=now).update(locked_until=until):
        return True
    try:
        with transaction.atomic():
            SignInLockout.objects.create(key=key, locked_until=until)
    except IntegrityError:  # locked meanwhile by a concurrent attempt
        return False
    return True


def sign_in_failures_clear(*, key: str) -> None:
    """After a successful sign-in, earlier failures of the account no longer count."""
    SignInFailure.objects.filter(key=key).delete()
