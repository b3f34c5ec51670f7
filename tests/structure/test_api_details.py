"""Managing the school's structure through the detail API (/api/v1/structure/<kind>/<id>/):
administrative staff read, update and delete years, periods, classes, groups, subjects, rooms and
teaching assignments; nothing in use is ever deleted; other roles cannot write; another
establishment's objects are 404."""

from __future__ import annotations

from typing import Any

from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import (
    Group,
    Period,
    Room,
    SchoolYear,
    Subject,
    TeachingAssignment,
)
from tenant_apps.structure.services import (
    class_create,
    room_create,
)
from tenant_apps.timetable.models import Lesson
from tenants.models import Establishment
from tests.conftest import client_for
from tests.factories import member
from tests.structure.helpers import (
    API,
    a_period,
    an_assignment,
    in_schema,
    in_school,
    one_of_each_kind,
    the_next_year,
)
from tests.timetable.helpers import WEEK_A, School, make_school

# API -------------------------------------------------------------------------------------------


def test_managers_create_read_update_and_delete_each_kind_through_the_api(school: School) -> None:
    admin = client_for(school.admin, school.establishment, api=True)
    with schema_context(school.establishment.schema_name):
        kids = [school.m(s).pk for s in school.students[:2]]
        teacher = school.m(school.teacher).pk

    year = admin.post(
        f"{API}/years/", {"name": "2030", "start": "2030-09-02", "end": "2031-07-04"}, format="json"
    ).json()
    changed = admin.patch(
        f"{API}/years/{year['id']}/", {"week_a_monday": "2030-09-12", "is_current": True}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["week_a_monday"] == "2030-09-09" and changed.json()["is_current"] is True
    assert changed.json()["name"] == "2030" and changed.json()["end"] == "2031-07-04"  # kept
    with schema_context(school.establishment.schema_name):
        assert list(SchoolYear.objects.filter(is_current=True).values_list("name", flat=True)) == ["2030"]

    period = admin.post(
        f"{API}/periods/",
        {"year_id": year["id"], "name": "S1", "kind": "semester", "start": "2030-09-02", "end": "2031-01-31"},
        format="json",
    ).json()
    renamed = admin.patch(f"{API}/periods/{period['id']}/", {"name": "Semestre 1"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Semestre 1"
    assert admin.get(f"{API}/periods/{period['id']}/").json()["year_id"] == year["id"]

    subject = admin.post(f"{API}/subjects/", {"code": "PHY", "name": "Physique"}, format="json").json()
    assert admin.patch(
        f"{API}/subjects/{subject['id']}/", {"name": "Physique-chimie"}, format="json"
    ).json() == {
        "id": subject["id"],
        "code": "PHY",
        "name": "Physique-chimie",
    }

    room = admin.post(f"{API}/rooms/", {"name": "Labo", "capacity": 24}, format="json").json()
    assert (
        admin.patch(f"{API}/rooms/{room['id']}/", {"capacity": None}, format="json").json()["capacity"]
        is None
    )

    created = admin.post(f"{API}/classes/", {"name": "4e Z"}, format="json")
    assert created.status_code == 201 and created.json()["level"] == "4e"
    school_class = created.json()
    assert admin.get(f"{API}/classes/").json()["count"] >= 3
    moved = admin.patch(f"{API}/classes/{school_class['id']}/", {"name": "3e Z"}, format="json").json()
    assert (moved["name"], moved["level"], moved["headcount"]) == ("3e Z", "3e", 0)

    group = admin.post(f"{API}/groups/", {"name": "Latin"}, format="json").json()
    group_url = f"{API}/groups/{group['id']}/"
    patched = admin.patch(group_url, {"name": "Latin 6e", "member_ids": kids}, format="json").json()
    assert (patched["name"], patched["headcount"], patched["member_ids"]) == ("Latin 6e", 2, sorted(kids))
    assert admin.patch(group_url, {"name": "Latin"}, format="json").json()["headcount"] == 2  # kept

    assignment = admin.post(
        f"{API}/assignments/",
        {"teacher_id": teacher, "subject_id": subject["id"], "school_class_id": school_class["id"]},
        format="json",
    ).json()
    to_group = admin.patch(f"{API}/assignments/{assignment['id']}/", {"group_id": group["id"]}, format="json")
    assert to_group.status_code == 200, to_group.content
    assert (to_group.json()["group_id"], to_group.json()["school_class_id"]) == (group["id"], None)

    # Deleting, in an order that leaves nothing in use: each is gone afterwards.
    for kind, pk in [
        ("assignments", assignment["id"]),
        ("groups", group["id"]),
        ("classes", school_class["id"]),
        ("rooms", room["id"]),
        ("subjects", subject["id"]),
        ("periods", period["id"]),
        ("years", year["id"]),
    ]:
        assert admin.get(f"{API}/{kind}/{pk}/").status_code == 200
        deleted = admin.delete(f"{API}/{kind}/{pk}/")
        assert deleted.status_code == 204, (kind, deleted.content)
        assert admin.get(f"{API}/{kind}/{pk}/").status_code == 404, kind
    assert AuditEntry.objects.filter(action="structure.year_deleted", target_id=str(year["id"])).exists()
    assert AuditEntry.objects.filter(
        action="structure.class_deleted", target_id=str(school_class["id"]), actor_id=school.admin.pk
    ).exists()


def test_bad_input_gives_400_naming_the_field_and_clashes_409(school: School) -> None:
    admin = client_for(school.admin, school.establishment, api=True)
    with schema_context(school.establishment.schema_name):
        guardian = school.m(school.guardian).pk
    period = a_period(school)
    other = in_school(school, lambda: class_create(actor=None, name="6e Other"))

    def fields(response: Any, status: int = 400) -> dict[str, Any]:
        assert response.status_code == status, response.content
        return response.json()["error"].get("fields", {})

    year_url = f"{API}/years/{school.year.pk}/"
    assert "end" in fields(admin.patch(year_url, {"end": "2026-08-01"}, format="json"))
    # The year's period (September to November) would fall outside it.
    assert "start" in fields(admin.patch(year_url, {"start": "2026-10-01"}, format="json"))
    assert "start" in fields(admin.patch(year_url, {"start": "not a date"}, format="json"))
    assert "end" in fields(admin.patch(f"{API}/periods/{period.pk}/", {"end": "2027-09-30"}, format="json"))
    assert "kind" in fields(admin.patch(f"{API}/periods/{period.pk}/", {"kind": "season"}, format="json"))
    assert "capacity" in fields(admin.patch(f"{API}/rooms/{school.room.pk}/", {"capacity": 0}, format="json"))
    assert "name" in fields(admin.patch(f"{API}/rooms/{school.room.pk}/", {"name": " "}, format="json"))
    duplicate = admin.patch(f"{API}/subjects/{school.math.pk}/", {"code": school.english.code}, format="json")
    assert "code" in fields(duplicate, 409)
    assert "name" in fields(
        admin.patch(f"{API}/classes/{other.pk}/", {"name": school.school_class.name}, format="json"), 409
    )
    assert "name" in fields(admin.post(f"{API}/classes/", {"name": ""}, format="json"))
    group_url = f"{API}/groups/{school.group.pk}/"
    assert "members" in fields(admin.patch(group_url, {"member_ids": [guardian]}, format="json"))
    assignment = an_assignment(school)
    both = {"school_class_id": school.school_class.pk, "group_id": school.group.pk}
    assert "school_class" in fields(admin.patch(f"{API}/assignments/{assignment.pk}/", both, format="json"))
    not_a_teacher = {"teacher_id": guardian}
    assert "teacher" in fields(
        admin.patch(f"{API}/assignments/{assignment.pk}/", not_a_teacher, format="json")
    )
    with schema_context(school.establishment.schema_name):  # nothing changed
        assert Subject.objects.get(pk=school.math.pk).code == school.math.code
        assert SchoolClass.objects.get(pk=other.pk).name == "6e Other"
        assert Room.objects.get(pk=school.room.pk).name == school.room.name
        assert SchoolYear.objects.get(pk=school.year.pk).start == school.year.start


def test_deleting_what_is_in_use_is_a_409_and_nothing_is_lost(school: School) -> None:
    lesson = school.lesson()  # math, the teacher, the class, the room, the year
    group_lesson = school.lesson(group=school.group, subject=school.english, weekday=1)
    assignment = an_assignment(school)
    admin = client_for(school.admin, school.establishment, api=True)
    refused = {
        "subjects": school.math.pk,
        "rooms": school.room.pk,
        "classes": school.school_class.pk,
        "groups": school.group.pk,
        "years": school.year.pk,
    }
    for kind, pk in refused.items():
        response = admin.delete(f"{API}/{kind}/{pk}/")
        assert response.status_code == 409, (kind, response.content)
        assert response.json()["error"]["code"] == "in_use"
        assert "still used by" in response.json()["error"]["message"]
    classes = admin.delete(f"{API}/classes/{school.school_class.pk}/").json()["error"]["message"]
    assert "lessons (1)" in classes and "students (3)" in classes and "teaching assignments (1)" in classes
    # Once a register is taken for the lesson, it is named too.
    register = client_for(school.teacher, school.establishment, api=True).post(
        f"/api/v1/attendance/registers/{lesson.pk}/{WEEK_A.isoformat()}/", {"marks": []}, format="json"
    )
    assert register.status_code in (200, 201), register.content
    classes = admin.delete(f"{API}/classes/{school.school_class.pk}/").json()["error"]["message"]
    assert "registers (1)" in classes and "lessons (1)" in classes and "students (3)" in classes
    assert "lessons (2)" in admin.delete(f"{API}/rooms/{school.room.pk}/").json()["error"]["message"]
    with schema_context(school.establishment.schema_name):
        assert Lesson.objects.filter(pk__in=[lesson.pk, group_lesson.pk]).count() == 2
        assert Lesson.objects.get(pk=lesson.pk).room_id == school.room.pk
        assert TeachingAssignment.objects.filter(pk=assignment.pk).exists()
        assert Group.objects.get(pk=school.group.pk).members.count() == 2
        assert Member.objects.filter(school_class=school.school_class).count() == 3
        assert Subject.objects.filter(pk=school.math.pk).exists()
        assert SchoolClass.objects.filter(pk=school.school_class.pk).exists()
        assert SchoolYear.objects.filter(pk=school.year.pk).exists()
    assert not AuditEntry.objects.filter(
        action__in=["structure.year_deleted", "structure.class_deleted"]
    ).exists()


def test_a_class_kept_by_past_enrolments_cannot_be_deleted(school: School) -> None:
    next_year = the_next_year(school)
    admin = client_for(school.admin, school.establishment, api=True)
    body = {
        "from_year_id": school.year.pk,
        "to_year_id": next_year.pk,
        "class_map": {"5e T": ""},
        "apply": True,
    }
    assert admin.post(f"{API}/rollover/", body, format="json").status_code == 200
    with schema_context(school.establishment.schema_name):  # its students moved up to 5e T
        assert not Member.objects.filter(school_class=school.school_class).exists()
    response = admin.delete(f"{API}/classes/{school.school_class.pk}/")
    assert (
        response.status_code == 409 and "enrolments (past years) (3)" in response.json()["error"]["message"]
    )
    assert admin.delete(f"{API}/years/{school.year.pk}/").status_code == 409
    assert AuditEntry.objects.filter(action="structure.rollover_applied", actor_id=school.admin.pk).exists()


def test_other_roles_cannot_write_the_structure(school: School) -> None:
    ids = one_of_each_kind(school)
    for user in (school.teacher, school.school_life):  # staff: they read
        client = client_for(user, school.establishment, api=True)
        for kind, pk in ids.items():
            assert client.get(f"{API}/{kind}/{pk}/").status_code == 200
            assert client.patch(f"{API}/{kind}/{pk}/", {"name": "X"}, format="json").status_code == 403
            assert client.delete(f"{API}/{kind}/{pk}/").status_code == 403
        assert client.post(f"{API}/classes/", {"name": "2de 9"}, format="json").status_code == 403
    for user in (school.students[0], school.guardian):
        client = client_for(user, school.establishment, api=True)
        for kind, pk in ids.items():
            assert client.get(f"{API}/{kind}/{pk}/").status_code == 403
            assert client.delete(f"{API}/{kind}/{pk}/").status_code == 403
        assert client.get(f"{API}/classes/").status_code == 403
    for user in (school.teacher, school.students[0], school.guardian):
        pages = client_for(user, school.establishment)
        for path in [
            "/structure/",
            "/structure/rollover/",
            "/structure/subjects/",
            f"/structure/rooms/{school.room.pk}/",
        ]:
            assert pages.get(path).status_code == 403, path
        assert pages.post("/structure/subjects/", {"code": "X", "name": "X"}).status_code == 403
        assert pages.post(f"/structure/subjects/{school.math.pk}/delete/").status_code == 403
        assert pages.post(f"/structure/classes/{school.school_class.pk}/", {"name": "X"}).status_code == 403
    with schema_context(school.establishment.schema_name):
        assert (
            Subject.objects.filter(pk=school.math.pk).exists()
            and not Subject.objects.filter(code="X").exists()
        )
        assert SchoolClass.objects.get(pk=school.school_class.pk).name == "6e T"
        assert Room.objects.get(pk=school.room.pk).name == "T101"


def test_another_establishments_objects_are_404(school_a: Establishment, school_b: Establishment) -> None:
    b_school = make_school(school_b, prefix="B")
    b_ids = one_of_each_kind(b_school)
    a_admin = member(school_a, Role.ADMIN_STAFF)
    models: dict[str, Any] = {
        "years": SchoolYear,
        "periods": Period,
        "subjects": Subject,
        "rooms": Room,
        "classes": SchoolClass,
        "groups": Group,
        "assignments": TeachingAssignment,
    }
    with schema_context(school_a.schema_name):  # none of these ids exists in school A
        for kind, pk in b_ids.items():
            assert not models[kind].objects.filter(pk=pk).exists(), kind
    api = client_for(a_admin, school_a, api=True)
    pages = client_for(a_admin, school_a)
    for kind, pk in b_ids.items():
        assert api.get(f"{API}/{kind}/{pk}/").status_code == 404, kind
        assert api.patch(f"{API}/{kind}/{pk}/", {"name": "Pris"}, format="json").status_code == 404, kind
        assert api.delete(f"{API}/{kind}/{pk}/").status_code == 404, kind
        path = f"/structure/{kind}/{pk}/"
        assert pages.get(path).status_code == 404, path
        assert pages.post(path, {"name": "Pris", "code": "P"}).status_code == 404, path
        assert pages.get(f"{path}delete/").status_code == 404, path
        assert pages.post(f"{path}delete/").status_code == 404, path
    assert (
        api.put(f"{API}/groups/{b_ids['groups']}/members/", {"member_ids": []}, format="json").status_code
        == 404
    )
    assert pages.get(f"/structure/years/{b_ids['years']}/enrolments/").status_code == 404
    with schema_context(school_b.schema_name):  # school B's objects are untouched
        for kind, pk in b_ids.items():
            assert models[kind].objects.filter(pk=pk).exists(), kind
        assert Subject.objects.get(pk=b_ids["subjects"]).name == "Mathématiques"
        assert Group.objects.get(pk=b_ids["groups"]).members.count() == 2
    # The same routes do serve school A's own objects (the 404s above are not missing routes).
    own_room = in_schema(school_a, lambda: room_create(actor=None, name="A-only"))
    assert pages.get(f"/structure/rooms/{own_room.pk}/").status_code == 200
    assert api.get(f"{API}/rooms/{own_room.pk}/").status_code == 200
    # A manager of school B is not a member of school A: refused there.
    b_admin = client_for(b_school.admin, school_a)
    assert b_admin.get("/structure/").status_code in (403, 404)
