"""The school's structure API: staff read it, administrative staff write it; per establishment."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import School


def test_administrative_staff_manage_the_structure(school: School):
    admin = client_for(school.admin, school.establishment, api=True)
    year = admin.post(
        "/api/v1/structure/years/",
        {"name": "2027-2028", "start": "2027-09-01", "end": "2028-07-04", "week_a_monday": "2027-09-08"},
        format="json",
    )
    assert year.status_code == 201 and year.json()["week_a_monday"] == "2027-09-06"  # its Monday
    year_id = year.json()["id"]
    period = {
        "year_id": year_id,
        "name": "S1",
        "kind": "semester",
        "start": "2027-09-01",
        "end": "2028-01-31",
    }
    assert admin.post("/api/v1/structure/periods/", period, format="json").status_code == 201
    overlapping = admin.post("/api/v1/structure/periods/", {**period, "name": "S1b"}, format="json")
    assert overlapping.status_code == 400
    outside = {**period, "name": "S3", "start": "2028-02-01", "end": "2028-09-30"}
    assert admin.post("/api/v1/structure/periods/", outside, format="json").status_code == 400
    assert (
        admin.post(
            "/api/v1/structure/subjects/", {"code": "HG", "name": "Histoire"}, format="json"
        ).status_code
        == 201
    )
    duplicate = admin.post("/api/v1/structure/subjects/", {"code": "HG", "name": "Géo"}, format="json")
    assert duplicate.status_code == 409
    assert (
        admin.post("/api/v1/structure/rooms/", {"name": "CDI", "capacity": 40}, format="json").status_code
        == 201
    )

    with schema_context(school.establishment.schema_name):
        kids = [school.m(s).pk for s in school.students[:2]]
        teacher = school.m(school.teacher).pk
        not_a_student = school.m(school.guardian).pk
    group = admin.post("/api/v1/structure/groups/", {"name": "Latin", "member_ids": kids}, format="json")
    assert group.status_code == 201 and group.json()["headcount"] == 2
    members_url = f"/api/v1/structure/groups/{group.json()['id']}/members/"
    assert admin.put(members_url, {"member_ids": [not_a_student]}, format="json").status_code == 400
    assert admin.put(members_url, {"member_ids": kids[:1]}, format="json").json()["headcount"] == 1
    assignment = {
        "teacher_id": teacher,
        "subject_id": school.math.pk,
        "school_class_id": school.school_class.pk,
    }
    assert admin.post("/api/v1/structure/assignments/", assignment, format="json").status_code == 201
    both = {**assignment, "group_id": group.json()["id"]}
    assert admin.post("/api/v1/structure/assignments/", both, format="json").status_code == 400
    not_teacher = {**assignment, "teacher_id": not_a_student}
    assert admin.post("/api/v1/structure/assignments/", not_teacher, format="json").status_code == 400

    teacher_client = client_for(school.teacher, school.establishment, api=True)
    assert teacher_client.get("/api/v1/structure/subjects/").status_code == 200
    assert teacher_client.post("/api/v1/structure/rooms/", {"name": "X"}, format="json").status_code == 403
    for user in (school.students[0], school.guardian):
        assert (
            client_for(user, school.establishment, api=True).get("/api/v1/structure/rooms/").status_code
            == 403
        )


def test_the_structure_is_per_establishment(school: School, school_b):
    b_admin = client_for(member(school_b, Role.ADMIN_STAFF), school_b, api=True)
    names = {r["name"] for r in b_admin.get("/api/v1/structure/rooms/").json()["results"]}
    assert school.room.name not in names
    assert (
        b_admin.put(
            f"/api/v1/structure/groups/{school.group.pk}/members/", {"member_ids": []}, format="json"
        ).status_code
        == 404
    )
    assert client_for(school.admin, school_b, api=True).get("/api/v1/structure/rooms/").status_code == 403
