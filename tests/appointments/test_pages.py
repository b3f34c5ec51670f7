"""The appointments' pages: an organiser creates an evening and adds a teacher, a teacher takes
part, the guardian books both teachers of their child on one page (an overlap is shown on the
teacher's field), cancels, and the organiser prints the schedule per teacher and per room."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.appointments.models import Booking, BookingStatus, Evening
from tests.appointments.helpers import at, open_evening, slot_of
from tests.conftest import client_for
from tests.timetable.helpers import School


def test_organising_an_evening_through_the_pages(school: School):
    head = client_for(school.extra["head"], school.establishment)
    assert head.get("/appointments/").status_code == 200
    assert head.get("/appointments/evenings/new/").status_code == 200
    day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    form = {
        "title": "Soirée 6e",
        "date": day,
        "start_time": "17:00",
        "end_time": "18:00",
        "slot_minutes": "10",
        "mode": "in_person",
        "classes": [school.school_class.pk],
        "cancel_cutoff_hours": "24",
    }
    assert head.post("/appointments/evenings/new/", {**form, "classes": []}).status_code == 400
    created = head.post("/appointments/evenings/new/", form)
    assert created.status_code == 302
    url = created["Location"]
    added = head.post(url, {"teacher": "", "room": school.room.pk})
    assert added.status_code == 400
    with tenant_context(school.establishment):
        teacher_pk = school.m(school.teacher).pk
        evening = Evening.objects.get(title="Soirée 6e")
    assert head.post(url, {"teacher": teacher_pk, "room": school.room.pk}).status_code == 302
    # The other teacher takes part themself.
    other = client_for(school.other_teacher, school.establishment)
    assert other.post(url, {"room": school.other_room.pk}).status_code == 302
    assert head.post(url, {"status": "open"}).status_code == 302
    with tenant_context(school.establishment):
        evening.refresh_from_db()
        assert evening.status == "open" and evening.slots.count() == 12
    page = client_for(school.guardian, school.establishment).get(url)
    assert page.status_code == 200 and "/book/" in page.content.decode()


def test_a_guardian_books_on_one_page_and_the_organiser_prints_the_schedule(school: School):
    evening = open_evening(school)
    with tenant_context(school.establishment):
        math, english = school.m(school.teacher), school.m(school.other_teacher)
        same_time = (slot_of(evening, math.pk, 17).pk, slot_of(evening, english.pk, 17).pk)
        later = slot_of(evening, english.pk, 17, 20).pk
    guardian = client_for(school.guardian, school.establishment)
    url = f"/appointments/evenings/{evening.pk}/book/{school.students[0].pk}/"
    page = guardian.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert school.teacher.display_name in html and school.other_teacher.display_name in html
    overlap = guardian.post(url, {f"teacher_{math.pk}": same_time[0], f"teacher_{english.pk}": same_time[1]})
    assert overlap.status_code == 409
    assert "another appointment at that time" in overlap.content.decode()
    assert guardian.post(url, {f"teacher_{math.pk}": "not-a-slot"}).status_code == 400
    assert guardian.post(url, {}).status_code == 400  # nothing chosen
    booked = guardian.post(url, {f"teacher_{math.pk}": same_time[0], f"teacher_{english.pk}": later})
    assert booked.status_code == 302
    with tenant_context(school.establishment):
        bookings = list(Booking.objects.filter(slot__evening=evening, status=BookingStatus.BOOKED))
    assert len(bookings) == 2
    assert guardian.get(url).status_code == 200
    home = guardian.get("/appointments/").content.decode()
    assert "Add to my calendar" in home
    invitation = guardian.get(f"/appointments/bookings/{bookings[0].pk}/invitation.ics")
    assert invitation.status_code == 200 and b"BEGIN:VEVENT" in invitation.content
    head = client_for(school.extra["head"], school.establishment)
    for by, heading in (("teacher", school.teacher.display_name), ("room", school.room.name)):
        schedule = head.get(f"/appointments/evenings/{evening.pk}/schedule/?by={by}")
        assert schedule.status_code == 200
        text = schedule.content.decode()
        assert heading in text and school.students[0].display_name in text
    # The guardian cancels one (more than 24 hours before).
    assert at(17) - timezone.now() > datetime.timedelta(hours=24)
    assert guardian.post(f"/appointments/bookings/{bookings[0].pk}/cancel/").status_code == 302
    with tenant_context(school.establishment):
        assert Booking.objects.get(pk=bookings[0].pk).status == BookingStatus.CANCELLED
