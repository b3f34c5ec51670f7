"""Helpers of the connectors' tests: a registered application, a token as the sign-in issues it."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from shared_apps.connectors.models import ConnectedApp
from shared_apps.connectors.services import app_grant_record, connected_app_register
from tenants.models import Establishment
from tests.conftest import host_of

REDIRECT_URI = "https://tool.example.test/callback"


def registered_app(
    *, establishments: list[Establishment] | None = None, name: str = "Outil", **options: Any
) -> tuple[ConnectedApp, str]:
    owner = establishments[0] if establishments and len(establishments) == 1 else None
    return connected_app_register(
        actor=None,
        name=name,
        redirect_uris=[REDIRECT_URI],
        owner_establishment=owner,
        establishments=establishments or [],
        **options,
    )


def issued_token(
    user: Any,
    connected: ConnectedApp,
    *,
    scope: str = "openid read write",
    second_factor: bool = True,
    expires_in: timedelta = timedelta(minutes=15),
) -> str:
    """A token as the sign-in page issues it: the authorisation remembered, then the token."""
    raw = secrets.token_urlsafe(30)
    app_grant_record(user=user, application=connected.application, scope=scope, second_factor=second_factor)
    AccessToken.objects.create(
        user=user,
        application=connected.application,
        token=raw,
        expires=timezone.now() + expires_in,
        scope=scope,
    )
    return raw


def bearer_client(establishment: Establishment | None, token: str) -> APIClient:
    return APIClient(HTTP_HOST=host_of(establishment), HTTP_AUTHORIZATION=f"Bearer {token}")
