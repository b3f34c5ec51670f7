"""Managing the school's structure through the pages (/structure/…) and the detail API
(/api/v1/structure/<kind>/<id>/): administrative staff add, edit and delete years, periods,
classes, groups, subjects, rooms and teaching assignments; nothing in use is ever deleted; other
roles cannot write; another establishment's objects are 404; the year rollover page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import (
    Enrolment,
    Group,
    Period,
    Room,
    SchoolYear,
    Subject,
    TeachingAssignment,
)
from tenant_apps.structure.services import (
    class_create,
    period_create,
    room_create,
    school_year_create,
    subject_create,
    teaching_assignment_create,
)
from tenant_apps.timetable.models import Lesson
from tenants.models import Establishment
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School, make_school

API = "/api/v1/structure"


def _in(school: School, query: Any) -> Any:
    return _in_schema(school.establishment, query)


def _in_schema(establishment: Establishment, query: Any) -> Any:
    with schema_context(establishment.schema_name):
        return query()


def _next_year(school: School) -> SchoolYear:
    return _in(
        school,
        lambda: school_year_create(
            actor=None, name="T2027", start=datetime.date(2027, 8, 30), end=datetime.date(2028, 7, 1)
        ),
    )


def _assignment(school: School) -> TeachingAssignment:
    return _in(
        school,
        lambda: teaching_assignment_create(
            actor=None,
            teacher=school.m(school.teacher),
            subject=school.english,
            school_class=school.school_class,
        ),
    )


def _period(school: School) -> Period:
    return _in(
        school,
        lambda: period_create(
            actor=None,
            year=school.year,
            name="T1",
            kind="trimester",
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 11, 30),
        ),
    )


def _objects(school: School) -> dict[str, int]:
    """One object of each kind (ids in the school's schema)."""
    return {
        "years": school.year.pk,
        "periods": _period(school).pk,
        "subjects": school.math.pk,
        "rooms": school.room.pk,
        "classes": school.school_class.pk,
        "groups": school.group.pk,
        "assignments": _assignment(school).pk,
    }


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
    period = _period(school)
    other = _in(school, lambda: class_create(actor=None, name="6e Other"))

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
    assignment = _assignment(school)
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
    assignment = _assignment(school)
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
    next_year = _next_year(school)
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
    ids = _objects(school)
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
    b_ids = _objects(b_school)
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
    own_room = _in_schema(school_a, lambda: room_create(actor=None, name="A-only"))
    assert pages.get(f"/structure/rooms/{own_room.pk}/").status_code == 200
    assert api.get(f"{API}/rooms/{own_room.pk}/").status_code == 200
    # A manager of school B is not a member of school A: refused there.
    b_admin = client_for(b_school.admin, school_a)
    assert b_admin.get("/structure/").status_code in (403, 404)


# Pages -----------------------------------------------------------------------------------------


def _error_of(response: Any, field: str) -> str:
    """The error text shown next to a field of the page (``id_<field>-error``)."""
    found = re.search(rf'id="id_{field}-error">([^<]*)<', response.content.decode())
    assert found, f"no error next to {field}"
    return found.group(1)


def test_managers_add_edit_and_delete_each_kind_through_the_pages(school: School) -> None:
    admin = client_for(school.admin, school.establishment)
    with schema_context(school.establishment.schema_name):
        teacher = school.m(school.teacher).pk
    home = admin.get("/structure/")
    assert home.status_code == 200
    for path in [
        "/structure/years/",
        "/structure/classes/",
        "/structure/groups/",
        "/structure/subjects/",
        "/structure/rooms/",
        "/structure/assignments/",
        "/structure/rollover/",
    ]:
        assert f'href="{path}"' in home.content.decode(), path

    cases: list[tuple[str, Any, dict[str, Any], dict[str, Any], Any]] = [
        (
            "subjects",
            Subject,
            {"code": "HG", "name": "Histoire"},
            {"code": "HG", "name": "Histoire-géo"},
            "name",
        ),
        ("rooms", Room, {"name": "CDI", "capacity": "40"}, {"name": "CDI", "capacity": ""}, "capacity"),
        ("classes", SchoolClass, {"name": "4e Q", "level": ""}, {"name": "3e Q", "level": ""}, "level"),
    ]
    for kind, model, created, edited, changed in cases:
        added = admin.post(f"/structure/{kind}/", created, follow=True)
        assert added.status_code == 200 and "was added" in added.content.decode(), kind
        with schema_context(school.establishment.schema_name):
            obj = model.objects.get(name=created["name"])
        listing = admin.get(f"/structure/{kind}/").content.decode()
        assert f'href="/structure/{kind}/{obj.pk}/"' in listing
        form = admin.get(f"/structure/{kind}/{obj.pk}/")
        assert form.status_code == 200 and f'value="{created["name"]}"' in form.content.decode()
        saved = admin.post(f"/structure/{kind}/{obj.pk}/", edited, follow=True)
        assert "was saved" in saved.content.decode(), kind
        with schema_context(school.establishment.schema_name):
            obj.refresh_from_db()
        assert {"name": "Histoire-géo", "capacity": None, "level": "3e"}[changed] == getattr(obj, changed)
        confirm = admin.get(f"/structure/{kind}/{obj.pk}/delete/")
        assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
        with schema_context(school.establishment.schema_name):
            assert model.objects.filter(pk=obj.pk).exists()  # the confirmation page deletes nothing
        deleted = admin.post(f"/structure/{kind}/{obj.pk}/delete/", follow=True)
        assert "was deleted" in deleted.content.decode()
        with schema_context(school.establishment.schema_name):
            assert not model.objects.filter(pk=obj.pk).exists()

    # A year, then its periods (on the year's page).
    added = admin.post(
        "/structure/years/", {"name": "2031", "start": "2031-09-01", "end": "2032-07-03", "week_a_monday": ""}
    )
    with schema_context(school.establishment.schema_name):
        year = SchoolYear.objects.get(name="2031")
    assert added["Location"] == f"/structure/years/{year.pk}/" and year.week_a_monday == datetime.date(
        2031, 9, 1
    )
    period_form = {
        "action": "period",
        "period-name": "T1",
        "period-kind": "trimester",
        "period-start": "2031-09-01",
        "period-end": "2031-11-30",
    }
    assert admin.post(f"/structure/years/{year.pk}/", period_form).status_code == 302
    with schema_context(school.establishment.schema_name):
        period = Period.objects.get(year=year)
    assert "T1" in admin.get(f"/structure/years/{year.pk}/").content.decode()
    edited_period = {"name": "Trimestre 1", "kind": "trimester", "start": "2031-09-01", "end": "2031-12-05"}
    assert (
        admin.post(f"/structure/periods/{period.pk}/", edited_period)["Location"]
        == f"/structure/years/{year.pk}/"
    )
    edited_year = {"name": "2031-2032", "start": "2031-09-01", "end": "2032-07-03", "is_current": "on"}
    assert admin.post(f"/structure/years/{year.pk}/", edited_year).status_code == 302
    with schema_context(school.establishment.schema_name):
        period.refresh_from_db()
        year.refresh_from_db()
        assert (period.name, period.end) == ("Trimestre 1", datetime.date(2031, 12, 5))
        assert year.name == "2031-2032" and year.is_current
        assert not SchoolYear.objects.get(pk=school.year.pk).is_current
    assert admin.post(f"/structure/periods/{period.pk}/delete/").status_code == 302
    assert admin.post(f"/structure/years/{year.pk}/delete/").status_code == 302
    with schema_context(school.establishment.schema_name):
        assert not SchoolYear.objects.filter(pk=year.pk).exists()

    # A teaching assignment: teacher, subject and class chosen from lists; then to a group.
    assert f'value="{teacher}"' in admin.get("/structure/assignments/").content.decode()
    created_assignment = {
        "teacher": teacher,
        "subject": school.english.pk,
        "school_class": school.school_class.pk,
    }
    assert admin.post("/structure/assignments/", created_assignment).status_code == 302
    with schema_context(school.establishment.schema_name):
        assignment = TeachingAssignment.objects.get(subject=school.english)
    to_group = {"teacher": teacher, "subject": school.english.pk, "group": school.group.pk}
    assert admin.post(f"/structure/assignments/{assignment.pk}/", to_group).status_code == 302
    with schema_context(school.establishment.schema_name):
        assignment.refresh_from_db()
        assert (assignment.group_id, assignment.school_class_id) == (school.group.pk, None)
    assert admin.post(f"/structure/assignments/{assignment.pk}/delete/").status_code == 302
    with schema_context(school.establishment.schema_name):
        assert not TeachingAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_group_mixes_students_of_several_classes(school: School) -> None:
    admin = client_for(school.admin, school.establishment)
    with schema_context(school.establishment.schema_name):
        first, second = school.m(school.students[1]).pk, school.m(school.other_student).pk
    created = admin.post("/structure/groups/", {"name": "Latin"})
    with schema_context(school.establishment.schema_name):
        group = Group.objects.get(name="Latin")
    assert created["Location"] == f"/structure/groups/{group.pk}/"  # next: its students
    page = admin.get(f"/structure/groups/{group.pk}/").content.decode()
    assert "<summary>6e T (0/3)</summary>" in page and "<summary>5e T (0/1)</summary>" in page
    assert f'name="members" value="{first}" id="member-{first}">' in page
    saved = admin.post(f"/structure/groups/{group.pk}/", {"name": "Latin 6e-5e", "members": [first, second]})
    assert saved.status_code == 302
    with schema_context(school.establishment.schema_name):
        group.refresh_from_db()
        assert group.name == "Latin 6e-5e"
        assert set(group.members.values_list("pk", flat=True)) == {first, second}
    page = admin.get(f"/structure/groups/{group.pk}/").content.decode()
    assert f'value="{first}" id="member-{first}" checked>' in page and "<summary>5e T (1/1)</summary>" in page
    # Everyone unticked: the group is emptied.
    assert admin.post(f"/structure/groups/{group.pk}/", {"name": "Latin 6e-5e"}).status_code == 302
    with schema_context(school.establishment.schema_name):
        assert not group.members.exists()


def test_page_errors_are_shown_next_to_the_field_with_a_400(school: School) -> None:
    admin = client_for(school.admin, school.establishment)
    blank = admin.post("/structure/subjects/", {"code": "X", "name": ""})
    assert blank.status_code == 400 and _error_of(blank, "name") == "This field is required."
    assert 'aria-invalid="true"' in blank.content.decode()
    duplicate = admin.post("/structure/subjects/", {"code": school.math.code, "name": "Autre"})
    assert duplicate.status_code == 400 and _error_of(duplicate, "code") == "This already exists."
    renamed = admin.post(f"/structure/rooms/{school.room.pk}/", {"name": school.other_room.name})
    assert renamed.status_code == 400 and _error_of(renamed, "name") == "This already exists."
    assert f'value="{school.other_room.name}"' in renamed.content.decode()  # what was typed is kept
    dates = admin.post("/structure/years/", {"name": "2040", "start": "2040-09-01", "end": "2040-08-01"})
    assert dates.status_code == 400 and "after the first" in _error_of(dates, "end")
    overlapping = admin.post(
        f"/structure/years/{school.year.pk}/",
        {
            "action": "period",
            "period-name": "X",
            "period-kind": "trimester",
            "period-start": "2026-09-01",
            "period-end": "2027-09-01",
        },
    )
    assert overlapping.status_code == 400 and "within its school year" in _error_of(overlapping, "period-end")
    both = admin.post(
        "/structure/assignments/",
        {
            "teacher": _in(school, lambda: school.m(school.teacher).pk),
            "subject": school.math.pk,
            "school_class": school.school_class.pk,
            "group": school.group.pk,
        },
    )
    assert both.status_code == 400 and "one of them" in _error_of(both, "school_class")
    with schema_context(school.establishment.schema_name):
        assert not Subject.objects.filter(name__in=["", "Autre"]).exists()
        assert Room.objects.get(pk=school.room.pk).name == school.room.name
        assert not SchoolYear.objects.filter(name="2040").exists()
        assert not Period.objects.exists() and not TeachingAssignment.objects.exists()


def test_deleting_what_is_in_use_from_a_page_says_why_and_keeps_it(school: School) -> None:
    school.lesson()
    admin = client_for(school.admin, school.establishment)
    for path in [
        f"/structure/subjects/{school.math.pk}/delete/",
        f"/structure/classes/{school.school_class.pk}/delete/",
    ]:
        response = admin.post(path)
        assert response.status_code == 409
        text = response.content.decode()
        assert "cannot be deleted: it is still used by" in text and "lessons (1)" in text
        assert "Nothing was deleted." in text
    with schema_context(school.establishment.schema_name):
        assert Subject.objects.filter(pk=school.math.pk).exists()
        assert SchoolClass.objects.filter(pk=school.school_class.pk).exists()
        assert Lesson.objects.count() == 1


def test_the_rollover_page_shows_the_dry_run_then_applies_it(school: School) -> None:
    next_year = _next_year(school)
    admin = client_for(school.admin, school.establishment)
    page = admin.get("/structure/rollover/")
    assert page.status_code == 200
    text = page.content.decode()
    # The current year is proposed as the one being closed, the following one as the new year.
    assert f'<option value="{school.year.pk}" selected>' in text
    assert f'<option value="{next_year.pk}" selected>' in text
    assert 'name="to_0" value="4e T"' in text and 'name="to_1" value="5e T"' in text  # 5e T, then 6e T
    with schema_context(school.establishment.schema_name):
        names = [school.m(s).display_name for s in school.students]
    assert all(name in text for name in names)

    form = {"from_year": school.year.pk, "to_year": next_year.pk, "to_0": "", "to_1": "5e Z"}
    preview = admin.post("/structure/rollover/", {**form, "action": "preview"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "a new class, created when applied" in text and "they leave the establishment" in text
    assert f"{names[0]}: 6e T → 5e Z" in text
    with schema_context(school.establishment.schema_name):  # a dry run writes nothing
        assert school.m(school.students[0]).school_class_id == school.school_class.pk
        assert not SchoolClass.objects.filter(name="5e Z").exists() and not Enrolment.objects.exists()

    unconfirmed = admin.post("/structure/rollover/", {**form, "action": "apply"})
    assert unconfirmed.status_code == 400 and "confirm" in _error_of(unconfirmed, "confirm")
    same = admin.post(
        "/structure/rollover/", {**form, "to_year": school.year.pk, "action": "apply", "confirm": "on"}
    )
    assert same.status_code == 400 and _error_of(same, "to_year")
    with schema_context(school.establishment.schema_name):
        assert not Enrolment.objects.exists()

    applied = admin.post("/structure/rollover/", {**form, "action": "apply", "confirm": "on"})
    assert applied.status_code == 302
    assert applied["Location"] == f"/structure/years/{school.year.pk}/enrolments/"
    with schema_context(school.establishment.schema_name):
        assert str(school.m(school.students[0]).school_class) == "5e Z"
        assert school.m(school.other_student).school_class is None
        assert SchoolYear.objects.get(pk=next_year.pk).is_current
        assert Enrolment.objects.filter(year=school.year).count() == 4
    # Last year's classes stay readable, for staff.
    past = client_for(school.teacher, school.establishment).get(applied["Location"])
    assert past.status_code == 200
    text = past.content.decode()
    assert "6e T" in text and "5e T" in text and all(name in text for name in names)
    again = admin.post("/structure/rollover/", {**form, "action": "apply", "confirm": "on"})
    assert again.status_code == 400 and "already" in _error_of(again, "from_year")
    assert client_for(school.students[0], school.establishment).get(applied["Location"]).status_code == 403


# Bounded queries -------------------------------------------------------------------------------


def _more(school: School, n: int, tag: str) -> None:
    """``n`` more objects of each kind (with students in the classes and groups)."""
    for i in range(n):
        student = member(school.establishment, Role.STUDENT, class_name=school.school_class.name)
        with schema_context(school.establishment.schema_name):
            school_class = class_create(actor=None, name=f"4e {tag}{i}")
            Member.objects.filter(user_id=student.pk).update(school_class=school_class)
            subject = subject_create(actor=None, code=f"{tag}{i}", name=f"Subject {tag}{i}")
            room_create(actor=None, name=f"Room {tag}{i}", capacity=20)
            group = Group.objects.create(name=f"Group {tag}{i}")
            group.members.add(Member.objects.get(user_id=student.pk))
            teaching_assignment_create(
                actor=None, teacher=school.m(school.teacher), subject=subject, group=group
            )
            year = school_year_create(
                actor=None,
                name=f"{tag}{i}",
                start=datetime.date(2040 + i, 9, 1),
                end=datetime.date(2041 + i, 7, 1),
            )
            period_create(
                actor=None,
                year=year,
                name="S1",
                kind="semester",
                start=year.start,
                end=datetime.date(2041 + i, 1, 31),
            )


@pytest.mark.parametrize("n", [3])
def test_list_pages_run_a_bounded_number_of_queries(school: School, n: int) -> None:
    admin = client_for(school.admin, school.establishment)
    paths = [
        "/structure/",
        "/structure/years/",
        "/structure/classes/",
        "/structure/groups/",
        "/structure/subjects/",
        "/structure/rooms/",
        "/structure/assignments/",
        f"/structure/groups/{school.group.pk}/",
        f"/structure/years/{school.year.pk}/",
        "/structure/rollover/",
        f"{API}/classes/",
    ]

    def counts() -> dict[str, int]:
        found: dict[str, int] = {}
        for path in paths:
            client = client_for(school.admin, school.establishment, api=path.startswith("/api/"))
            client.get(path)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200, path
            found[path] = len(ctx.captured_queries)
        return found

    _more(school, 1, "a")
    before = counts()
    _more(school, n, "b")
    after = counts()
    assert after == before
    assert max(after.values()) <= 25, after
    # The past year's classes too (after a rollover of many students).
    next_year = _next_year(school)
    admin.post(
        "/structure/rollover/",
        {
            "from_year": school.year.pk,
            "to_year": next_year.pk,
            "action": "apply",
            "confirm": "on",
            **{f"to_{i}": "" for i in range(20)},
        },
    )
    with CaptureQueriesContext(connection) as ctx:
        past = admin.get(f"/structure/years/{school.year.pk}/enrolments/")
    assert past.status_code == 200 and past.content.decode().count("<li>") >= 3 + n
    assert len(ctx.captured_queries) <= 15
