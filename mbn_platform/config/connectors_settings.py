"""Settings of the connectors (shared_apps/connectors): the OpenID Connect provider and the API
tokens (django-oauth-toolkit), read by mbn_platform/config/settings.py."""

from __future__ import annotations

from typing import Any

from mbn_platform.config.oidc_keys import pem_blocks


def oauth2_provider(env: Any, *, private_key: str, production: bool) -> dict[str, Any]:
    """django-oauth-toolkit: PKCE always, short-lived tokens stored as hashes, our scopes and validator."""
    return {
        # Off in production until OIDC_RSA_PRIVATE_KEY is configured (no key, no ID token).
        "OIDC_ENABLED": bool(private_key),
        "OIDC_RSA_PRIVATE_KEY": private_key,
        # Previous signing keys, still published in the JWKS during a rotation.
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": pem_blocks(env.str("OIDC_RSA_PRIVATE_KEYS_INACTIVE", default="")),
        "OAUTH2_VALIDATOR_CLASS": "shared_apps.connectors.oidc.PlatformValidator",
        "PKCE_REQUIRED": True,
        "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_TOKEN_SECONDS", default=15 * 60),
        "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("API_REFRESH_TOKEN_SECONDS", default=30 * 24 * 60 * 60),
        "ROTATE_REFRESH_TOKEN": True,
        "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
        "ID_TOKEN_EXPIRE_SECONDS": 15 * 60,
        # The mobile app's redirect scheme, beside the web's.
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "fr.mbn.app"] + ([] if production else ["http"]),
        "SCOPES_BACKEND_CLASS": "shared_apps.connectors.scopes.PlatformScopes",
        "REQUEST_APPROVAL_PROMPT": "auto",
        # Tokens are stored as hashes only (RFC 9700): a database dump gives no usable token.
        "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    }
