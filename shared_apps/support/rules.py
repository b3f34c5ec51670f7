"""The rules of impersonation, in one place: who may be impersonated, what stays out of reach.

Pages are matched by URL name (``request.resolver_match``), not by path prefix: a route that moves
keeps its protection. A view can also declare ``forbidden_while_impersonating = True`` (e.g. a
private message), or call ``impersonation_refuse`` for one object (a message marked private).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PermissionDenied
from shared_apps.identity.models import Membership, MembershipStatus, RegionRoleAssignment, User
from tenants.models import Establishment

# Never reachable while impersonating, even read-only: the account's security (password, second
# factor, recovery codes, sessions), the whole account API, exports, the impersonation logs.
FORBIDDEN_URL_NAMES = frozenset(
    {
        # Password and second factor
        "account-password",
        "password-reset",
        "password-reset-confirm",
        "second-factor-setup",
        "second-factor-verify",
        "account-recovery-codes",
        # Signed-in sessions
        "account-sessions",
        "account-session-revoke",
        "account-sessions-revoke-others",
        # The account API (/api/v1/account/…)
        "api-account-profile",
        "api-account-sessions",
        "api-account-session",
        "api-account-sessions-revoke-others",
        "api-account-password",
        "api-account-password-reset",
        "api-account-password-reset-confirm",
        "api-account-second-factor",
        "api-account-second-factor-setup",
        "api-account-second-factor-confirm",
        "api-account-second-factor-verify",
        "api-account-recovery-codes",
        "api-account-activate",
        "account-activate",
        # Resetting someone's lost authenticator (an account takeover if an agent could do it
        # as someone else)
        "members-second-factor-reset",
        "support-second-factor-reset",
        # Connected applications: signing in to one would hand the agent the person's token
        "authorize",  # oauth2_provider:authorize, /o/authorize/
        "cas-login",
        "saml-sso",
        "account-connected-apps",
        "account-connected-app-revoke",
        "api-account-connected-apps",
        "api-account-connected-app",
        # Exports
        "privacy-my-data",
        "privacy-export",
        "directory-letters-staff",
        "directory-letters-class",
        "api-directory-letters",
        "audit-export",
        # Who impersonated whom (the person's and the establishment's own pages)
        "account-impersonations",
        "support-impersonations",
    }
)

# Writes allowed even in a read-only impersonation: stopping it, the language switch.
ALWAYS_ALLOWED_URL_NAMES = frozenset({"impersonation-stop", "set_language"})


class ImpersonationForbidden(PermissionDenied):
    code = ErrorCode.IMPERSONATION_FORBIDDEN_PAGE
    default_message = gettext_lazy(
        "This page cannot be opened while impersonating a user, not even to read it."
    )


class ImpersonationReadOnly(PermissionDenied):
    code = ErrorCode.IMPERSONATION_READ_ONLY
    default_message = gettext_lazy(
        "Read-only impersonation: nothing can be changed. Changes need the approval of a second "
        "support agent."
    )


class ImpersonationRefused(PermissionDenied):
    code = ErrorCode.IMPERSONATION_TARGET_REFUSED


def url_name_forbidden(url_name: str | None, view_func: Any = None) -> bool:
    """Whether a route may never be reached while impersonating."""
    if url_name in FORBIDDEN_URL_NAMES:
        return True
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    return bool(
        getattr(view_func, "forbidden_while_impersonating", False)
        or getattr(view_class, "forbidden_while_impersonating", False)
    )


def impersonation_refuse(request: HttpRequest) -> None:
    """For a view that shows something never visible to an agent (a message marked private):
    raises when the request is made by an agent impersonating its reader."""
    if getattr(request, "impersonation", None) is not None:
        raise ImpersonationForbidden()


def impersonation_target_refusal(*, agent: Actor, target: User, establishment: Establishment) -> str | None:
    """Why this person may not be impersonated by this agent in this establishment, or None.

    Refused: oneself, inactive accounts, the platform's admin-site users, anyone with a public-side
    role (region operators, support agents, funders: never equal or higher than the agent), and
    people without an active membership in the establishment.
    """
    if target.pk == agent.pk:
        return _("You cannot impersonate yourself.")
    if not target.is_active:
        return _("This account is not active.")
    if target.is_staff or target.is_superuser:
        return _("Platform administrators cannot be impersonated.")
    if RegionRoleAssignment.objects.filter(user=target).exists():
        return _("Accounts with a region role (operators, support agents, funders) cannot be impersonated.")
    member = Membership.objects.filter(
        user=target, establishment=establishment, status=MembershipStatus.ACTIVE
    ).exists()
    if not member:
        return _("This person has no active role in this establishment.")
    return None
