"""Bookings: a guardian books a slot for one of their children (several at once on an evening's
page, one per teacher), and cancels up to the slot's cut-off; the slot's teacher or an organiser
may cancel until it starts.

No double booking: the guardian's and the child's member rows are locked first (their overlap
check is then exact), then each slot's row in id order (one booking wins a slot; whoever comes
second sees it taken); the partial unique constraint on an active booking per slot is the last
word, turned into the same "taken" answer."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.appointments import notices
from tenant_apps.appointments.models import Booking, BookingStatus, EveningStatus, Slot
from tenant_apps.appointments.permissions import BOOKERS, ORGANISERS, SLOT_PUBLISHERS
from tenant_apps.appointments.selectors import children_acting, teachers_of
from tenant_apps.appointments.services.common import acting_member, audit, has_role
from tenant_apps.school.models import Member


def _lock_people(guardian: Member, child: Member) -> None:
    list(Member.objects.select_for_update().filter(pk__in=[guardian.pk, child.pk]).order_by("pk"))


def _check_slot(
    *, slot: Slot, child: Member, teachers: dict[int, list[str]], now: datetime.datetime, field: str
) -> None:
    if slot.starts_at <= now:
        raise Conflict(
            _("This slot has passed."),
            code=ErrorCode.BOOKING_CLOSED,
            fields={field: [str(_("This slot has passed."))]},
        )
    evening = slot.evening
    if evening is not None:
        if evening.status != EveningStatus.OPEN:
            message = _("This evening is not open for booking.")
            raise Conflict(message, code=ErrorCode.BOOKING_CLOSED, fields={field: [str(message)]})
        if child.school_class_id is None or not evening.classes.filter(pk=child.school_class_id).exists():
            raise ValidationFailed(fields={"child": [str(_("This evening is not for this child's class."))]})
    if slot.teacher_id not in teachers and (evening is not None or not has_role(slot.teacher, ORGANISERS)):
        raise ValidationFailed(fields={field: [str(_("This teacher does not teach this child."))]})


def _check_free(*, slot: Slot, guardian: Member, child: Member, field: str) -> None:
    active = Booking.objects.filter(status=BookingStatus.BOOKED)
    if active.filter(slot=slot).exists():
        message = _("This slot has just been booked by someone else: choose another one.")
        raise Conflict(message, code=ErrorCode.SLOT_TAKEN, fields={field: [str(message)]})
    overlapping = active.filter(slot__starts_at__lt=slot.ends_at, slot__ends_at__gt=slot.starts_at)
    if overlapping.filter(guardian=guardian).exists() or overlapping.filter(child=child).exists():
        message = _("You have another appointment at that time: choose another slot.")
        raise Conflict(message, code=ErrorCode.BOOKING_OVERLAP, fields={field: [str(message)]})
    if (
        slot.evening_id
        and active.filter(
            slot__evening_id=slot.evening_id, slot__teacher_id=slot.teacher_id, child=child
        ).exists()
    ):
        message = _("You have already booked this teacher for this child at this evening.")
        raise Conflict(message, code=ErrorCode.ALREADY_EXISTS, fields={field: [str(message)]})


def _guardian_and_child(actor: Actor | None, child: Member) -> Member:
    guardian = acting_member(actor, BOOKERS)
    if child.pk not in {c.pk for c in children_acting(guardian_user_id=guardian.user_id)}:
        raise ValidationFailed(fields={"child": [str(_("Choose one of your children."))]})
    return guardian


@transaction.atomic
def bookings_make(
    *, actor: Actor | None, child: Member, slots: list[tuple[str, Slot]], now: datetime.datetime | None = None
) -> list[Booking]:
    """Book several slots for a child at once (``(field, slot)`` pairs: the field names the input
    each slot came from, for the error): all of them, or none."""
    now = now or timezone.now()
    guardian = _guardian_and_child(actor, child)
    if not slots:
        raise ValidationFailed(_("Choose at least one slot."))
    _lock_people(guardian, child)
    teachers = teachers_of(child)
    ordered = sorted(slots, key=lambda pair: pair[1].pk)
    locked = {
        s.pk: s
        for s in Slot.objects.select_for_update(of=("self",))
        .select_related("evening", "teacher")
        .filter(pk__in=[slot.pk for _field, slot in ordered])
        .order_by("pk")
    }
    made: list[Booking] = []
    for field, given in ordered:
        slot = locked[given.pk]
        _check_slot(slot=slot, child=child, teachers=teachers, now=now, field=field)
        _check_free(slot=slot, guardian=guardian, child=child, field=field)
        try:
            with transaction.atomic():
                booking = Booking.objects.create(slot=slot, child=child, guardian=guardian)
        except IntegrityError as exc:
            message = _("This slot has just been booked by someone else: choose another one.")
            raise Conflict(message, code=ErrorCode.SLOT_TAKEN, fields={field: [str(message)]}) from exc
        audit(
            actor,
            "appointments.booked",
            booking,
            {
                "slot": slot.pk,
                "teacher": slot.teacher_id,
                "child": child.pk,
                "starts_at": slot.starts_at.isoformat(),
            },
        )
        notices.booking_made_notify(actor=actor, booking=booking)
        made.append(booking)
    return made


def booking_create(
    *, actor: Actor | None, child: Member, slot: Slot, now: datetime.datetime | None = None
) -> Booking:
    """Book one slot for a child (see ``bookings_make``)."""
    return bookings_make(actor=actor, child=child, slots=[("slot_id", slot)], now=now)[0]


@transaction.atomic
def booking_cancel(*, actor: Actor | None, booking: Booking, now: datetime.datetime | None = None) -> Booking:
    """Cancel: a guardian of the child (who may act for them) up to the slot's cut-off; the slot's
    teacher or an organiser until the slot starts."""
    now = now or timezone.now()
    member = acting_member(actor, BOOKERS | SLOT_PUBLISHERS)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("slot").get(pk=booking.pk)
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict(_("This booking was cancelled already."), code=ErrorCode.ALREADY_CANCELLED)
    slot = booking.slot
    staff = slot.teacher_id == member.pk or has_role(member, ORGANISERS)
    family = Role.GUARDIAN in (member.roles or []) and booking.child_id in {
        c.pk for c in children_acting(guardian_user_id=member.user_id)
    }
    if not staff and not family:
        raise PermissionDenied()
    if slot.starts_at <= now:
        raise Conflict(_("This appointment has started or is over."), code=ErrorCode.CANCEL_TOO_LATE)
    cutoff = slot.starts_at - datetime.timedelta(hours=slot.cancel_cutoff_hours)
    if not staff and now > cutoff:
        raise Conflict(
            _("Bookings may be cancelled up to %(hours)s hours before: contact the teacher.")
            % {"hours": slot.cancel_cutoff_hours},
            code=ErrorCode.CANCEL_TOO_LATE,
        )
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by_id = actor_id(actor)
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by_id"])
    audit(
        actor,
        "appointments.booking_cancelled",
        booking,
        {"changes": {"status": {"from": "booked", "to": "cancelled"}}, "by_staff": staff},
    )
    notices.booking_cancelled_notify(actor=actor, booking=booking, by_staff=staff)
    return booking
