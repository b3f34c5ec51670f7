"""Punishments: given by a member of staff (a teacher to their own students), then done, not
done or cancelled. A detention needs its date, times and supervisor; extra work what to do and
when it is due; an exclusion from a lesson its date."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_values
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.discipline.models import Incident, Punishment, PunishmentKind, PunishmentStatus
from tenant_apps.discipline.permissions import DISCIPLINE_STAFF
from tenant_apps.discipline.services.common import acting_member, audit, students_check
from tenant_apps.school.models import Member

FIELDS = (
    "kind",
    "status",
    "student_id",
    "reason",
    "date",
    "start_time",
    "end_time",
    "place",
    "supervisor_id",
    "work",
)


def _state(p: Punishment) -> dict[str, object]:
    return {name: getattr(p, name) for name in FIELDS}


def _validate(
    *,
    kind: str,
    reason: str,
    date: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    supervisor: Member | None,
    work: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in PunishmentKind.values:
        errors["kind"] = [str(_("Unknown kind of punishment."))]
    if not reason.strip():
        errors["reason"] = [str(_("Give the reason."))]
    if date is None:
        errors["date"] = [
            str(_("Give the date (the day of the detention or exclusion, the day the work is due)."))
        ]
    if kind == PunishmentKind.DETENTION:
        if start_time is None or end_time is None or end_time <= start_time:
            errors["end_time"] = [str(_("Give the start and the end of the detention."))]
        if supervisor is None or not set(supervisor.roles or []) & STAFF_ROLES or not supervisor.is_active:
            errors["supervisor"] = [str(_("Choose the member of staff who supervises it."))]
    if kind == PunishmentKind.EXTRA_WORK and not work.strip():
        errors["work"] = [str(_("Say what work is to be done."))]
    if errors:
        raise ValidationFailed(fields=errors)


@transaction.atomic
def punishment_give(
    *,
    actor: Actor | None,
    student: Member,
    kind: str,
    reason: str,
    date: datetime.date | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    supervisor: Member | None = None,
    place: str = "",
    work: str = "",
    incident: Incident | None = None,
) -> Punishment:
    giver = acting_member(actor)
    if Role.STUDENT not in (student.roles or []):
        raise ValidationFailed(fields={"student": [str(_("Choose a student."))]})
    students_check(giver, [student])
    _validate(
        kind=kind,
        reason=reason,
        date=date,
        start_time=start_time,
        end_time=end_time,
        supervisor=supervisor,
        work=work,
    )
    punishment = Punishment.objects.create(
        kind=kind,
        student=student,
        incident=incident,
        reason=reason.strip(),
        given_by=giver,
        given_on=timezone.localdate(),
        date=date,
        start_time=start_time if kind == PunishmentKind.DETENTION else None,
        end_time=end_time if kind == PunishmentKind.DETENTION else None,
        supervisor=supervisor if kind == PunishmentKind.DETENTION else None,
        place=place.strip()[:120],
        work=work.strip(),
    )
    audit(actor, "discipline.punishment_given", punishment, audit_values(_state(punishment)))
    return punishment


@transaction.atomic
def punishment_status_set(*, actor: Actor | None, punishment: Punishment, status: str) -> Punishment:
    """Done, not done, cancelled (or back to "to do"): school-life staff and the leadership, the
    member of staff who gave it, a detention's supervisor."""
    member = acting_member(actor)
    allowed = bool(set(member.roles or []) & DISCIPLINE_STAFF) or member.pk in (
        punishment.given_by_id,
        punishment.supervisor_id,
    )
    if not allowed:
        raise PermissionDenied()
    if status not in PunishmentStatus.values:
        raise ValidationFailed(fields={"status": [str(_("Unknown status."))]})
    if punishment.status == PunishmentStatus.CANCELLED and status != PunishmentStatus.CANCELLED:
        raise Conflict(
            _("A cancelled punishment cannot be reopened: give a new one."), code=ErrorCode.CONFLICT
        )
    before = _state(punishment)
    punishment.status = status
    punishment.save(update_fields=["status", "updated_at"])
    changes = audit_changes(before, _state(punishment))
    if changes:
        audit(actor, "discipline.punishment_status_set", punishment, {"changes": changes})
    return punishment
