"""Per-request checks of signed-in sessions.

``SessionTrackingMiddleware`` (right after authentication) signs out a session that was revoked
from another device, and keeps its "last seen" time. ``SecondFactorMiddleware`` (right after
``MembershipMiddleware``) refuses an unverified session to a person who needs a second factor:
pages redirect to the set-up page (no authenticator app yet) or to the code page; the API answers
403 ``second_factor_required``.

Who needs a second factor is decided per request (a staff role in this establishment, any region
role, the admin site), except on the account's own security pages and API (``ACCOUNT_PREFIXES``),
where a staff role in any establishment counts: an unverified session must not change the
e-mail address or the password of a staff account, from whatever host.

A request with an API token (``mbn_platform.kernel.bearer``) has no session: it is not tracked,
and its second factor is the one given when the token was issued; a token issued without one is
refused (403 ``second_factor_required``) wherever a session would need it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from mbn_platform.kernel.bearer import bearer_grant_of
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PermissionDenied
from mbn_platform.kernel.middleware.errors import error_response, wants_json
from mbn_platform.kernel.tenancy import request_access
from shared_apps.identity.models import User
from shared_apps.identity.second_factor import (
    second_factor_required,
    second_factor_required_for_account,
    session_second_factor_ok,
    totp_device_of,
)
from shared_apps.identity.user_sessions import user_session_touch

# Reachable with an unverified session: probes, static files, the language switch, and the steps
# that lead to a verified session (sign-in, the second factor, a password reset, sign-out).
OPEN_PREFIXES = (
    "/healthz",
    "/readyz",
    "/static/",
    "/i18n/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/second-factor/",
    "/accounts/password-reset/",
    "/api/v1/account/second-factor/",
    "/api/v1/account/password-reset/",
    "/help/",  # the help centre and its request form: for whoever is stuck
    # The MBN app's files (shared_apps/connectors/app.py): nobody's data in them.
    "/manifest.webmanifest",
    "/sw.js",
    "/offline/",
)
ACCOUNT_PREFIXES = ("/accounts/", "/api/v1/account/")


class SessionTrackingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if bearer_grant_of(request) is not None:
            return self.get_response(request)  # an API token: no session to track
        if isinstance(user, User) and not user_session_touch(request=request, user=user):
            logout(request)  # deletes the Django session; the request goes on as anonymous
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        # While a support agent impersonates someone (shared_apps/support/middleware.py), the
        # session is the agent's: it is the agent's second factor that counts.
        user = getattr(request, "impersonator", None) or request.user
        if not isinstance(user, User) or request.path.startswith(OPEN_PREFIXES):
            return None
        grant = bearer_grant_of(request)
        if grant is not None:
            if grant.second_factor or not second_factor_required(user=user, access=request_access(request)):
                return None
            return error_response(
                request,
                PermissionDenied(
                    _("This token was issued without a second factor: sign in to the application again."),
                    code=ErrorCode.SECOND_FACTOR_REQUIRED,
                ),
            )
        if session_second_factor_ok(session=request.session, user=user):
            return None
        if request.path.startswith(ACCOUNT_PREFIXES):
            required = second_factor_required_for_account(user=user)
        else:
            required = second_factor_required(user=user, access=request_access(request))
        if not required:
            return None
        has_device = totp_device_of(user=user) is not None
        if wants_json(request):
            message = (
                _("Confirm your identity with a code from your authenticator app.")
                if has_device
                else _("Set up an authenticator app to use this account's roles.")
            )
            return error_response(request, PermissionDenied(message, code=ErrorCode.SECOND_FACTOR_REQUIRED))
        target = reverse(
            "second-factor-verify" if has_device else "second-factor-setup",
            urlconf=getattr(request, "urlconf", None),
        )
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
