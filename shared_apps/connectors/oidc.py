"""The platform's rules plugged into django-oauth-toolkit's OAuth 2 / OpenID Connect server.

Claims come from ``policy.app_claims`` (minimal by default, an opaque subject per application);
a refresh is refused once the person may no longer use the application (left the establishment,
application disabled); the password grant is never accepted: a token is only ever issued through
the sign-in page (authorization code with PKCE), which asks staff for their second factor.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from shared_apps.connectors.policy import app_access, app_claims


class PlatformValidator(OAuth2Validator):
    # app_claims already keeps only the claims of the allowed scopes.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return {}

    def get_claim_dict(self, request: Any) -> dict[str, Any]:
        application = request.client
        if application is None and getattr(request, "access_token", None) is not None:
            application = request.access_token.application
        return app_claims(user=request.user, application=application, scopes=list(request.scopes or []))

    def get_discovery_claims(self, request: Any) -> list[str]:
        return ["sub", "establishments", "uai", "role", "name", "given_name", "family_name", "email"]

    def validate_user(self, *args: Any, **kwargs: Any) -> bool:
        return False  # no password grant: tokens come from the sign-in page only

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        return app_access(user=request.user, application=client).allowed
