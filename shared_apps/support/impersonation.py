"""Impersonation: a support agent sees an establishment's pages as one of its users.

The agent stays signed in as themselves; the session only remembers which impersonation it is in
(``SESSION_KEY``). ``ImpersonationMiddleware`` then makes each request of that establishment's host
act as the person: read-only unless a second agent approved writes, never on the pages of
``rules.FORBIDDEN_URL_NAMES``, and ended at its time limit. Every start, stop, expiry, approval
and request leaves one audit entry (``impersonation.*``), the agent as actor and the person in
``acting_as_id``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from shared_apps.identity.models import RegionRoleAssignment, User
from shared_apps.support.models import (
    Impersonation,
    ImpersonationEnd,
    SupportRequest,
    SupportRequestStatus,
)
from shared_apps.support.permissions import AGENTS
from shared_apps.support.rules import ImpersonationRefused, impersonation_target_refusal
from tenants.models import Establishment

SESSION_KEY = "mbn_impersonation"
ENTER_PATH = "/support/impersonation/enter/"
ENTER_SALT = "mbn.impersonation.enter"
MIN_REASON_LENGTH = 10


def is_support_agent(user: Actor | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and RegionRoleAssignment.objects.filter(user_id=user.pk, role__in=AGENTS).exists()
    )


def _require_agent(actor: Actor | None) -> Actor:
    if actor is None or not is_support_agent(actor):
        raise PermissionDenied(_("Only support agents may do this."))
    return actor


def _clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationFailed(
            fields={field: [_("Give a reason of at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}]}
        )
    return reason


def impersonation_active_of_agent(*, agent: Actor) -> Impersonation | None:
    return (
        Impersonation.objects.select_related("target", "establishment")
        .filter(agent_id=agent.pk, ended_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def impersonation_start(
    *,
    actor: Actor | None,
    target: User,
    establishment: Establishment,
    support_request: SupportRequest | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Impersonation:
    """Start impersonating ``target`` in ``establishment``, from a support request or with a reason.

    A refused target is audited (``impersonation.refused``) before the error is raised.
    """
    agent = _require_agent(actor)
    reason = (reason or "").strip()
    if support_request is None:
        reason = _clean_reason(reason)
    elif (
        support_request.establishment_id != establishment.pk
        or support_request.person_id != target.pk
        or support_request.status == SupportRequestStatus.RESOLVED
    ):
        raise ValidationFailed(
            _("This request does not concern this person, or it is resolved."), code=ErrorCode.INVALID_REQUEST
        )
    if not establishment.is_serving:
        raise Conflict(_("This establishment is not open."), code=ErrorCode.ESTABLISHMENT_NOT_SERVING)
    refusal = impersonation_target_refusal(agent=agent, target=target, establishment=establishment)
    if refusal is not None:
        with transaction.atomic():
            audit_record(
                actor=agent,
                action="impersonation.refused",
                establishment=establishment,
                target=target,
                details={"reason": refusal},
                request=request,
            )
        raise ImpersonationRefused(refusal)
    with transaction.atomic():
        # One impersonation at a time per agent (the lock makes two concurrent starts wait).
        User.objects.select_for_update().filter(pk=agent.pk).first()
        if impersonation_active_of_agent(agent=agent) is not None:
            raise Conflict(
                _("You are already impersonating someone: stop first."), code=ErrorCode.IMPERSONATION_ACTIVE
            )
        now = timezone.now()
        impersonation = Impersonation.objects.create(
            agent_id=agent.pk,
            target=target,
            establishment=establishment,
            support_request=support_request,
            reason=reason,
            started_at=now,
            expires_at=now + timedelta(minutes=settings.IMPERSONATION_MINUTES),
        )
        audit_record(
            actor=agent,
            action="impersonation.start",
            establishment=establishment,
            target=impersonation,
            details={
                "user_id": target.pk,
                "support_request_id": support_request.pk if support_request else None,
                "reason": reason,
                "minutes": settings.IMPERSONATION_MINUTES,
            },
            request=request,
            acting_as_id=target.pk,
        )
    if request is not None:
        request.session[SESSION_KEY] = impersonation.pk
    return impersonation


def _end(*, impersonation: Impersonation, reason: str) -> bool:
    """Mark it ended (once: of two concurrent ends, one wins)."""
    now = timezone.now()
    ended = Impersonation.objects.filter(pk=impersonation.pk, ended_at__isnull=True).update(
        ended_at=now, ended_reason=reason
    )
    if ended:
        impersonation.ended_at, impersonation.ended_reason = now, reason
    return ended == 1


@transaction.atomic
def impersonation_stop(
    *,
    actor: Actor | None,
    impersonation: Impersonation,
    request: HttpRequest | None = None,
    reason: str = ImpersonationEnd.STOPPED,
) -> bool:
    """The agent ends their impersonation; False when it had already ended."""
    if actor is None or impersonation.agent_id != actor.pk:
        raise NotFound()
    if request is not None and request.session.get(SESSION_KEY) == impersonation.pk:
        del request.session[SESSION_KEY]
    if impersonation.ended_at is None and impersonation.expires_at <= timezone.now():
        return impersonation_expire(impersonation=impersonation, request=request)
    if not _end(impersonation=impersonation, reason=reason):
        return False
    audit_record(
        actor=actor,
        action="impersonation.stop",
        establishment=impersonation.establishment,
        target=impersonation,
        details={"reason": reason},
        request=request,
        acting_as_id=impersonation.target_id,
    )
    return True


@transaction.atomic
def impersonation_expire(*, impersonation: Impersonation, request: HttpRequest | None = None) -> bool:
    """End an impersonation past its time limit (audited once, whoever notices it first)."""
    if impersonation.expires_at > timezone.now():
        return False
    if not _end(impersonation=impersonation, reason=ImpersonationEnd.EXPIRED):
        return False
    audit_record(
        actor=impersonation.agent,
        action="impersonation.expired",
        establishment=impersonation.establishment,
        target=impersonation,
        details={"expires_at": impersonation.expires_at.isoformat()},
        request=request,
        acting_as_id=impersonation.target_id,
    )
    return True


def impersonations_expire_due() -> int:
    """End every impersonation past its limit (the periodic sweep; requests also end them)."""
    due = Impersonation.objects.select_related("agent", "establishment").filter(
        ended_at__isnull=True, expires_at__lte=timezone.now()
    )
    return sum(impersonation_expire(impersonation=item) for item in due)


@transaction.atomic
def impersonation_write_approve(
    *, actor: Actor | None, impersonation: Impersonation, reason: str, request: HttpRequest | None = None
) -> Impersonation:
    """A second support agent allows writes during a colleague's impersonation, with a reason."""
    approver = _require_agent(actor)
    if approver.pk == impersonation.agent_id:
        raise PermissionDenied(
            _("Write access must be approved by another support agent."),
            code=ErrorCode.IMPERSONATION_SELF_APPROVAL,
        )
    reason = _clean_reason(reason)
    locked = Impersonation.objects.select_for_update().get(pk=impersonation.pk)
    if not locked.is_active:
        raise Conflict(_("This impersonation has ended."), code=ErrorCode.IMPERSONATION_ENDED)
    if locked.write_approved_by_id is not None:
        raise Conflict(_("Write access was already approved."), code=ErrorCode.ALREADY_APPROVED)
    locked.write_approved_by_id = approver.pk
    locked.write_approval_reason = reason
    locked.write_approved_at = timezone.now()
    locked.save(update_fields=["write_approved_by", "write_approval_reason", "write_approved_at"])
    audit_record(
        actor=approver,
        action="impersonation.write_approved",
        establishment=locked.establishment,
        target=locked,
        details={"agent_id": locked.agent_id, "reason": reason},
        request=request,
        acting_as_id=locked.target_id,
    )
    return locked


def impersonation_request_record(
    *, impersonation: Impersonation, request: HttpRequest, status: int, refused: str = ""
) -> None:
    """One audit entry per request made while impersonating: what was viewed (or attempted)."""
    details: dict[str, object] = {
        "method": request.method,
        "path": request.path[:500],
        "status": status,
    }
    if refused:
        details["refused"] = refused
    with transaction.atomic():
        audit_record(
            actor=impersonation.agent,
            action="impersonation.request",
            establishment=impersonation.establishment,
            target=impersonation,
            details=details,
            request=request,
            acting_as_id=impersonation.target_id,
        )


# --- Entering the establishment's host ---------------------------------------------------------
# In production the session cookie is shared by every host, so the session already knows the
# impersonation. Where it is not (the demo's host-only cookies), the agent signs in on the
# establishment's host and this signed link binds that session to the impersonation.


def impersonation_enter_token(*, impersonation: Impersonation) -> str:
    return signing.dumps({"i": impersonation.pk, "a": impersonation.agent_id}, salt=ENTER_SALT)


def impersonation_from_enter_token(*, token: str, agent: User) -> Impersonation | None:
    try:
        data = signing.loads(token, salt=ENTER_SALT, max_age=settings.IMPERSONATION_MINUTES * 60)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != agent.pk or not isinstance(data.get("i"), int):
        return None
    return Impersonation.objects.filter(pk=data["i"], agent=agent).first()


def session_impersonation_bind(*, session: SessionBase, impersonation: Impersonation) -> None:
    session[SESSION_KEY] = impersonation.pk
