"""A row of one establishment is invisible from another, through the ORM and over HTTP."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.school.models import SchoolClass
from tests.conftest import client_for
from tests.factories import member


def test_a_row_created_in_one_establishment_is_invisible_from_another_through_the_orm(school_a, school_b):
    with schema_context(school_a.schema_name):
        created = SchoolClass.objects.create(name="3e Z", level="3e")
    with schema_context(school_b.schema_name):
        assert not SchoolClass.objects.filter(name="3e Z").exists()
    with schema_context(school_a.schema_name):
        assert SchoolClass.objects.filter(pk=created.pk, name="3e Z").exists()


def test_an_object_of_another_establishment_is_404_over_the_api(school_a, school_b):
    with schema_context(school_a.schema_name):
        class_of_a = SchoolClass.objects.create(name="4e Z", level="4e")
    head_of_a = member(school_a, Role.HEAD)
    head_of_b = member(school_b, Role.HEAD)

    own = client_for(head_of_a, school_a, api=True).get(f"/api/v1/classes/{class_of_a.pk}/")
    assert own.status_code == 200
    assert own.json()["name"] == "4e Z"

    other = client_for(head_of_b, school_b, api=True).get(f"/api/v1/classes/{class_of_a.pk}/")
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"


def test_an_object_of_another_establishment_is_404_as_a_page(school_a, school_b):
    with schema_context(school_a.schema_name):
        class_of_a = SchoolClass.objects.create(name="5e Z", level="5e")
    teacher_of_b = member(school_b, Role.TEACHER)
    response = client_for(teacher_of_b, school_b).get(f"/classes/{class_of_a.pk}/")
    assert response.status_code == 404


def test_a_signed_in_user_without_membership_is_refused_in_that_establishment(school_a, school_b):
    teacher_of_a = member(school_a, Role.TEACHER)

    assert client_for(teacher_of_a, school_a).get("/").status_code == 200
    page = client_for(teacher_of_a, school_b).get("/")
    assert page.status_code == 403
    assert "not a member" in page.content.decode().lower() or "membre" in page.content.decode().lower()
    api = client_for(teacher_of_a, school_b, api=True).get("/api/v1/establishment/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "not_a_member"


def test_a_departed_member_loses_access(school_a):
    from shared_apps.identity.services import membership_end

    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a, api=True)
    assert client.get("/api/v1/establishment/").status_code == 200
    membership_end(actor=None, user=student, establishment=school_a, role=Role.STUDENT)
    assert client.get("/api/v1/establishment/").status_code == 403


def test_an_api_token_works_only_in_the_establishments_of_its_user(school_a, school_b):
    from tests.connectors.helpers import bearer_client, issued_token, registered_app

    teacher_of_a = member(school_a, Role.TEACHER)
    connected, _secret = registered_app()  # a region application: the person's memberships decide
    token = issued_token(teacher_of_a, connected)

    own = bearer_client(school_a, token).get("/api/v1/establishment/")
    assert own.status_code == 200
    assert own.json()["uai"] == school_a.uai
    other = bearer_client(school_b, token).get("/api/v1/establishment/")
    assert other.status_code == 403
