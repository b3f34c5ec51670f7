"""The appointments' API: an organiser creates and opens an evening, teachers take part, a
guardian reads their child's teachers and books (201, then 409 ``slot_taken`` for the next one),
cancels, downloads the invitation; bad input is a 400 per field; the schedule per teacher or
room; bounded queries."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context
from icalendar import Calendar

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tests.appointments.helpers import open_evening
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School

API = "/api/v1/appointments"


def test_an_evening_through_the_api(school: School, school_a):
    head = client_for(school.extra["head"], school.establishment, api=True)
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    body = {
        "title": "Réunion 6e",
        "date": day,
        "start_time": "17:00",
        "end_time": "18:00",
        "slot_minutes": 15,
        "class_ids": [school.school_class.pk],
    }
    created = head.post(f"{API}/evenings/", body, format="json")
    assert created.status_code == 201, created.json()
    evening_id = created.json()["id"]
    bad = head.post(f"{API}/evenings/", {**body, "end_time": "16:00", "class_ids": [999999]}, format="json")
    assert bad.status_code == 400 and "class_ids" in bad.json()["error"]["fields"]
    bad = head.post(f"{API}/evenings/", {**body, "end_time": "16:00"}, format="json")
    assert bad.status_code == 400 and "end_time" in bad.json()["error"]["fields"]
    added = head.post(
        f"{API}/evenings/{evening_id}/teachers/",
        {"teacher_id": school.teacher.pk, "room_id": school.room.pk},
        format="json",
    )
    assert added.status_code == 201 and len(added.json()) == 4
    assert (
        head.post(
            f"{API}/evenings/{evening_id}/teachers/", {"teacher_id": school.teacher.pk}, format="json"
        ).status_code
        == 409
    )
    assert (
        head.post(
            f"{API}/evenings/{evening_id}/teachers/", {"teacher_id": school.guardian.pk}, format="json"
        ).status_code
        == 400
    )
    # A teacher adds themself; not someone else.
    other = client_for(school.other_teacher, school.establishment, api=True)
    assert (
        other.post(
            f"{API}/evenings/{evening_id}/teachers/", {"teacher_id": school.teacher.pk}, format="json"
        ).status_code
        == 400
    )
    # Draft: the guardian does not see it yet.
    guardian = client_for(school.guardian, school.establishment, api=True)
    assert guardian.get(f"{API}/evenings/{evening_id}/").status_code == 404
    assert (
        head.post(f"{API}/evenings/{evening_id}/status/", {"status": "open"}, format="json").status_code
        == 200
    )
    assert (
        head.post(f"{API}/evenings/{evening_id}/status/", {"status": "nope"}, format="json").status_code
        == 400
    )
    assert guardian.get(f"{API}/evenings/{evening_id}/").status_code == 200
    choices = guardian.get(f"{API}/evenings/{evening_id}/children/{school.students[0].pk}/")
    assert choices.status_code == 200
    [maths] = choices.json()
    assert maths["teacher_id"] == school.teacher.pk and maths["subjects"] == ["Mathématiques"]
    assert maths["room"] == school.room.name and maths["slots"][0]["taken"] is False
    slot_id = maths["slots"][0]["id"]
    # Another child (not theirs): 404.
    assert guardian.get(f"{API}/evenings/{evening_id}/children/{school.students[1].pk}/").status_code == 404
    booked = guardian.post(
        f"{API}/bookings/", {"slot_id": slot_id, "child_id": school.students[0].pk}, format="json"
    )
    assert booked.status_code == 201, booked.json()
    booking_id = booked.json()["id"]
    # A second guardian on the same slot: 409 slot_taken, a clear message.
    other_parent = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_parent, child=school.students[1])
    second = client_for(other_parent, school.establishment, api=True).post(
        f"{API}/bookings/", {"slot_id": slot_id, "child_id": school.students[1].pk}, format="json"
    )
    assert second.status_code == 409 and second.json()["error"]["code"] == "slot_taken"
    assert second.json()["error"]["message"]
    for bad_body in (
        {"slot_id": "x", "child_id": 1},
        {"slot_id": slot_id, "child_id": school.students[1].pk},
        {"slot_id": 999999, "child_id": school.students[0].pk},
    ):
        answer = guardian.post(f"{API}/bookings/", bad_body, format="json")
        assert answer.status_code == 400, (bad_body, answer.json())
    invitation = guardian.get(f"{API}/bookings/{booking_id}/invitation.ics")
    assert invitation.status_code == 200 and invitation["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(invitation.content).walk("VEVENT")
    assert str(event["location"]).endswith(school.room.name) and "Mathématiques" not in str(event["summary"])
    schedule = head.get(f"{API}/evenings/{evening_id}/schedule/?by=room")
    assert schedule.status_code == 200
    [room] = schedule.json()
    assert room["name"] == school.room.name and room["lines"][0]["child"] == school.students[0].display_name
    assert head.get(f"{API}/evenings/{evening_id}/schedule/?by=x").status_code == 400
    assert guardian.get(f"{API}/evenings/{evening_id}/schedule/").status_code == 403
    cancelled = guardian.post(f"{API}/bookings/{booking_id}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert guardian.post(f"{API}/bookings/{booking_id}/cancel/").status_code == 409


def test_one_off_slots(school: School):
    teacher = client_for(school.teacher, school.establishment, api=True)
    start = timezone.localtime() + datetime.timedelta(days=3)
    start = start.replace(hour=16, minute=0, second=0, microsecond=0)
    body = {"starts_at": start.isoformat(), "ends_at": (start + datetime.timedelta(minutes=20)).isoformat()}
    published = teacher.post(f"{API}/slots/", body, format="json")
    assert published.status_code == 201, published.json()
    assert teacher.post(f"{API}/slots/", body, format="json").status_code == 400  # overlaps their own
    assert teacher.post(f"{API}/slots/", {**body, "mode": "video"}, format="json").status_code == 400
    slot_id = published.json()["id"]
    assert [s["id"] for s in teacher.get(f"{API}/slots/").json()["results"]] == [slot_id]
    # The guardian of a child the teacher teaches books it from the home page.
    page = client_for(school.guardian, school.establishment)
    with tenant_context(school.establishment):
        child = school.m(school.students[0])
    assert school.teacher.display_name in page.get("/appointments/").content.decode()
    assert page.post(f"/appointments/slots/{slot_id}/book/", {"child": child.pk}).status_code == 302
    # Booked: it cannot be withdrawn; the other teacher cannot even see it.
    assert teacher.delete(f"{API}/slots/{slot_id}/").status_code == 409
    other = client_for(school.other_teacher, school.establishment, api=True)
    assert other.delete(f"{API}/slots/{slot_id}/").status_code == 404
    bookings = teacher.get(f"{API}/bookings/").json()["results"]
    assert [b["child_id"] for b in bookings] == [school.students[0].pk]
    assert other.get(f"{API}/bookings/").json()["count"] == 0


def test_the_guardians_choices_cost_a_fixed_number_of_queries(school: School, django_assert_max_num_queries):
    evening = open_evening(school)
    guardian = client_for(school.guardian, school.establishment, api=True)
    url = f"{API}/evenings/{evening.pk}/children/{school.students[0].pk}/"
    guardian.get(url)
    with django_assert_max_num_queries(16):
        assert guardian.get(url).status_code == 200
    page = client_for(school.guardian, school.establishment)
    page.get(f"/appointments/evenings/{evening.pk}/book/{school.students[0].pk}/")
    with django_assert_max_num_queries(24):
        assert (
            page.get(f"/appointments/evenings/{evening.pk}/book/{school.students[0].pk}/").status_code == 200
        )
    head = client_for(school.extra["head"], school.establishment)
    with django_assert_max_num_queries(20):
        assert head.get(f"/appointments/evenings/{evening.pk}/schedule/").status_code == 200
