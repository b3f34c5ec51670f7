"""One-off availability slots: a member of staff publishes a time they are available for a
guardian (in a room or by video link), or withdraws one nobody booked."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_values
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from tenant_apps.appointments.models import Booking, BookingStatus, Mode, Slot
from tenant_apps.appointments.permissions import ORGANISERS, SLOT_PUBLISHERS
from tenant_apps.appointments.services.common import acting_member, audit, has_role
from tenant_apps.structure.models import Room

MAX_MINUTES = 120


@transaction.atomic
def slot_publish(
    *,
    actor: Actor | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    mode: str = Mode.IN_PERSON,
    room: Room | None = None,
    video_link: str = "",
    cancel_cutoff_hours: int = 24,
) -> Slot:
    teacher = acting_member(actor, SLOT_PUBLISHERS)
    errors: dict[str, list[str]] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = [str(_("The slot must be in the future."))]
    minutes = (ends_at - starts_at).total_seconds() / 60
    if not 5 <= minutes <= MAX_MINUTES:
        errors["ends_at"] = [str(_("A slot lasts between 5 minutes and 2 hours."))]
    if mode not in Mode.values:
        errors["mode"] = [str(_("Unknown mode."))]
    elif mode == Mode.VIDEO and not video_link.strip():
        errors["video_link"] = [str(_("Give the video link."))]
    if not 0 <= cancel_cutoff_hours <= 24 * 14:
        errors["cancel_cutoff_hours"] = [str(_("Between 0 and 336 hours."))]
    if errors:
        raise ValidationFailed(fields=errors)
    if Slot.objects.filter(teacher=teacher, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationFailed(fields={"starts_at": [str(_("You have another slot at that time."))]})
    slot = Slot.objects.create(
        teacher=teacher,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        room=room if mode == Mode.IN_PERSON else None,
        video_link=video_link.strip() if mode == Mode.VIDEO else "",
        cancel_cutoff_hours=cancel_cutoff_hours,
    )
    audit(
        actor,
        "appointments.slot_published",
        slot,
        audit_values({"starts_at": starts_at, "ends_at": ends_at, "mode": mode, "room": slot.room_id}),
    )
    return slot


@transaction.atomic
def slot_withdraw(*, actor: Actor | None, slot: Slot) -> None:
    """Withdraw a slot nobody holds (its publisher, or an organiser)."""
    member = acting_member(actor, SLOT_PUBLISHERS)
    if slot.teacher_id != member.pk and not has_role(member, ORGANISERS):
        raise PermissionDenied()
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).exists():
        raise Conflict(_("This slot is booked: cancel the booking first."), code=ErrorCode.IN_USE)
    audit(
        actor,
        "appointments.slot_withdrawn",
        slot,
        audit_values({"starts_at": slot.starts_at, "teacher": slot.teacher_id}),
    )
    slot.delete()
