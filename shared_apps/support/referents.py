"""The support network: each establishment's digital referents (PRN, référent numérique) work its
requests first — reply, resolve, or escalate to the region's support agents with the history —
so that the region's agents see only what the schools could not solve.

Who works a request:

- a request of an establishment with at least one active digital referent: its referents (and its
  leaders) until one of them escalates it; then the region's agents too;
- a request of an establishment without a referent, or of no establishment (the portal): the
  region's agents at once.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, NotFound, ValidationFailed
from shared_apps.identity.models import Membership, MembershipStatus
from shared_apps.identity.roles import DIGITAL_REFERENTS
from shared_apps.support.models import SupportRequest, SupportRequestStatus
from shared_apps.support.permissions import ESTABLISHMENT_SUPPORT_MANAGERS
from tenants.models import Establishment

#: Work the establishment's requests first (its host): its referents and its leaders.
ESTABLISHMENT_REQUEST_WORKERS = DIGITAL_REFERENTS | ESTABLISHMENT_SUPPORT_MANAGERS


def works_requests_of(user: Actor, establishment: Establishment | None) -> bool:
    """A digital referent or a leader of this establishment."""
    return establishment is not None and (
        Membership.objects.filter(
            user_id=user.pk,
            establishment=establishment,
            status=MembershipStatus.ACTIVE,
            role__in=ESTABLISHMENT_REQUEST_WORKERS,
        ).exists()
    )


def for_the_region() -> Q:
    """The requests the region's agents work: no establishment, escalated, or of an establishment
    without an active digital referent."""
    has_referent = Exists(
        Membership.objects.filter(
            establishment_id=OuterRef("establishment_id"),
            role__in=DIGITAL_REFERENTS,
            status=MembershipStatus.ACTIVE,
        )
    )
    return Q(establishment__isnull=True) | Q(escalated_at__isnull=False) | ~Q(has_referent)


@transaction.atomic
def support_request_escalate(
    *, actor: Actor, support_request: SupportRequest, note: str, request: HttpRequest | None = None
) -> SupportRequest:
    """Hand a request over to the region's agents, with a note (its replies go along)."""
    if not works_requests_of(actor, support_request.establishment):
        raise NotFound()
    note = (note or "").strip()
    if not 10 <= len(note) <= 2000:
        raise ValidationFailed(fields={"note": [_("Say what was tried (10 to 2000 characters).")]})
    locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    if locked.status == SupportRequestStatus.RESOLVED:
        raise Conflict(_("This request is resolved."), code=ErrorCode.REQUEST_RESOLVED)
    if locked.escalated_at is not None:
        raise Conflict(
            _("This request is already with the region's support."), code=ErrorCode.REQUEST_ESCALATED
        )
    locked.escalated_at = timezone.now()
    locked.escalated_by_id = actor.pk
    locked.escalation_note = note
    locked.save(update_fields=["escalated_at", "escalated_by", "escalation_note", "updated_at"])
    audit_record(
        actor=actor,
        action="support.request_escalated",
        establishment=locked.establishment,
        target=locked,
        request=request,
    )
    return locked
