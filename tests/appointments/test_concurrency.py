"""No double booking when guardians click at once: real concurrent transactions on PostgreSQL
(one connection per thread, started together behind a barrier), on committed data. Exactly one
booking wins each slot; the others get the clear "taken" answer (409 ``slot_taken``)."""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django_tenants.utils import tenant_context

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError
from tenant_apps.appointments import services
from tenant_apps.appointments.models import Booking, BookingStatus, Slot
from tenant_apps.school.models import Member
from tenants.models import Establishment
from tests.appointments.committed import committed_evening
from tests.conftest import SESSION_SCHOOLS

CLICKERS = 4
ROUNDS = 3


def _click_at_once(school: Establishment, pairs: list[tuple[object, int]], slot_id: int) -> list[str]:
    """Each (guardian, child member id) books ``slot_id`` in its own thread and connection, all
    released together; returns "booked" or the error code of each."""
    barrier = threading.Barrier(len(pairs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def click(guardian: object, child_id: int) -> None:
        try:
            with tenant_context(school):
                child = Member.objects.get(pk=child_id)
                slot = Slot.objects.get(pk=slot_id)
                with transaction.atomic():
                    # Each transaction is open (and has read the slot) before any of them books.
                    Slot.objects.filter(pk=slot_id).exists()
                    barrier.wait(timeout=30)
                    try:
                        services.booking_create(actor=guardian, child=child, slot=slot)  # type: ignore[arg-type]
                        result = "booked"
                    except ApplicationError as error:
                        result = str(error.code)
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_guardians_clicking_the_same_slot_at_once_get_one_booking(committed_db):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])
    with committed_evening(school, families=CLICKERS * ROUNDS) as setup:
        with tenant_context(school):
            child_ids = {
                m.user_id: m.pk for m in Member.objects.filter(user_id__in=[c.pk for c in setup.children])
            }
        pairs = [(g, child_ids[c.pk]) for g, c in zip(setup.guardians, setup.children, strict=True)]
        for round_, slot_id in enumerate(setup.slot_ids[:ROUNDS]):
            # Families of their own each round (none of them holds another appointment).
            outcomes = _click_at_once(school, pairs[round_ * CLICKERS : (round_ + 1) * CLICKERS], slot_id)
            assert sorted(outcomes) == sorted(["booked"] + [str(ErrorCode.SLOT_TAKEN)] * (CLICKERS - 1)), (
                outcomes
            )
        with tenant_context(school):
            held = list(
                Booking.objects.filter(slot__evening=setup.evening, status=BookingStatus.BOOKED).values_list(
                    "slot_id", flat=True
                )
            )
        # One booking per slot clicked, and no slot held twice.
        assert sorted(held) == sorted(setup.slot_ids[:ROUNDS])
