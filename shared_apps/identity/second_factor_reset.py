"""A staff member who lost their authenticator app (and their recovery codes) gets back in.

Their establishment's administrator, or a region support agent, removes the lost authenticator
after checking who is asking: the check made (seen in person with an identity document, or a call
back on a number the establishment already knew) and the reason are recorded with the reset. The
person's sessions are signed out and they are told by e-mail; at their next sign-in (with their
password) they set up a new authenticator app. Never for oneself, never while impersonating,
never for a region account or an admin-site account (those go through the platform's admins).
"""

from __future__ import annotations

import logging

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import NotFound, PermissionDenied, ValidationFailed
from mbn_platform.kernel.tenancy import access_load
from shared_apps.identity.auth_models import RecoveryCode, TOTPDevice
from shared_apps.identity.locks import identity_write_check
from shared_apps.identity.models import Membership, MembershipStatus, RegionRoleAssignment, User
from shared_apps.identity.roles import STAFF_ROLES, SUPPORT_AGENTS, Role
from shared_apps.identity.user_sessions import EndReason, user_sessions_end_all
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from shared_apps.notify.types import NotificationType
from tenants.models import Establishment

logger = logging.getLogger(__name__)


class IdentityCheck(models.TextChoices):
    IN_PERSON = "in_person", gettext_lazy("Seen in person, with an identity document")
    CALL_BACK = "call_back", gettext_lazy("Called back on a number the establishment already had")


#: Who may reset a staff member's second factor in their establishment (besides support agents).
SECOND_FACTOR_RESETTERS = frozenset({Role.ESTABLISHMENT_ADMIN})


def _may_reset(*, actor: Actor, establishment: Establishment) -> bool:
    access = access_load(user_id=actor.pk, establishment_id=establishment.pk)
    return bool(access.roles & SECOND_FACTOR_RESETTERS or access.region_roles & SUPPORT_AGENTS)


@transaction.atomic
def second_factor_reset(
    *,
    actor: Actor | None,
    user: User,
    establishment: Establishment,
    identity_check: str,
    reason: str,
) -> int:
    """Remove the person's authenticator and recovery codes, sign out their sessions, tell them.
    Returns the number of sessions signed out."""
    identity_write_check()
    if (
        actor is None
        or not actor.is_authenticated
        or not _may_reset(actor=actor, establishment=establishment)
    ):
        raise PermissionDenied()
    staff_here = Membership.objects.filter(
        user=user, establishment=establishment, status=MembershipStatus.ACTIVE, role__in=STAFF_ROLES
    ).exists()
    if not staff_here:
        raise NotFound()
    if user.pk == actor.pk:
        raise PermissionDenied(_("Ask another administrator or the region's support."))
    if user.is_staff or user.is_superuser or RegionRoleAssignment.objects.filter(user=user).exists():
        raise PermissionDenied(_("The region's accounts are reset by the platform's administrators."))
    errors: dict[str, list[str]] = {}
    if identity_check not in IdentityCheck.values:
        errors["identity_check"] = [_("Say how you checked who is asking.")]
    reason = (reason or "").strip()
    if not 10 <= len(reason) <= 1000:
        errors["reason"] = [_("Give the reason (10 to 1000 characters).")]
    if errors:
        raise ValidationFailed(fields=errors)
    had_device = TOTPDevice.objects.filter(user=user).delete()[0] > 0
    RecoveryCode.objects.filter(user=user).delete()
    ended = user_sessions_end_all(user=user, reason=EndReason.SECOND_FACTOR_RESET)
    audit_record(
        actor=actor,
        action="auth.second_factor_reset",
        establishment=establishment,
        target=user,
        details={
            "identity_check": identity_check,
            "reason": reason,
            "had_authenticator": had_device,
            "sessions_ended": ended,
            "by_support": bool(access_load(user_id=actor.pk, establishment_id=None).region_roles),
        },
    )
    if user.email:
        transaction.on_commit(lambda: _tell(user=user, establishment=establishment))
    return ended


def _tell(*, user: User, establishment: Establishment) -> None:
    """A security notice to the person (account type: e-mailed at once, whatever the hour)."""
    try:
        notify(
            actor=None,
            type=NotificationType.ACCOUNT,
            recipients=[user.pk],
            title=Text(gettext_noop("MBN: your authenticator app was reset")),
            body=Text(
                gettext_noop(
                    "The authenticator app of your MBN account was removed at your request "
                    "(%(school)s). Your sessions were signed out. At your next sign-in, with your "
                    "password, you will set up a new authenticator app. If you did not ask for it, "
                    "tell your establishment's administrator or the region's support at once."
                ),
                school=establishment.name,
            ),
            establishment=establishment,
        )
    except OSError:
        logger.exception("second factor reset notice not sent", extra={"user_id": user.pk})
