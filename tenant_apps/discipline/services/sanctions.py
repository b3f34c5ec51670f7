"""Sanctions: proposed by a member of staff (a teacher for their own students), then decided by
the head of establishment, alone or recording the disciplinary council's decision: pronounced
(possibly suspended), or not. A temporary exclusion has its days; the head alone excludes for
eight days at most (beyond, the council decides)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_changes, audit_values
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.discipline.models import DecisionBody, Incident, Sanction, SanctionKind, SanctionStatus
from tenant_apps.discipline.permissions import SANCTION_DECIDERS
from tenant_apps.discipline.services.common import acting_member, audit, students_check
from tenant_apps.school.models import Member

EXCLUSIONS = (SanctionKind.CLASS_EXCLUSION, SanctionKind.TEMPORARY_EXCLUSION)
HEAD_MAX_DAYS = 8
FIELDS = (
    "kind",
    "status",
    "reason",
    "exclusion_start",
    "exclusion_end",
    "body",
    "decided_on",
    "decision",
    "suspended",
)


def _state(s: Sanction) -> dict[str, object]:
    return {name: getattr(s, name) for name in FIELDS}


def _exclusion_check(kind: str, start: datetime.date | None, end: datetime.date | None) -> None:
    if kind not in EXCLUSIONS:
        return
    if start is None or end is None:
        raise ValidationFailed(
            fields={"exclusion_start": [str(_("Give the first and last day of the exclusion."))]}
        )
    if end < start:
        raise ValidationFailed(
            fields={"exclusion_end": [str(_("The last day must not be before the first."))]}
        )


@transaction.atomic
def sanction_propose(
    *,
    actor: Actor | None,
    student: Member,
    kind: str,
    reason: str,
    exclusion_start: datetime.date | None = None,
    exclusion_end: datetime.date | None = None,
    incident: Incident | None = None,
) -> Sanction:
    proposer = acting_member(actor)
    if Role.STUDENT not in (student.roles or []):
        raise ValidationFailed(fields={"student": [str(_("Choose a student."))]})
    students_check(proposer, [student])
    if kind not in SanctionKind.values:
        raise ValidationFailed(fields={"kind": [str(_("Unknown kind of sanction."))]})
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [str(_("Give the reason."))]})
    _exclusion_check(kind, exclusion_start, exclusion_end)
    sanction = Sanction.objects.create(
        kind=kind,
        student=student,
        incident=incident,
        reason=reason.strip(),
        proposed_by=proposer,
        proposed_on=timezone.localdate(),
        exclusion_start=exclusion_start if kind in EXCLUSIONS else None,
        exclusion_end=exclusion_end if kind in EXCLUSIONS else None,
    )
    audit(actor, "discipline.sanction_proposed", sanction, audit_values(_state(sanction)))
    return sanction


@transaction.atomic
def sanction_decide(
    *,
    actor: Actor | None,
    sanction: Sanction,
    pronounced: bool,
    body: str,
    decision: str,
    decided_on: datetime.date | None = None,
    suspended: bool = False,
    exclusion_start: datetime.date | None = None,
    exclusion_end: datetime.date | None = None,
) -> Sanction:
    """Record the decision (the head; the council's decision too). Decided once (409)."""
    member = acting_member(actor)
    if not set(member.roles or []) & SANCTION_DECIDERS:
        raise PermissionDenied()
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.status != SanctionStatus.PROPOSED:
        raise Conflict(_("This sanction was decided already."), code=ErrorCode.ALREADY_DECIDED)
    if body not in DecisionBody.values:
        raise ValidationFailed(
            fields={"body": [str(_("Who decided: the head or the disciplinary council."))]}
        )
    if not decision.strip():
        raise ValidationFailed(fields={"decision": [str(_("Write the decision (its grounds)."))]})
    start = exclusion_start or sanction.exclusion_start
    end = exclusion_end or sanction.exclusion_end
    if pronounced:
        _exclusion_check(sanction.kind, start, end)
        if (
            sanction.kind == SanctionKind.TEMPORARY_EXCLUSION
            and body == DecisionBody.HEAD
            and start is not None
            and end is not None
            and (end - start).days + 1 > HEAD_MAX_DAYS
        ):
            raise ValidationFailed(
                fields={
                    "body": [
                        str(_("The head alone excludes for eight days at most: the council decides beyond."))
                    ]
                }
            )
    before = _state(sanction)
    sanction.status = SanctionStatus.PRONOUNCED if pronounced else SanctionStatus.DISMISSED
    sanction.body, sanction.decision = body, decision.strip()
    sanction.decided_on = decided_on or timezone.localdate()
    sanction.suspended = bool(suspended and pronounced)
    sanction.decided_by_id = actor_id(actor)
    if sanction.kind in EXCLUSIONS:
        sanction.exclusion_start, sanction.exclusion_end = start, end
    sanction.save()
    audit(
        actor, "discipline.sanction_decided", sanction, {"changes": audit_changes(before, _state(sanction))}
    )
    return sanction
