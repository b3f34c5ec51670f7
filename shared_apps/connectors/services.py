"""Writes of the connectors app: registering applications, people's authorisations, revocation.

Every write is atomic and audited (``connectors.*``). A client secret is returned once, at
registration (only its hash is stored, by django-oauth-toolkit). Revoking deletes the tokens at
once: the next request with one of them is refused (the bearer middleware reads the token table
on every request, no cache).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, RefreshToken

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.connectors.models import AppGrant, CasService, ConnectedApp
from shared_apps.connectors.permissions import APP_ROLE_CHOICES
from tenants.models import Establishment

CLIENT_TYPES = (Application.CLIENT_CONFIDENTIAL, Application.CLIENT_PUBLIC)


def _check_redirect_uris(uris: list[str]) -> None:
    from oauth2_provider.settings import oauth2_settings
    from oauth2_provider.validators import AllowedURIValidator

    if not uris:
        raise ValidationFailed(fields={"redirect_uris": [_("Give at least one redirect address.")]})
    validator = AllowedURIValidator(
        oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES, name="redirect uri", allow_path=True, allow_query=True
    )
    for uri in uris:
        try:
            validator(uri)
        except ValidationError:
            raise ValidationFailed(
                fields={"redirect_uris": [_("Not a valid redirect address: %(uri)s") % {"uri": uri[:200]}]}
            ) from None


def _check_launch_url(url: str) -> None:
    parts = urlsplit(url)
    if url and (parts.scheme not in ("https", "http") or not parts.netloc or len(url) > 500):
        raise ValidationFailed(
            fields={"launch_url": [_("Give the address that opens the tool (https://…).")]}
        )


@transaction.atomic
def connected_app_register(
    *,
    actor: Actor | None,
    name: str,
    redirect_uris: list[str],
    client_type: str = Application.CLIENT_CONFIDENTIAL,
    owner_establishment: Establishment | None = None,
    establishments: Iterable[Establishment] = (),
    allowed_roles: Iterable[str] = (),
    share_name: bool = False,
    share_email: bool = False,
    requires_consent: bool = True,
    launch_url: str = "",
) -> tuple[ConnectedApp, str]:
    """Register an application; returns it and its client secret (shown once; "" for a public
    client such as the mobile app, which proves itself with PKCE alone)."""
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 255:
        errors["name"] = [_("Give the application a name (255 characters at most).")]
    if client_type not in CLIENT_TYPES:
        errors["client_type"] = [_("Choose confidential (a server) or public (a mobile app).")]
    roles = sorted(set(allowed_roles))
    known_roles = {value for value, _label in APP_ROLE_CHOICES}
    if any(role not in known_roles for role in roles):
        errors["allowed_roles"] = [_("Unknown role.")]
    if errors:
        raise ValidationFailed(fields=errors)
    _check_redirect_uris(redirect_uris)
    _check_launch_url(launch_url)
    targets = list(establishments)
    if owner_establishment is not None:
        # An establishment's application serves that establishment only.
        targets = [owner_establishment]
    secret = generate_client_secret() if client_type == Application.CLIENT_CONFIDENTIAL else ""
    application = Application.objects.create(
        name=name,
        client_type=client_type,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        client_secret=secret,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=not requires_consent,
    )
    connected = ConnectedApp.objects.create(
        application=application,
        owner_establishment=owner_establishment,
        allowed_roles=roles,
        share_name=share_name,
        share_email=share_email,
        requires_consent=requires_consent,
        launch_url=launch_url,
        created_by_id=actor_id(actor),
    )
    connected.establishments.set(targets)
    audit_record(
        actor=actor,
        action="connectors.app_registered",
        establishment=owner_establishment,
        target=connected,
        details={
            "name": name,
            "client_id": application.client_id,
            "client_type": client_type,
            "establishments": sorted(e.uai for e in targets),
            "roles": roles,
            "share_name": share_name,
            "share_email": share_email,
        },
    )
    return connected, secret


def _tokens_delete(*, application: Any, user_id: int | None = None) -> int:
    access = AccessToken.objects.filter(application=application)
    refresh = RefreshToken.objects.filter(application=application)
    if user_id is not None:
        access = access.filter(user_id=user_id)
        refresh = refresh.filter(user_id=user_id)
    count = access.count()
    refresh.delete()
    access.delete()
    return count


@transaction.atomic
def connected_app_disable(*, actor: Actor | None, connected: ConnectedApp) -> ConnectedApp:
    """Stop an application: nobody may sign in to it any more, and its tokens stop at once."""
    connected.is_active = False
    connected.save(update_fields=["is_active"])
    tokens = _tokens_delete(application=connected.application)
    audit_record(
        actor=actor,
        action="connectors.app_disabled",
        establishment=connected.owner_establishment,
        target=connected,
        details={"client_id": connected.application.client_id, "tokens_revoked": tokens},
    )
    return connected


@transaction.atomic
def app_grant_record(*, user: Any, application: Any, scope: str, second_factor: bool) -> AppGrant:
    """The person authorised the application (sign-in page): remembered for their list."""
    now = timezone.now()
    grant, _created = AppGrant.objects.select_for_update().get_or_create(
        user=user, application=application, defaults={"scope": scope, "granted_at": now}
    )
    grant.scope = scope
    grant.granted_at = now
    grant.revoked_at = None
    # The last authorisation decides: tokens of a sign-in without the second factor never borrow
    # an earlier sign-in's proof (the bearer middleware reads it for every token of the pair).
    grant.second_factor_at = now if second_factor else None
    grant.save()
    audit_record(
        actor=user,
        action="connectors.app_authorized",
        target=grant,
        details={"client_id": application.client_id, "scope": scope, "second_factor": second_factor},
    )
    return grant


@transaction.atomic
def app_grant_revoke(*, actor: Actor | None, grant: AppGrant) -> AppGrant:
    """The person (or the platform) revokes an application's access: its tokens stop at once."""
    tokens = _tokens_delete(application=grant.application, user_id=grant.user_id)
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="connectors.app_revoked",
        target=grant,
        details={"client_id": grant.application.client_id, "tokens_revoked": tokens},
    )
    return grant


@transaction.atomic
def cas_service_register(
    *,
    actor: Actor | None,
    name: str,
    service_prefix: str,
    owner_establishment: Establishment | None = None,
    establishments: Iterable[Establishment] = (),
    allowed_roles: Iterable[str] = (),
    share_name: bool = False,
    share_email: bool = False,
    launch_url: str = "",
) -> CasService:
    """Register a CAS service by the prefix of its addresses (``https://tool.example/``)."""
    name = name.strip()
    if not name or len(name) > 255:
        raise ValidationFailed(fields={"name": [_("Give the service a name (255 characters at most).")]})
    parts = urlsplit(service_prefix)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(service_prefix) > 500:
        raise ValidationFailed(fields={"service_prefix": [_("Give the service's address (https://…).")]})
    _check_launch_url(launch_url)
    if CasService.objects.filter(service_prefix=service_prefix).exists():
        raise ValidationFailed(fields={"service_prefix": [_("A service with this address exists.")]})
    targets = [owner_establishment] if owner_establishment is not None else list(establishments)
    service = CasService.objects.create(
        name=name,
        service_prefix=service_prefix,
        owner_establishment=owner_establishment,
        allowed_roles=sorted(set(allowed_roles)),
        share_name=share_name,
        share_email=share_email,
        launch_url=launch_url,
        created_by_id=actor_id(actor),
    )
    service.establishments.set(targets)
    audit_record(
        actor=actor,
        action="connectors.cas_service_registered",
        establishment=owner_establishment,
        target=service,
        details={"name": name, "prefix": service_prefix, "establishments": sorted(e.uai for e in targets)},
    )
    return service
