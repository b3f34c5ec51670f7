"""The second factor: authenticator app (TOTP, RFC 6238), recovery codes, verified sessions.

Who needs it: anyone with a staff role in the establishment being used, any region role, and the
platform's admin-site users (``second_factor_required``). A session is "verified" once the person
has given a valid code in it (``session_second_factor_mark``); ``SecondFactorMiddleware`` refuses
unverified sessions of people who need one.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

import pyotp
import segno
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from mbn_platform.kernel.tenancy import RequestAccess
from shared_apps.identity.auth_models import RecoveryCode, TOTPDevice
from shared_apps.identity.locks import identity_write_check
from shared_apps.identity.models import Membership, MembershipStatus, RegionRoleAssignment, User
from shared_apps.identity.roles import STAFF_ROLES
from tenants.requests import current_establishment

ISSUER = "MBN"
STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand
SESSION_VERIFIED_KEY = "mbn_second_factor"


# --- Who needs it, and whether this session has it -----------------------------------------------


def second_factor_required(*, user: Any, access: RequestAccess) -> bool:
    """For this request: a staff role here, any region role, or the platform admin site."""
    return bool(access.roles & STAFF_ROLES or access.region_roles or user.is_staff or user.is_superuser)


def second_factor_required_for_account(*, user: User) -> bool:
    """For the account as a whole (its security settings): a staff role anywhere, or a region role."""
    if user.is_staff or user.is_superuser:
        return True
    staff = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE, role__in=STAFF_ROLES)
    return staff.exists() or RegionRoleAssignment.objects.filter(user=user).exists()


def session_second_factor_mark(*, session: SessionBase, user: User) -> None:
    """Record in the session that its person gave a valid second factor."""
    session[SESSION_VERIFIED_KEY] = {"user_id": user.pk, "at": int(time.time())}


def session_second_factor_ok(*, session: SessionBase, user: Any) -> bool:
    marker = session.get(SESSION_VERIFIED_KEY)
    return isinstance(marker, dict) and marker.get("user_id") == user.pk


def totp_device_of(*, user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


# --- Codes ----------------------------------------------------------------------------------------


def _normalize(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one step either side for clock drift) whose code this is."""
    code = _normalize(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now_step = int(time.time()) // STEP_SECONDS
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def totp_verify(*, device: TOTPDevice, code: str) -> bool:
    """Whether the code is valid now and newer than the last one used (a code works once)."""
    step = _matching_step(device.secret, code)
    if step is None:
        return False
    # One conditional UPDATE: of two concurrent requests with the same code, one wins.
    accepted = TOTPDevice.objects.filter(
        Q(last_used_step__isnull=True) | Q(last_used_step__lt=step), pk=device.pk
    ).update(last_used_step=step)
    return accepted == 1


def _recovery_hash(user: User, code: str) -> str:
    return salted_hmac(f"mbn.recovery_code.{user.pk}", _normalize(code), algorithm="sha256").hexdigest()


def recovery_code_use(*, user: User, code: str) -> bool:
    """Spend one unused recovery code; False if it is unknown or already used."""
    if not _normalize(code):
        return False
    return (
        RecoveryCode.objects.filter(
            user=user, code_hash=_recovery_hash(user, code), used_at__isnull=True
        ).update(used_at=timezone.now())
        == 1
    )


def recovery_codes_remaining(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the person's recovery codes by new ones; the clear codes are returned only here."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_recovery_hash(user, code)) for code in codes]
    )
    return codes


def second_factor_check(*, user: User, code: str, method: str) -> bool:
    """A code from the authenticator app (``method="totp"``) or a recovery code (``"recovery"``)."""
    device = totp_device_of(user=user)
    if device is None:
        return False
    if method == "recovery":
        return recovery_code_use(user=user, code=code)
    return totp_verify(device=device, code=code)


# --- Setting up the authenticator app ---------------------------------------------------------------


@transaction.atomic
def totp_setup_begin(*, user: User, session: SessionBase) -> TOTPDevice:
    """A new secret to scan, kept pending until confirmed with a code.

    Replacing an app already confirmed needs a session verified with it (or a recovery code).
    Reloading the setup page keeps the same pending secret, so a code scanned earlier still works.
    """
    identity_write_check()
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        device = TOTPDevice(user=user)
    elif device.is_confirmed and not session_second_factor_ok(session=session, user=user):
        raise PermissionDenied(
            _("Confirm your identity with your current authenticator app first."),
            code=ErrorCode.SECOND_FACTOR_REQUIRED,
        )
    if not device.pending_secret:
        device.pending_secret = pyotp.random_base32()
        device.save()
    return device


def totp_provisioning(*, device: TOTPDevice, user: User) -> tuple[str, str]:
    """(otpauth:// URI, QR code as inline SVG) of the pending secret."""
    uri = pyotp.TOTP(device.pending_secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.login, issuer_name=ISSUER
    )
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#1b1b1b", light="#ffffff")
    return uri, svg


@transaction.atomic
def totp_setup_confirm(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the pending secret with a code from the app: it becomes the person's second factor.

    The session is verified, new recovery codes are made (returned once, never shown again).
    """
    identity_write_check()
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not device.pending_secret:
        raise Conflict(_("Start the set-up again."), code=ErrorCode.NO_PENDING_SETUP)
    step = _matching_step(device.pending_secret, code)
    if step is None:
        raise ValidationFailed(fields={"code": [_("This code is not valid. Check the time on your phone.")]})
    replaced = device.is_confirmed
    device.secret = device.pending_secret
    device.pending_secret = ""
    device.confirmed_at = timezone.now()
    device.last_used_step = step
    device.save()
    codes = _recovery_codes_generate(user=user)
    session_second_factor_mark(session=request.session, user=user)
    audit_record(
        actor=user,
        action="auth.totp_enabled",
        establishment=current_establishment(request),
        target=user,
        details={"replaced": replaced},
        request=request,
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, request: HttpRequest, user: User) -> list[str]:
    """New recovery codes (the old ones stop working); needs a verified session."""
    identity_write_check()
    if totp_device_of(user=user) is None:
        raise Conflict(_("Set up an authenticator app first."), code=ErrorCode.NO_SECOND_FACTOR)
    if not session_second_factor_ok(session=request.session, user=user):
        raise PermissionDenied(
            _("Confirm your identity with a code first."), code=ErrorCode.SECOND_FACTOR_REQUIRED
        )
    codes = _recovery_codes_generate(user=user)
    audit_record(
        actor=user,
        action="auth.recovery_codes_regenerated",
        establishment=current_establishment(request),
        target=user,
        request=request,
    )
    return codes
