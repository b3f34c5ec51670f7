"""The demo's appointments (mbn_platform/demo/appointments.py): at the collège, an evening for
Léa's class open for booking with her teachers, other families' bookings, a teacher's one-off
slots; Claire Martin (the persona) finds Léa's teachers to book; seeding again adds nothing."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from mbn_platform.demo.appointments import TITLE, demo_appointments_seed
from shared_apps.identity.models import User
from tenant_apps.appointments import selectors
from tenant_apps.appointments.models import Booking, Evening, Slot
from tenant_apps.school.models import Member
from tests.conftest import client_for


def test_the_demo_evening_is_open_with_bookings(demo, db):
    _school, college, people = demo.schools()[0]
    claire = User.objects.get(login="claire.martin")
    with tenant_context(college):
        evening = Evening.objects.get(title=TITLE)
        assert evening.status == "open"
        assert Booking.objects.filter(slot__evening=evening).count() >= 3
        assert Slot.objects.filter(evening__isnull=True).count() >= 2
        [lea] = [
            c
            for c in selectors.children_acting(guardian_user_id=claire.pk)
            if c.display_name.startswith("Léa")
        ]
        choices = selectors.evening_choices(evening=evening, child=lea)
        assert len(choices) >= 3 and all(any(not s.taken for s in c.slots) for c in choices)
        lea_user_id = lea.user_id
    assert demo_appointments_seed(college, people) == 0
    with tenant_context(college):
        assert Evening.objects.filter(title=TITLE).count() == 1
        assert Member.objects.filter(user_id=claire.pk).exists()
    page = client_for(claire, college).get(f"/appointments/evenings/{evening.pk}/book/{lea_user_id}/")
    assert page.status_code == 200
