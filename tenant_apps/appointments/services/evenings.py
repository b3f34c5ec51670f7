"""Parent-teacher evenings: an organiser creates one (date, times, slot length, in person or by
video, the classes addressed), adds the teachers taking part (each one's grid of slots is made
then, in their room or with their video link), then opens it for booking and closes it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_changes, audit_values
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.identity.roles import STAFF_ROLES
from tenant_apps.appointments.models import Evening, EveningStatus, EveningTeacher, Mode, Slot
from tenant_apps.appointments.permissions import ORGANISERS
from tenant_apps.appointments.services.common import acting_member, audit
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Room

MIN_SLOT, MAX_SLOT = 5, 60
MAX_SLOTS_PER_TEACHER = 60


def _validate(
    *, title: str, date: datetime.date, start_time: datetime.time, end_time: datetime.time, slot_minutes: int
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [str(_("Give the evening a title."))]
    if end_time <= start_time:
        errors["end_time"] = [str(_("The end must be after the start."))]
    if not MIN_SLOT <= slot_minutes <= MAX_SLOT:
        errors["slot_minutes"] = [str(_("A slot lasts between 5 and 60 minutes."))]
    if date < timezone.localdate():
        errors["date"] = [str(_("The evening cannot be in the past."))]
    return errors


@transaction.atomic
def evening_create(
    *,
    actor: Actor | None,
    title: str,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    slot_minutes: int,
    classes: list[SchoolClass],
    mode: str = Mode.IN_PERSON,
    cancel_cutoff_hours: int = 24,
) -> Evening:
    organiser = acting_member(actor, ORGANISERS)
    errors = _validate(
        title=title, date=date, start_time=start_time, end_time=end_time, slot_minutes=slot_minutes
    )
    if not classes:
        errors["classes"] = [str(_("Choose the classes whose guardians are invited."))]
    if mode not in Mode.values:
        errors["mode"] = [str(_("Unknown mode."))]
    if not 0 <= cancel_cutoff_hours <= 24 * 14:
        errors["cancel_cutoff_hours"] = [str(_("Between 0 and 336 hours."))]
    if errors:
        raise ValidationFailed(fields=errors)
    evening = Evening.objects.create(
        title=title.strip()[:150],
        date=date,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        mode=mode,
        cancel_cutoff_hours=cancel_cutoff_hours,
        created_by=organiser,
    )
    evening.classes.set(classes)
    values = audit_values(
        {"title": evening.title, "date": date, "start_time": start_time, "end_time": end_time, "mode": mode}
    )
    audit(
        actor, "appointments.evening_created", evening, {**values, "classes": sorted(c.pk for c in classes)}
    )
    return evening


def evening_grid(evening: Evening) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The evening's slots (start, end), aware, in the establishment's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(evening.date, evening.start_time))
    end = timezone.make_aware(datetime.datetime.combine(evening.date, evening.end_time))
    step = datetime.timedelta(minutes=evening.slot_minutes)
    grid: list[tuple[datetime.datetime, datetime.datetime]] = []
    while start + step <= end and len(grid) < MAX_SLOTS_PER_TEACHER:
        grid.append((start, start + step))
        start += step
    return grid


@transaction.atomic
def evening_teacher_add(
    *,
    actor: Actor | None,
    evening: Evening,
    teacher: Member,
    room: Room | None = None,
    video_link: str = "",
) -> EveningTeacher:
    """Add a teacher (or member of staff) to the evening, with their grid of slots. An organiser
    adds anyone; a teacher adds themself."""
    member = acting_member(actor, STAFF_ROLES)
    if not set(member.roles or []) & ORGANISERS and member.pk != teacher.pk:
        raise ValidationFailed(fields={"teacher": [str(_("You may add only yourself."))]})
    if not teacher.is_active or not set(teacher.roles or []) & STAFF_ROLES:
        raise ValidationFailed(fields={"teacher": [str(_("Choose a member of staff."))]})
    if evening.status == EveningStatus.CLOSED:
        raise Conflict(_("This evening is closed."), code=ErrorCode.EVENING_CLOSED)
    if evening.mode == Mode.VIDEO and not video_link.strip():
        raise ValidationFailed(fields={"video_link": [str(_("Give the video link of this evening."))]})
    if EveningTeacher.objects.filter(evening=evening, teacher=teacher).exists():
        raise Conflict(_("This teacher takes part already."), code=ErrorCode.ALREADY_EXISTS)
    grid = evening_grid(evening)
    if not grid:
        raise ValidationFailed(fields={"end_time": [str(_("The evening is too short for one slot."))]})
    if Slot.objects.filter(teacher=teacher, starts_at__lt=grid[-1][1], ends_at__gt=grid[0][0]).exists():
        raise ValidationFailed(fields={"teacher": [str(_("This teacher has other slots at that time."))]})
    part = EveningTeacher.objects.create(
        evening=evening, teacher=teacher, room=room, video_link=video_link.strip()
    )
    Slot.objects.bulk_create(
        [
            Slot(
                teacher=teacher,
                evening=evening,
                starts_at=start,
                ends_at=end,
                mode=evening.mode,
                room=room if evening.mode == Mode.IN_PERSON else None,
                video_link=part.video_link,
                cancel_cutoff_hours=evening.cancel_cutoff_hours,
            )
            for start, end in grid
        ]
    )
    audit(
        actor,
        "appointments.evening_teacher_added",
        evening,
        {"teacher": teacher.pk, "room": room.pk if room else None, "slots": len(grid)},
    )
    return part


@transaction.atomic
def evening_status_set(*, actor: Actor | None, evening: Evening, status: str) -> Evening:
    """Open the evening for booking, or close it (a closed one takes no more bookings)."""
    acting_member(actor, ORGANISERS)
    if status not in EveningStatus.values:
        raise ValidationFailed(fields={"status": [str(_("Unknown status."))]})
    evening = Evening.objects.select_for_update().get(pk=evening.pk)
    before = {"status": evening.status}
    evening.status = status
    evening.save(update_fields=["status"])
    changes = audit_changes(before, {"status": status})
    if changes:
        audit(actor, "appointments.evening_status_set", evening, {"changes": changes})
    return evening
