"""Registering connected applications (leaders on their school's host, operators on the portal)
and the person's own list of connected applications (list, revoke)."""

from __future__ import annotations

import pytest

from shared_apps.audit.models import AuditEntry
from shared_apps.connectors.models import AppGrant, ConnectedApp
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.connectors.helpers import REDIRECT_URI, bearer_client, issued_token, registered_app
from tests.factories import member
from tests.support.helpers import operator

pytestmark = pytest.mark.django_db

NEW_APP = {"name": "Moodle du lycée", "redirect_uris": [REDIRECT_URI], "share_name": True}


def test_a_head_registers_an_application_for_their_establishment_only(school_a):
    head = member(school_a, Role.HEAD)

    answer = client_for(head, school_a, api=True).post("/api/v1/connectors/apps/", NEW_APP, format="json")

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["establishments"] == [school_a.uai]
    assert body["client_secret"]
    connected = ConnectedApp.objects.get(application__client_id=body["client_id"])
    assert connected.owner_establishment == school_a
    assert connected.application.client_secret != body["client_secret"]  # stored hashed
    assert AuditEntry.objects.filter(action="connectors.app_registered", actor=head).exists()


def test_an_operator_registers_a_region_application_on_the_portal(school_a, school_b):
    person = operator()
    body = {**NEW_APP, "client_type": "public", "establishments": [school_a.uai, school_b.uai]}

    answer = client_for(person, api=True).post("/api/v1/connectors/apps/", body, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["client_secret"] == ""  # a public client (the mobile app): PKCE only
    assert answer.json()["establishments"] == sorted([school_a.uai, school_b.uai])


def test_bad_input_is_a_400_per_field(school_a):
    head = member(school_a, Role.HEAD)
    client = client_for(head, school_a, api=True)

    answer = client.post(
        "/api/v1/connectors/apps/", {"name": "", "redirect_uris": ["ftp://x"]}, format="json"
    )
    assert answer.status_code == 400
    assert "name" in answer.json()["error"]["fields"]
    bad_uri = client.post(
        "/api/v1/connectors/apps/", {**NEW_APP, "redirect_uris": ["ftp://x/cb"]}, format="json"
    )
    assert bad_uri.status_code == 400
    assert "redirect_uris" in bad_uri.json()["error"]["fields"]


def test_other_roles_may_not_register_and_other_schools_apps_are_404(school_a, school_b):
    teacher = member(school_a, Role.TEACHER)
    assert client_for(teacher, school_a, api=True).get("/api/v1/connectors/apps/").status_code == 403
    guardian = member(school_a, Role.GUARDIAN)
    assert (
        client_for(guardian, school_a, api=True).post("/api/v1/connectors/apps/", NEW_APP).status_code == 403
    )

    of_b, _secret = registered_app(establishments=[school_b])
    head_of_a = member(school_a, Role.HEAD)
    client = client_for(head_of_a, school_a, api=True)
    assert client.post(f"/api/v1/connectors/apps/{of_b.pk}/disable/").status_code == 404
    listed = client.get("/api/v1/connectors/apps/").json()["results"]
    assert of_b.application.client_id not in [row["client_id"] for row in listed]


def test_stopping_an_application_refuses_its_tokens(school_a):
    head = member(school_a, Role.HEAD)
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    token = issued_token(student, connected)

    answer = client_for(head, school_a, api=True).post(f"/api/v1/connectors/apps/{connected.pk}/disable/")

    assert answer.status_code == 200
    assert answer.json()["is_active"] is False
    assert bearer_client(school_a, token).get("/api/v1/establishment/").status_code == 401


def test_a_person_lists_and_revokes_their_connected_applications(school_a, django_assert_max_num_queries):
    student = member(school_a, Role.STUDENT)
    other = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a], name="Manuel numérique")
    token = issued_token(student, connected)
    issued_token(other, connected)
    client = client_for(student, school_a, api=True)

    with django_assert_max_num_queries(15):
        listed = client.get("/api/v1/account/connected-apps/").json()["results"]
    assert [row["application"] for row in listed] == ["Manuel numérique"]
    others_grant = AppGrant.objects.get(user=other)
    assert client.delete(f"/api/v1/account/connected-apps/{others_grant.pk}/").status_code == 404

    assert client.delete(f"/api/v1/account/connected-apps/{listed[0]['id']}/").status_code == 204

    assert bearer_client(school_a, token).get("/api/v1/establishment/").status_code == 401
    assert client.get("/api/v1/account/connected-apps/").json()["results"] == []


def test_the_pages_list_register_and_revoke(school_a):
    head = member(school_a, Role.HEAD)
    client = client_for(head, school_a)
    assert client.get("/connectors/apps/").status_code == 200
    created = client.post(
        "/connectors/apps/",
        {"name": "ENT Moodle", "redirect_uris": REDIRECT_URI, "client_type": "confidential"},
    )
    assert created.status_code == 201
    assert "ENT Moodle" in created.content.decode()
    assert client.post("/connectors/apps/", {"name": "", "redirect_uris": ""}).status_code == 400

    student = member(school_a, Role.STUDENT)
    connected = ConnectedApp.objects.get(application__name="ENT Moodle")
    issued_token(student, connected)
    mine = client_for(student, school_a)
    page = mine.get("/accounts/connected-apps/")
    assert "ENT Moodle" in page.content.decode()
    grant = AppGrant.objects.get(user=student)
    assert mine.post(f"/accounts/connected-apps/{grant.pk}/revoke/").status_code == 302
    assert AppGrant.objects.get(pk=grant.pk).revoked_at is not None
