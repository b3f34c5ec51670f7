"""Who sees what of appointments, through the API and the pages: another establishment's
evenings and bookings are 404; a guardian sees their own children's bookings only, the evenings
of their children's classes once open; a teacher the bookings of their own slots; a student
nothing; organisers everything."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.appointments import services
from tests.appointments.helpers import open_evening, slot_of
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School

API = "/api/v1/appointments"


def test_each_role_sees_its_share(school: School, school_a):
    evening = open_evening(school)
    other_parent = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=other_parent, child=school.students[1])
    with tenant_context(school.establishment):
        mine = services.booking_create(
            actor=school.guardian,
            child=school.extra["child"],
            slot=slot_of(evening, school.m(school.teacher).pk, 17),
        )
        theirs = services.booking_create(
            actor=other_parent,
            child=school.m(school.students[1]),
            slot=slot_of(evening, school.m(school.other_teacher).pk, 17),
        )

    def bookings(user) -> set[int]:
        response = client_for(user, school.establishment, api=True).get(f"{API}/bookings/")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert bookings(school.extra["head"]) == {mine.pk, theirs.pk}
    assert bookings(school.guardian) == {mine.pk}
    assert bookings(other_parent) == {theirs.pk}
    assert bookings(school.teacher) == {mine.pk}
    assert bookings(school.other_teacher) == {theirs.pk}
    assert bookings(school.students[0]) == set()
    parent = client_for(school.guardian, school.establishment, api=True)
    for path in (f"{API}/bookings/{theirs.pk}/", f"{API}/bookings/{theirs.pk}/invitation.ics"):
        assert parent.get(path).status_code == 404
    assert parent.post(f"{API}/bookings/{theirs.pk}/cancel/").status_code == 404
    assert (
        client_for(school.teacher, school.establishment, api=True)
        .get(f"{API}/bookings/{theirs.pk}/")
        .status_code
        == 404
    )
    # Evenings: a guardian of the other class does not see this one; a student sees none.
    outsider = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=outsider, child=school.other_student)
    assert (
        client_for(outsider, school.establishment, api=True).get(f"{API}/evenings/{evening.pk}/").status_code
        == 404
    )
    assert (
        client_for(school.students[0], school.establishment, api=True).get(f"{API}/evenings/").json()["count"]
        == 0
    )
    assert parent.get(f"{API}/evenings/").json()["count"] >= 1
    # Pages: the guardian's home lists their appointment, not the other family's.
    home = client_for(school.guardian, school.establishment).get("/appointments/").content.decode()
    assert school.teacher.display_name in home
    page = client_for(school.guardian, school.establishment)
    assert page.get(f"/appointments/bookings/{theirs.pk}/invitation.ics").status_code == 404
    assert page.post(f"/appointments/bookings/{theirs.pk}/cancel/").status_code == 404
    assert page.get(f"/appointments/evenings/{evening.pk}/book/{school.students[1].pk}/").status_code == 404
    assert page.get(f"/appointments/evenings/{evening.pk}/schedule/").status_code == 403
    assert (
        client_for(school.students[0], school.establishment).get("/appointments/evenings/new/").status_code
        == 403
    )


def test_another_establishment_is_404(school: School, school_b):
    evening = open_evening(school)
    with tenant_context(school.establishment):
        booking = services.booking_create(
            actor=school.guardian,
            child=school.extra["child"],
            slot=slot_of(evening, school.m(school.teacher).pk, 17),
        )
    head_b = member(school_b, Role.HEAD)
    parent_b = member(school_b, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=parent_b, child=member(school_b, Role.STUDENT))
    for user in (head_b, parent_b):
        api = client_for(user, school_b, api=True)
        assert api.get(f"{API}/evenings/{evening.pk}/").status_code == 404
        assert api.get(f"{API}/bookings/{booking.pk}/").status_code == 404
        assert api.get(f"{API}/bookings/{booking.pk}/invitation.ics").status_code == 404
    head = client_for(head_b, school_b)
    assert head.get(f"/appointments/evenings/{evening.pk}/").status_code == 404
    assert head.get(f"/appointments/evenings/{evening.pk}/schedule/").status_code == 404
    assert (
        client_for(head_b, school_b, api=True).post(f"{API}/bookings/{booking.pk}/cancel/").status_code == 404
    )
    # Someone of school A on school B's host: not a member there.
    assert client_for(school.guardian, school_b, api=True).get(f"{API}/bookings/").status_code == 403
