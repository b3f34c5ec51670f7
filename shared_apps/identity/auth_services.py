"""Signing in and out, and passwords (change, reset by e-mail).

Sign-in is one or two steps. ``sign_in_password`` checks the lockout, then the password; a person
with an authenticator app is not signed in yet: the session remembers them as "pending" for a few
minutes, and ``sign_in_second_factor`` finishes with a code (or a recovery code). Every success,
failure and lockout is audited. Failures of either step count towards the lockout.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, NotAuthenticated, ValidationFailed
from mbn_platform.kernel.parsing import MAX_BIGINT
from shared_apps.identity.lockout import (
    SignInLocked,
    client_ip,
    failure_key,
    sign_in_failure_record,
    sign_in_failures_clear,
    sign_in_is_locked,
    sign_in_refused,
    user_for_identifier,
)
from shared_apps.identity.locks import identity_write_check
from shared_apps.identity.models import User
from shared_apps.identity.second_factor import (
    recovery_codes_remaining,
    second_factor_check,
    session_second_factor_mark,
    totp_device_of,
)
from shared_apps.identity.user_sessions import (
    EndReason,
    current_session_hash,
    user_session_end_current,
    user_session_register,
    user_session_rekey,
    user_sessions_end_all,
)
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenants.requests import current_establishment

logger = logging.getLogger(__name__)

PENDING_KEY = "mbn_sign_in_pending"
PENDING_SECONDS = 5 * 60
BACKEND = "shared_apps.identity.backends.EmailOrLoginBackend"


class InvalidCredentials(ApplicationError):
    status = 400
    code = ErrorCode.INVALID_CREDENTIALS

    def __init__(self) -> None:
        super().__init__(_("The login or the password is not right."))


@dataclass(frozen=True)
class SignInStep:
    user: User
    second_factor_needed: bool


def sign_in_password(*, request: HttpRequest, identifier: str, password: str) -> SignInStep:
    """First step. Raises ``SignInLocked`` or ``InvalidCredentials``; otherwise either signs the
    person in, or (authenticator app set up) leaves them pending for ``sign_in_second_factor``."""
    request.session.pop(PENDING_KEY, None)
    account = user_for_identifier(identifier)
    key = failure_key(user=account, identifier=identifier)
    if sign_in_is_locked(key=key, ip=client_ip(request)):
        raise sign_in_refused(request=request, user=account)
    user = authenticate(request, username=identifier, password=password)
    if not isinstance(user, User):
        if sign_in_failure_record(request=request, key=key, user=account, reason="bad_credentials"):
            raise SignInLocked()  # this failure locked the account (audited as such)
        raise InvalidCredentials()
    if totp_device_of(user=user) is not None:
        request.session[PENDING_KEY] = {"user_id": user.pk, "at": int(time.time())}
        return SignInStep(user=user, second_factor_needed=True)
    _sign_in_complete(request=request, user=user, method="password")
    return SignInStep(user=user, second_factor_needed=False)


def sign_in_pending_user(*, request: HttpRequest) -> User | None:
    """The person between the two steps of signing in, if the first was passed recently."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user_id")
    return User.objects.filter(pk=int(user_id), is_active=True).first() if isinstance(user_id, int) else None


def sign_in_second_factor(*, request: HttpRequest, code: str, method: str) -> User:
    """Second step: a code from the authenticator app (``totp``) or a recovery code (``recovery``)."""
    user = sign_in_pending_user(request=request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        raise NotAuthenticated(
            _("Your sign-in has expired. Please start again."), code=ErrorCode.SIGN_IN_EXPIRED
        )
    second_factor_verify(request=request, user=user, code=code, method=method, signing_in=True)
    request.session.pop(PENDING_KEY, None)
    _sign_in_complete(request=request, user=user, method=f"password+{method}")
    return user


def second_factor_verify(
    *, request: HttpRequest, user: User, code: str, method: str, signing_in: bool = False
) -> None:
    """Check a second factor for ``user`` (lockout applies); on success the session is verified.

    Used by the second sign-in step, and by a person already signed in whose session is not
    verified yet (e.g. signed in before being given a staff role).
    """
    key = failure_key(user=user)
    if sign_in_is_locked(key=key, ip=client_ip(request)):
        request.session.pop(PENDING_KEY, None)
        raise sign_in_refused(request=request, user=user)
    if not second_factor_check(user=user, code=code, method=method):
        if sign_in_failure_record(request=request, key=key, user=user, reason="bad_second_factor"):
            request.session.pop(PENDING_KEY, None)
            raise SignInLocked()
        raise ValidationFailed(fields={"code": [_("This code is not valid.")]})
    with transaction.atomic():
        if method == "recovery":
            audit_record(
                actor=user,
                action="auth.recovery_code_used",
                establishment=current_establishment(request),
                target=user,
                details={"remaining": recovery_codes_remaining(user=user)},
                request=request,
            )
        if not signing_in:
            session_second_factor_mark(session=request.session, user=user)
            audit_record(
                actor=user,
                action="auth.second_factor_verified",
                establishment=current_establishment(request),
                target=user,
                details={"method": method},
                request=request,
            )


@transaction.atomic
def _sign_in_complete(*, request: HttpRequest, user: User, method: str) -> None:
    login(request, user, backend=BACKEND)  # a new session key (no fixation)
    if method != "password":
        session_second_factor_mark(session=request.session, user=user)
    user_session_register(request=request, user=user)
    sign_in_failures_clear(key=failure_key(user=user))
    audit_record(
        actor=user,
        action="auth.sign_in",
        establishment=current_establishment(request),
        target=user,
        details={"method": method},
        request=request,
    )


@transaction.atomic
def sign_out(*, request: HttpRequest) -> None:
    user = request.user
    if isinstance(user, User):
        user_session_end_current(request=request, reason=EndReason.SIGNED_OUT)
        audit_record(
            actor=user, action="auth.sign_out", establishment=current_establishment(request), request=request
        )
    logout(request)


# --- Passwords ------------------------------------------------------------------------------------


def _validated_password(password: str, user: User, field: str) -> str:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(fields={field: list(error.messages)}) from error
    return password


@transaction.atomic
def password_change(*, request: HttpRequest, user: User, current_password: str, new_password: str) -> None:
    """Change one's password; every other session of the person is signed out."""
    identity_write_check()
    if not user.check_password(current_password):
        raise ValidationFailed(fields={"current_password": [_("This is not your current password.")]})
    user.set_password(_validated_password(new_password, user, "new_password"))
    user.save(update_fields=["password"])
    old_hash = current_session_hash(request)
    update_session_auth_hash(request, user)  # keeps this session (its key is cycled)
    user_session_rekey(request=request, old_hash=old_hash)
    ended = user_sessions_end_all(
        user=user, reason=EndReason.PASSWORD_CHANGED, keep_hash=current_session_hash(request)
    )
    audit_record(
        actor=user,
        action="auth.password_changed",
        establishment=current_establishment(request),
        target=user,
        details={"other_sessions_ended": ended},
        request=request,
    )


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Send a reset link if an active account has this e-mail address; the caller answers the same
    either way."""
    identity_write_check()
    email = email.strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("password-reset-confirm", args=[uid, token]))
    try:
        notify(
            actor=None,
            type=NotificationType.ACCOUNT,
            recipients=[user.pk],
            title=Text(gettext_noop("MBN: choose a new password")),
            body=Text(
                gettext_noop(
                    "Someone (probably you) asked to choose a new password for your MBN account on "
                    "%(site)s. To do so, open this link within %(hours)s hour(s). If you did not ask "
                    "for it, ignore this message: your password stays as it is."
                ),
                site=request.get_host(),
                hours=settings.PASSWORD_RESET_TIMEOUT // 3600,
            ),
            link=link,
            establishment=current_establishment(request),
        )
    except OSError:  # SMTP down: logged; the answer must not differ from an unknown address's
        logger.exception("password reset e-mail not sent", extra={"user_id": user.pk})
    with transaction.atomic():
        audit_record(
            actor=None,
            action="auth.password_reset_requested",
            establishment=current_establishment(request),
            target=user,
            request=request,
        )


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The account a reset link is for, if the link is valid (not used, not expired)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < pk <= MAX_BIGINT:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_reset_confirm(*, request: HttpRequest, uidb64: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link; every session of the person is signed out."""
    identity_write_check()
    user = password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        raise ValidationFailed(
            _("This link is not valid any more. Ask for a new one."), code=ErrorCode.INVALID_RESET_LINK
        )
    user.set_password(_validated_password(new_password, user, "new_password"))
    user.save(update_fields=["password"])
    ended = user_sessions_end_all(user=user, reason=EndReason.PASSWORD_CHANGED)
    audit_record(
        actor=user,
        action="auth.password_reset",
        establishment=current_establishment(request),
        target=user,
        details={"sessions_ended": ended},
        request=request,
    )
    return user
