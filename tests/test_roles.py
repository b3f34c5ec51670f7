"""Each role sees what it may: staff every class, a student their own, a guardian their children's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.school.services import school_class_ensure
from tests.conftest import client_for
from tests.factories import member


@pytest.fixture
def classes(school_a):
    with schema_context(school_a.schema_name):
        return {name: school_class_ensure(name=name, level=name[:2]).pk for name in ("6e R", "5e R", "4e R")}


def _visible(client) -> set[str]:
    response = client.get("/api/v1/classes/")
    assert response.status_code == 200
    return {row["name"] for row in response.json()["results"]}


def test_staff_see_every_class(school_a, classes):
    teacher = member(school_a, Role.TEACHER)
    assert set(classes) <= _visible(client_for(teacher, school_a, api=True))


def test_a_student_sees_only_their_class(school_a, classes):
    student = member(school_a, Role.STUDENT, class_name="5e R")
    client = client_for(student, school_a, api=True)
    assert _visible(client) == {"5e R"}
    assert client.get(f"/api/v1/classes/{classes['4e R']}/").status_code == 404


def test_a_guardian_sees_only_their_childrens_classes(school_a, classes):
    child = member(school_a, Role.STUDENT, class_name="6e R")
    member(school_a, Role.STUDENT, class_name="4e R")  # someone else's child
    parent = member(school_a, Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=parent, child=child)
    client = client_for(parent, school_a, api=True)

    assert _visible(client) == {"6e R"}
    assert client.get(f"/api/v1/classes/{classes['4e R']}/").status_code == 404
    detail = client.get(f"/api/v1/classes/{classes['6e R']}/").json()
    assert [s["id"] for s in detail["students"]] == [child.pk]


def test_a_guardian_sees_their_children_in_two_schools_on_the_portal_and_no_one_else(school_a, school_b):
    parent = member(school_a, Role.GUARDIAN)
    child_a = member(school_a, Role.STUDENT, first_name="Léa")
    child_b = member(school_b, Role.STUDENT, first_name="Tom")
    stranger = member(school_b, Role.STUDENT, first_name="Zéphyrin")
    guardian_link_create(actor=None, guardian=parent, child=child_a)
    guardian_link_create(actor=None, guardian=parent, child=child_b)

    page = client_for(parent).get("/").content.decode()
    assert child_a.display_name in page and child_b.display_name in page
    assert "Collège Alpha" in page and "Lycée Bêta" in page
    assert stranger.display_name not in page


def test_an_anonymous_caller_gets_401_from_the_api(school_a):
    response = client_for(None, school_a, api=True).get("/api/v1/classes/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_class_list_runs_a_bounded_number_of_queries(school_a):
    teacher = member(school_a, Role.TEACHER)
    client = client_for(teacher, school_a, api=True)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/classes/").status_code == 200
        return len(ctx.captured_queries)

    with schema_context(school_a.schema_name):
        school_class_ensure(name="Q1", level="x")
    count()  # warm the per-process caches (host, access)
    few = count()
    with schema_context(school_a.schema_name):
        for i in range(20):
            cls = school_class_ensure(name=f"Q{i + 2}", level="x")
            cls.students.create(user_id=900000 + i, display_name=f"S{i}", roles=[Role.STUDENT])
    assert count() == few <= 6


def test_the_school_home_page_runs_a_bounded_number_of_queries(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    assert len(ctx.captured_queries) <= 8
