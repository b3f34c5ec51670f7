"""Booking an evening: a guardian books both of their child's teachers in one go; overlapping
times across teachers are refused, a slot is held once, the cut-off limits cancellation, a
closed or draft evening takes no booking, every write is audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.appointments import selectors, services
from tenant_apps.appointments.models import Booking, BookingStatus
from tests.appointments.helpers import at, open_evening, slot_of
from tests.factories import member
from tests.timetable.helpers import School


def test_a_guardian_books_both_teachers_in_one_go_and_overlaps_are_refused(school: School):
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    evening = open_evening(school)
    with tenant_context(school.establishment):
        child, math, english = school.extra["child"], school.m(school.teacher), school.m(school.other_teacher)
        choices = selectors.evening_choices(evening=evening, child=child)
        assert {c.teacher.pk: len(c.slots) for c in choices} == {math.pk: 12, english.pk: 12}
        # The same time with both teachers: refused, and nothing is booked (all or none).
        with pytest.raises(Conflict) as overlap:
            services.bookings_make(
                actor=school.guardian,
                child=child,
                slots=[
                    ("teacher_a", slot_of(evening, math.pk, 17)),
                    ("teacher_b", slot_of(evening, english.pk, 17)),
                ],
            )
        assert overlap.value.code == ErrorCode.BOOKING_OVERLAP
        assert set(overlap.value.fields) == {"teacher_b"} or set(overlap.value.fields) == {"teacher_a"}
        assert not Booking.objects.filter(slot__evening=evening).exists()
        made = services.bookings_make(
            actor=school.guardian,
            child=child,
            slots=[("a", slot_of(evening, math.pk, 17)), ("b", slot_of(evening, english.pk, 17, 10))],
        )
        assert len(made) == 2
        # Another overlap, across teachers, later: refused.
        with pytest.raises(Conflict) as again:
            services.booking_create(actor=school.guardian, child=child, slot=slot_of(evening, english.pk, 17))
        assert again.value.code in (ErrorCode.BOOKING_OVERLAP, ErrorCode.ALREADY_EXISTS)
        # Twice the same teacher for the same child: refused.
        with pytest.raises(Conflict) as twice:
            services.booking_create(actor=school.guardian, child=child, slot=slot_of(evening, math.pk, 18))
        assert twice.value.code == ErrorCode.ALREADY_EXISTS
        choices = {c.teacher.pk: c for c in selectors.evening_choices(evening=evening, child=child)}
        assert choices[math.pk].booked in made and choices[english.pk].booked in made
        actions = list(
            AuditEntry.objects.filter(pk__gt=before, action__startswith="appointments.").values_list(
                "action", flat=True
            )
        )
    assert actions.count("appointments.booked") == 2
    assert (
        "appointments.evening_created" in actions and actions.count("appointments.evening_teacher_added") == 2
    )


def test_a_slot_is_held_once(school: School, school_a):
    evening = open_evening(school)
    other_parent = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_parent, child=school.students[1])
    with tenant_context(school.establishment):
        math = school.m(school.teacher)
        slot = slot_of(evening, math.pk, 18)
        services.booking_create(actor=school.guardian, child=school.extra["child"], slot=slot)
        with pytest.raises(Conflict) as taken:
            services.booking_create(actor=other_parent, child=school.m(school.students[1]), slot=slot)
        assert taken.value.code == ErrorCode.SLOT_TAKEN
        assert "slot_id" in taken.value.fields
        # The database itself refuses a second active booking of a slot.
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.create(
                slot=slot, child=school.m(school.students[1]), guardian=school.m(other_parent)
            )


def test_who_may_book_what(school: School, school_a):
    evening = open_evening(school)
    stranger = member(school_a, Role.GUARDIAN)
    viewer = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=viewer, child=school.students[0], can_act=False)
    with tenant_context(school.establishment):
        child, math = school.extra["child"], school.m(school.teacher)
        slot = slot_of(evening, math.pk, 17, 30)
        for someone in (stranger, viewer):  # not their child / may only view
            with pytest.raises(ValidationFailed) as refused:
                services.booking_create(actor=someone, child=child, slot=slot)
            assert "child" in refused.value.fields
        with pytest.raises(PermissionDenied):
            services.booking_create(actor=school.teacher, child=child, slot=slot)
        # A child of the other class (not invited) may not book; nor a teacher who does not teach them.
        other_child = school.m(school.other_student)
        guardian_link_create(actor=None, guardian=stranger, child=school.other_student)
        with pytest.raises(ValidationFailed) as not_invited:
            services.booking_create(actor=stranger, child=other_child, slot=slot)
        assert "child" in not_invited.value.fields


def test_draft_and_closed_evenings_take_no_booking(school: School):
    evening = open_evening(school, status="draft")
    with tenant_context(school.establishment):
        slot = slot_of(evening, school.m(school.teacher).pk, 17)
        with pytest.raises(Conflict) as closed:
            services.booking_create(actor=school.guardian, child=school.extra["child"], slot=slot)
        assert closed.value.code == ErrorCode.BOOKING_CLOSED
        services.evening_status_set(actor=school.extra["head"], evening=evening, status="closed")
        with pytest.raises(Conflict):
            services.booking_create(actor=school.guardian, child=school.extra["child"], slot=slot)


def test_cancellation_up_to_the_cut_off(school: School):
    evening = open_evening(school)  # cut-off: 24 hours before
    with tenant_context(school.establishment):
        child, math = school.extra["child"], school.m(school.teacher)
        first = services.booking_create(
            actor=school.guardian, child=child, slot=slot_of(evening, math.pk, 17)
        )
        # 25 hours before: the guardian cancels.
        cancelled = services.booking_cancel(
            actor=school.guardian, booking=first, now=at(17) - datetime.timedelta(hours=25)
        )
        assert cancelled.status == BookingStatus.CANCELLED
        with pytest.raises(Conflict) as twice:
            services.booking_cancel(actor=school.guardian, booking=first)
        assert twice.value.code == ErrorCode.ALREADY_CANCELLED
        # The slot is free again; booked anew, then 23 hours before the guardian may not cancel...
        second = services.booking_create(
            actor=school.guardian, child=child, slot=slot_of(evening, math.pk, 17)
        )
        with pytest.raises(Conflict) as late:
            services.booking_cancel(
                actor=school.guardian, booking=second, now=at(17) - datetime.timedelta(hours=23)
            )
        assert late.value.code == ErrorCode.CANCEL_TOO_LATE
        # ... the teacher may, until it starts; no one once it started.
        with pytest.raises(Conflict):
            services.booking_cancel(actor=school.teacher, booking=second, now=at(17, 1))
        services.booking_cancel(actor=school.teacher, booking=second, now=at(16))
        # Another teacher (neither the slot's nor an organiser) may not.
        third = services.booking_create(
            actor=school.guardian, child=child, slot=slot_of(evening, math.pk, 17, 20)
        )
        with pytest.raises(PermissionDenied):
            services.booking_cancel(actor=school.students[1], booking=third)
