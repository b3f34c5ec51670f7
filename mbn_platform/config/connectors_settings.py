"""Settings of the connectors (shared_apps/connectors): the OpenID Connect provider and the API
tokens (django-oauth-toolkit), read by mbn_platform/config/settings.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mbn_platform.config.oidc_keys import pem_blocks, signing_key


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


def gar_sign_in(env: Any) -> tuple[str, str, str]:
    """The GAR's service-provider metadata (a file, per environment; unset: no SAML sign-in),
    where the resources page sends people with a GAR profile, and pysaml2's ``xmlsec1``."""
    return (
        env.str("GAR_SP_METADATA_FILE", default=""),
        env.str("GAR_ENTRY_URL", default=""),
        env.str("XMLSEC_BINARY", default="/usr/bin/xmlsec1"),
    )


def lti_and_gar_export(env: Any, *, production: bool, state_dir: Path) -> tuple[str, dict[str, Any]]:
    """LTI 1.3: the platform's signing key (``LTI_PRIVATE_KEY``, PEM; made once under the state
    directory outside production; none in production: no launch until it is set).

    The GAR's nightly export: where the files go (``GAR_EXPORT_DELIVERY``: ``sftp`` — the GAR's
    drop point —, ``local`` — a folder, for the demo —, or empty: no export), the SFTP server
    (host, port, user, private key file, the server's host key as ``ssh-ed25519 AAAA…``, the
    remote folder), the largest file (bytes; a bigger feed is split), whether files are zipped,
    and whether teachers' e-mail addresses are sent (only when the GAR asks for them)."""
    key = signing_key(
        env.str("LTI_PRIVATE_KEY", default=""),
        production=production,
        state_dir=state_dir,
        file_name="lti-platform-key.pem",
    )
    export = {
        "DELIVERY": env.str("GAR_EXPORT_DELIVERY", default="" if production else "local"),
        "LOCAL_DIR": env.str("GAR_EXPORT_LOCAL_DIR", default=str(state_dir / "gar-export")),
        "SFTP_HOST": env.str("GAR_SFTP_HOST", default=""),
        "SFTP_PORT": env.int("GAR_SFTP_PORT", default=22),
        "SFTP_USER": env.str("GAR_SFTP_USER", default=""),
        "SFTP_KEY_FILE": env.str("GAR_SFTP_KEY_FILE", default=""),
        "SFTP_HOST_KEY": env.str("GAR_SFTP_HOST_KEY", default=""),
        "SFTP_PATH": env.str("GAR_SFTP_PATH", default="."),
        "MAX_FILE_BYTES": env.int("GAR_EXPORT_MAX_FILE_BYTES", default=10 * 1024 * 1024),
        "ZIP": env.bool("GAR_EXPORT_ZIP", default=True),
        "TEACHER_EMAIL": env.bool("GAR_EXPORT_TEACHER_EMAIL", default=False),
        "ENT_CODE": env.str("GAR_ENT_CODE", default="MBN"),
    }
    return key, export
