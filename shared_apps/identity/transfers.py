"""A student who moves from one establishment to another: a transfer, never a takeover.

Guardian links are region-wide, so the establishment a student attends decides who their
guardians are. Another establishment that enrols the same student does not get that power by
enrolling them: its student membership stays ``pending`` (no access, no say on the links) until
the student's current establishment releases them, as a school's *exeat* does:

- the new establishment asks (``enrolment_transfer_request``: an admin or head there grants the
  student role to someone who is a student elsewhere);
- the current establishment's admins or head accept (the student's membership there ends, the
  pending one becomes active, with the class asked for) or refuse (the pending one is dropped);
  ending the student's enrolment there the usual way accepts too; a region operator may decide
  for an establishment that cannot (``establishment=None``);
- the new establishment may withdraw its request (ending the pending membership).

Every step leaves an audit entry in the log of each establishment concerned, so that both see it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.lookups import get_or_404
from shared_apps.identity.models import (
    EnrolmentTransfer,
    Membership,
    MembershipStatus,
    TransferOutcome,
    User,
)
from shared_apps.identity.roles import Role
from shared_apps.identity.services import member_sync, membership_grant
from tenants.models import Establishment


def student_establishments(*, user_id: int) -> list[Establishment]:
    """Where this person is an active student now."""
    return [
        m.establishment
        for m in Membership.objects.filter(
            user_id=user_id, role=Role.STUDENT, status=MembershipStatus.ACTIVE
        ).select_related("establishment")
    ]


def _record_both_sides(
    *,
    actor: Actor | None,
    action: str,
    transfer: EnrolmentTransfer,
    others: list[Establishment],
    **details: object,
) -> None:
    """One entry in the new establishment's log, one in each current establishment's log."""
    membership = transfer.membership
    new = membership.establishment
    common = {"user_id": membership.user_id, "transfer_id": transfer.pk, **details}
    audit_record(
        actor=actor,
        action=action,
        establishment=new,
        target=membership,
        details={**common, "from": sorted(e.uai for e in others)},
    )
    for other in others:
        audit_record(
            actor=actor,
            action=action,
            establishment=other,
            target=membership,
            details={**common, "to": new.uai},
        )


@transaction.atomic
def enrolment_transfer_request(
    *, actor: Actor | None, establishment: Establishment, user: User, class_name: str | None
) -> Membership:
    """Ask for a student enrolled elsewhere: a pending student membership here (idempotent)."""
    membership, _created = Membership.objects.select_for_update().get_or_create(
        user=user,
        establishment=establishment,
        role=Role.STUDENT,
        defaults={"status": MembershipStatus.PENDING},
    )
    if membership.status == MembershipStatus.ACTIVE:
        return membership
    if membership.status != MembershipStatus.PENDING:
        membership.status = MembershipStatus.PENDING
        membership.save(update_fields=["status", "updated_at"])
    transfer = EnrolmentTransfer.objects.filter(
        membership=membership, outcome=TransferOutcome.WAITING
    ).first()
    if transfer is None:
        transfer = EnrolmentTransfer.objects.create(
            membership=membership, class_name=class_name or "", requested_by_id=actor_id(actor)
        )
        _record_both_sides(
            actor=actor,
            action="membership.transfer_requested",
            transfer=transfer,
            others=student_establishments(user_id=user.pk),
        )
    elif class_name and transfer.class_name != class_name:
        transfer.class_name = class_name
        transfer.save(update_fields=["class_name"])
    return membership


def _decide(transfer: EnrolmentTransfer, *, actor: Actor | None, outcome: str) -> None:
    transfer.outcome = outcome
    transfer.decided_by_id = actor_id(actor)
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["outcome", "decided_by_id", "decided_at"])


@transaction.atomic
def transfers_complete(*, actor: Actor | None, user: User, released_by: list[Establishment]) -> None:
    """Once the student is an active student nowhere, the oldest waiting request becomes their
    enrolment (with its class); any other request keeps waiting, now on that establishment."""
    if Membership.objects.filter(user=user, role=Role.STUDENT, status=MembershipStatus.ACTIVE).exists():
        return
    transfer = (
        EnrolmentTransfer.objects.select_for_update()
        .filter(membership__user=user, outcome=TransferOutcome.WAITING)
        .select_related("membership__establishment")
        .order_by("requested_at", "pk")
        .first()
    )
    if transfer is None:
        return
    _decide(transfer, actor=actor, outcome=TransferOutcome.ACCEPTED)
    membership_grant(
        actor=actor,
        user=user,
        establishment=transfer.membership.establishment,
        role=Role.STUDENT,
        class_name=transfer.class_name or None,
    )
    _record_both_sides(
        actor=actor, action="membership.transfer_accepted", transfer=transfer, others=released_by
    )


@transaction.atomic
def enrolment_transfer_refuse(*, actor: Actor | None, transfer: EnrolmentTransfer) -> EnrolmentTransfer:
    """The student stays where they are: the pending membership is dropped (departed)."""
    _decide(transfer, actor=actor, outcome=TransferOutcome.REFUSED)
    _drop_pending(transfer.membership)
    _record_both_sides(
        actor=actor,
        action="membership.transfer_refused",
        transfer=transfer,
        others=student_establishments(user_id=transfer.membership.user_id),
    )
    return transfer


@transaction.atomic
def enrolment_transfer_cancel(*, actor: Actor | None, membership: Membership) -> None:
    """The establishment that asked withdraws: its pending membership is dropped."""
    for transfer in EnrolmentTransfer.objects.filter(membership=membership, outcome=TransferOutcome.WAITING):
        _decide(transfer, actor=actor, outcome=TransferOutcome.CANCELLED)
        _record_both_sides(
            actor=actor,
            action="membership.transfer_cancelled",
            transfer=transfer,
            others=student_establishments(user_id=membership.user_id),
        )
    _drop_pending(membership)


def _drop_pending(membership: Membership) -> None:
    Membership.objects.filter(pk=membership.pk, status=MembershipStatus.PENDING).update(
        status=MembershipStatus.DEPARTED, updated_at=timezone.now()
    )
    membership.refresh_from_db()
    member_sync(user=membership.user, establishment=membership.establishment)


# --- Reads -----------------------------------------------------------------------------------------


def _waiting() -> QuerySet[EnrolmentTransfer]:
    return EnrolmentTransfer.objects.filter(outcome=TransferOutcome.WAITING).select_related(
        "membership__user", "membership__establishment"
    )


def transfers_incoming(*, establishment: Establishment) -> QuerySet[EnrolmentTransfer]:
    """Requests of other establishments for students of this one (to accept or refuse)."""
    students_here = Membership.objects.filter(
        establishment=establishment, role=Role.STUDENT, status=MembershipStatus.ACTIVE
    ).values("user_id")
    return (
        _waiting()
        .filter(membership__user_id__in=students_here)
        .exclude(membership__establishment=establishment)
        .order_by("requested_at", "pk")
    )


def transfers_outgoing(*, establishment: Establishment) -> QuerySet[EnrolmentTransfer]:
    """This establishment's own requests, still waiting."""
    return _waiting().filter(membership__establishment=establishment).order_by("requested_at", "pk")


def transfer_incoming_get(*, establishment: Establishment, transfer_id: int) -> EnrolmentTransfer:
    """One request for a student of this establishment; any other: 404."""
    return get_or_404(transfers_incoming(establishment=establishment), pk=transfer_id)


def pending_classes(*, membership_ids: list[int]) -> dict[int, str]:
    """The class asked for, per pending membership (one query; none asked: absent)."""
    if not membership_ids:
        return {}
    rows = (
        _waiting()
        .filter(membership_id__in=membership_ids)
        .exclude(class_name="")
        .values_list("membership_id", "class_name")
    )
    return dict(rows)
