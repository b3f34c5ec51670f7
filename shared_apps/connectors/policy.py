"""Who may use a connected application, and what it learns of them (one place for both).

An application registered for establishments is open to the members of those establishments only
(with one of its roles, when it names some), and its tokens work only on those establishments'
hosts; a region application (no establishment named) is open to every member of the region.
Claims are minimal by default: an opaque subject for this application alone, the roles and the
establishment's UAI; the name and the e-mail address only when the application was granted them
and the person allowed the scope.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from django.conf import settings

from shared_apps.connectors.models import CasService, ConnectedApp
from shared_apps.identity.models import Membership, MembershipStatus, User


@dataclass(frozen=True)
class AppAccess:
    """The person's memberships an application may know of: ``{UAI: roles}``."""

    memberships: dict[str, list[str]]

    @property
    def allowed(self) -> bool:
        return bool(self.memberships)


Rules = ConnectedApp | CasService


def connected_app_of(application: Any) -> ConnectedApp | None:
    try:
        connected: ConnectedApp = application.connected
    except ConnectedApp.DoesNotExist:
        return None
    return connected


def app_access(*, user: User, application: Any) -> AppAccess:
    """The establishments (and roles there) through which this person may use the application."""
    connected = connected_app_of(application)
    if connected is None:
        return AppAccess(memberships={})
    return rules_access(user=user, rules=connected)


def rules_access(*, user: User, rules: Rules) -> AppAccess:
    """The same for any application's rules (an OIDC application, a CAS service)."""
    connected = rules
    if not connected.is_active or not user.is_active:
        return AppAccess(memberships={})
    memberships = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    establishment_ids = list(connected.establishments.values_list("pk", flat=True))
    if establishment_ids:
        memberships = memberships.filter(establishment_id__in=establishment_ids)
    if connected.allowed_roles:
        memberships = memberships.filter(role__in=connected.allowed_roles)
    found: dict[str, list[str]] = {}
    for uai, role in memberships.values_list("establishment__uai", "role").order_by(
        "establishment__uai", "role"
    ):
        found.setdefault(uai, []).append(role)
    return AppAccess(memberships=found)


def pairwise_subject(*, user_id: int, client_id: str) -> str:
    """The person's identifier for this application only: two applications cannot match them."""
    message = f"mbn.oidc.sub:{client_id}:{user_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, sha256).hexdigest()[:40]


def app_claims(*, user: User, application: Any, scopes: list[str]) -> dict[str, Any]:
    """The claims of the ID token and of the user info, for the scopes the person allowed."""
    connected = connected_app_of(application)
    if connected is None:
        return {"sub": pairwise_subject(user_id=user.pk, client_id=application.client_id)}
    return rules_claims(user=user, rules=connected, scopes=scopes)


def rules_claims(*, user: User, rules: Rules, scopes: list[str]) -> dict[str, Any]:
    """The claims for any application's rules (a CAS service's attributes are the same)."""
    access = rules_access(user=user, rules=rules)
    connected = rules
    claims: dict[str, Any] = {
        "sub": pairwise_subject(user_id=user.pk, client_id=rules.client_key),
        "establishments": [{"uai": uai, "roles": roles} for uai, roles in access.memberships.items()],
    }
    if access.memberships:
        first_uai, first_roles = next(iter(access.memberships.items()))
        claims["uai"] = first_uai
        claims["role"] = first_roles[0]
    if connected.share_name and "profile" in scopes:
        claims.update(given_name=user.first_name, family_name=user.last_name, name=user.get_full_name())
    if connected.share_email and "email" in scopes and user.email:
        claims["email"] = user.email
    return claims
