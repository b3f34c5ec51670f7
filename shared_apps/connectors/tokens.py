"""API tokens on every request: ``Authorization: Bearer <token>`` checked before anything else.

Placed right after Django's authentication middleware, so that everything after it (session
tracking, impersonation, the membership check, the second factor, the views' declared roles)
applies to a token's request as to a session's. The token is read from the database on every
request (one query, no cache): a revoked token is refused at once. A token is refused (401
``invalid_token``) when unknown, expired, of a disabled application or of a person without an
account; it is accepted only on the API (``/api/``), never on the account's own security API
(``/api/v1/account/``: sessions only, as for an impersonating agent); its scopes must allow the
request (403 ``insufficient_scope``); an application registered for some establishments is
refused on any other host (403 ``token_not_allowed_here``). A token of a person who needs a
second factor here must have been issued after one (``SecondFactorMiddleware``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken

from mbn_platform.kernel.bearer import BearerGrant, bearer_grant_set
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import NotAuthenticated, PermissionDenied
from mbn_platform.kernel.middleware.errors import error_response
from mbn_platform.kernel.tenancy import request_establishment_id
from shared_apps.connectors.models import AppGrant, ConnectedApp
from shared_apps.connectors.scopes import scope_refusal

API_PREFIX = "/api/"
OAUTH_PREFIX = "/o/"
#: LTI 1.3 (the names and roles service checks the tools' own tokens).
LTI_PREFIX = "/lti/"
#: The account's own security API: sessions only (a stolen token must not change a password).
SESSION_ONLY_PREFIXES = ("/api/v1/account/",)


class InvalidToken(NotAuthenticated):
    code = ErrorCode.INVALID_TOKEN


def bearer_token_of(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def access_token_load(*, raw: str, establishment_id: int | None) -> AccessToken | None:
    """The token with its person, application and what the request needs to know (one query)."""
    through = ConnectedApp.establishments.through
    checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return (
        AccessToken.objects.select_related("user", "application", "application__connected")
        .annotate(
            second_factor_at=Subquery(
                AppGrant.objects.filter(
                    user=OuterRef("user"), application=OuterRef("application"), revoked_at__isnull=True
                ).values("second_factor_at")[:1]
            ),
            restricted=Exists(through.objects.filter(connectedapp__application=OuterRef("application"))),
            allowed_here=Exists(
                through.objects.filter(
                    connectedapp__application=OuterRef("application"), establishment_id=establishment_id or 0
                )
            ),
        )
        .filter(token_checksum=checksum)
        .first()
    )


class BearerTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = bearer_token_of(request)
        if raw is None or request.path.startswith((OAUTH_PREFIX, LTI_PREFIX)):
            # The provider's own endpoints (/o/userinfo/, LTI's) check their tokens themselves.
            return self.get_response(request)
        if not request.path.startswith(API_PREFIX) or request.path.startswith(SESSION_ONLY_PREFIXES):
            return error_response(
                request,
                PermissionDenied(
                    _("API tokens are accepted on the API only, not on the account's security settings."),
                    code=ErrorCode.TOKEN_NOT_ALLOWED_HERE,
                ),
            )
        establishment_id = request_establishment_id(request)
        token = access_token_load(raw=raw, establishment_id=establishment_id) if raw else None
        connected = getattr(token.application, "connected", None) if token is not None else None
        if (
            token is None
            or token.user is None
            or not token.user.is_active
            or token.expires <= timezone.now()
            or connected is None
            or not connected.is_active
        ):
            response = error_response(
                request, InvalidToken(_("This token is not valid (unknown, expired or revoked)."))
            )
            response["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
            return response
        if token.restricted and not token.allowed_here:
            return error_response(
                request,
                PermissionDenied(
                    _("This application is not open to this establishment."),
                    code=ErrorCode.TOKEN_NOT_ALLOWED_HERE,
                ),
            )
        scopes = frozenset(token.scope.split())
        missing = scope_refusal(scopes=scopes, method=request.method or "GET", path=request.path)
        if missing is not None:
            response = error_response(
                request,
                PermissionDenied(
                    _("This token does not allow this request (scope %(scope)s).") % {"scope": missing},
                    code=ErrorCode.INSUFFICIENT_SCOPE,
                ),
            )
            response["WWW-Authenticate"] = (
                f'Bearer realm="api", error="insufficient_scope", scope="{missing}"'
            )
            return response
        bearer_grant_set(
            request,
            BearerGrant(
                token_id=token.pk,
                application_id=token.application_id,
                client_id=token.application.client_id,
                scopes=scopes,
                second_factor=token.second_factor_at is not None,
            ),
        )
        request.user = token.user
        # A token is no cookie: no cross-site request forgery to guard against.
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
