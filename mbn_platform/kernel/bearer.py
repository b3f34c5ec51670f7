"""Requests authenticated by an API token (OAuth 2 bearer), as the middleware found them.

The connectors app (``shared_apps/connectors/tokens.py``) checks the ``Authorization: Bearer``
header in a middleware placed right after Django's authentication, *before* the session tracking,
impersonation, membership and second-factor middlewares: those then see the token's person and
apply to token requests exactly as to sessions. The kernel holds only what they read of it (the
token's grant), so that identity and support need not import the connectors app.

A request that carries a bearer token never uses the session: no impersonation, no session
tracking; its second factor is the one given when the token was issued (``second_factor``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

_ATTRIBUTE = "_mbn_bearer_grant"


@dataclass(frozen=True)
class BearerGrant:
    """What a valid API token allows: its application, scopes and second factor."""

    token_id: int
    application_id: int
    client_id: str
    scopes: frozenset[str]
    second_factor: bool


def bearer_grant_of(request: HttpRequest | Request) -> BearerGrant | None:
    """The API token's grant of this request, None for a session (or anonymous) request."""
    raw = getattr(request, "_request", request)
    grant = getattr(raw, _ATTRIBUTE, None)
    return grant if isinstance(grant, BearerGrant) else None


def bearer_grant_set(request: HttpRequest, grant: BearerGrant) -> None:
    setattr(request, _ATTRIBUTE, grant)


class BearerAuthentication(BaseAuthentication):
    """DRF's view of the middleware's work: a token request is authenticated as its person.

    First in ``DEFAULT_AUTHENTICATION_CLASSES``: a token request never falls through to the
    session authentication (whose CSRF check is for cookies, not tokens).
    """

    def authenticate(self, request: Request) -> tuple[Any, BearerGrant] | None:
        grant = bearer_grant_of(request)
        if grant is None:
            return None
        return request._request.user, grant

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenRateThrottle(SimpleRateThrottle):
    """Requests of one connected application for one person (whatever token of the pair: a
    refreshed token does not start afresh); 429 with ``Retry-After`` past the rate ("token")."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        grant = bearer_grant_of(request)
        if grant is None:
            return None
        ident = f"{grant.application_id}:{getattr(request.user, 'pk', '')}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
