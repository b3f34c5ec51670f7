"""Managing the school's structure through the pages (/structure/…): add, edit and delete each
kind, errors next to their field, in-use objects kept, the year rollover page, and list pages in a
bounded number of queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

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
from tests.conftest import client_for
from tests.factories import member
from tests.structure.helpers import API, in_school, the_next_year
from tests.timetable.helpers import School

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
            "teacher": in_school(school, lambda: school.m(school.teacher).pk),
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
    next_year = the_next_year(school)
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
    next_year = the_next_year(school)
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


def test_the_groups_api_pages_them_in_name_order_without_warning(school: School) -> None:
    """The groups list is grouped (headcounts): ordered explicitly, so its pages are stable."""
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    with schema_context(school.establishment.schema_name):
        for name in ("Latin", "Chorale", "Grec"):
            Group.objects.create(name=name)
    admin = client_for(school.admin, school.establishment, api=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        listed = admin.get("/api/v1/structure/groups/")
    assert listed.status_code == 200
    names = [g["name"] for g in listed.json()["results"]]
    assert [n for n in names if n in {"Latin", "Chorale", "Grec"}] == ["Chorale", "Grec", "Latin"]
