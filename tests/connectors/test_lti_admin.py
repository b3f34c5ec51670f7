"""Registering LTI tools (API and pages, per establishment or for the region) and their tiles on
the resources page, the class as the launch's context."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.connectors.models import LtiTool
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.connectors.lti_tool import TOOL, key_pair
from tests.factories import member
from tests.support.helpers import operator

pytestmark = pytest.mark.django_db


def tool_body(public_key: str, **extra: object) -> dict[str, object]:
    return {
        "name": "Moodle du collège",
        "login_url": f"{TOOL}/login",
        "launch_url": f"{TOOL}/launch",
        "redirect_uris": [f"{TOOL}/launch"],
        "public_key": public_key,
        **extra,
    }


def test_leaders_register_change_and_remove_their_tools_by_the_api(school_a, school_b):
    _private, public = key_pair()
    head = member(school_a, Role.HEAD)
    client = client_for(head, school_a, api=True)

    made = client.post("/api/v1/connectors/lti-tools/", tool_body(public), format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["establishments"] == [school_a.uai] and body["has_public_key"]
    assert body["platform"]["issuer"] == "http://localhost"
    assert body["platform"]["jwks_uri"] == "http://localhost/lti/jwks/"
    assert AuditEntry.objects.filter(action="connectors.lti_tool_registered").exists()

    bad = client.post(
        "/api/v1/connectors/lti-tools/", tool_body("not a key", login_url="ftp://x"), format="json"
    )
    assert bad.status_code == 400
    assert {"public_key", "login_url"} <= set(bad.json()["error"]["fields"])

    changed = client.patch(
        f"/api/v1/connectors/lti-tools/{body['id']}/", {"allowed_roles": [Role.TEACHER]}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["allowed_roles"] == [Role.TEACHER]

    other_head = client_for(member(school_b, Role.HEAD), school_b, api=True)
    assert other_head.get("/api/v1/connectors/lti-tools/").json()["count"] == 0
    assert other_head.delete(f"/api/v1/connectors/lti-tools/{body['id']}/").status_code == 404
    teacher = client_for(member(school_a, Role.TEACHER), school_a, api=True)
    assert teacher.get("/api/v1/connectors/lti-tools/").status_code == 403

    assert client.delete(f"/api/v1/connectors/lti-tools/{body['id']}/").status_code == 204
    assert not LtiTool.objects.filter(pk=body["id"]).exists()


def test_the_pages_register_edit_and_remove_a_tool(school_a, django_assert_max_num_queries):
    _private, public = key_pair()
    head = member(school_a, Role.ESTABLISHMENT_ADMIN)
    client = client_for(head, school_a)
    form = tool_body(public) | {
        "redirect_uris": f"{TOOL}/launch",
        "deployment_id": "1",
        "roster_access": "on",
    }

    made = client.post("/connectors/lti-tools/", form)
    assert made.status_code == 201 and "Moodle du collège" in made.content.decode()
    tool = LtiTool.objects.get(owner_establishment=school_a)
    assert client.post("/connectors/lti-tools/", form | {"name": ""}).status_code == 400
    with django_assert_max_num_queries(25):
        assert client.get("/connectors/lti-tools/").status_code == 200
    assert client.get(f"/connectors/lti-tools/{tool.pk}/").status_code == 200
    saved = client.post(f"/connectors/lti-tools/{tool.pk}/", form | {"name": "Moodle 2"})
    assert saved.status_code == 302
    tool.refresh_from_db()
    assert tool.name == "Moodle 2"
    assert client.post(f"/connectors/lti-tools/{tool.pk}/remove/").status_code == 302
    assert not LtiTool.objects.filter(pk=tool.pk).exists()


def test_operators_register_region_tools_on_the_portal(school_a):
    _private, public = key_pair()
    client = client_for(operator(), api=True)
    made = client.post(
        "/api/v1/connectors/lti-tools/", tool_body(public, establishments=[school_a.uai]), format="json"
    )
    assert made.status_code == 201 and made.json()["establishments"] == [school_a.uai]
    assert client_for(operator()).get("/connectors/lti-tools/").status_code == 200


def test_the_resources_page_launches_tools_with_the_persons_class(school_a, django_assert_max_num_queries):
    from tenant_apps.school.models import SchoolClass

    _private, public = key_pair()
    with schema_context(school_a.schema_name):
        school_class = SchoolClass.objects.create(name="5e Res", level="5e")
    student = member(school_a, Role.STUDENT, class_name="5e Res")
    head = member(school_a, Role.HEAD)
    client_for(head, school_a, api=True).post(
        "/api/v1/connectors/lti-tools/", tool_body(public, name="Moodle du collège Res"), format="json"
    )
    client_for(head, school_a, api=True).post(
        "/api/v1/connectors/lti-tools/",
        tool_body(public, name="Pour les profs", allowed_roles=[Role.TEACHER]),
        format="json",
    )
    tool = LtiTool.objects.get(name="Moodle du collège Res")

    client = client_for(student, school_a, api=True)
    with django_assert_max_num_queries(22):
        rows = client.get("/api/v1/resources/").json()["results"]
    lti_rows = [r for r in rows if r["name"].startswith("Moodle du collège Res")]
    assert lti_rows == [
        {
            "name": "Moodle du collège Res — 5e Res",
            "url": f"/lti/launch/{tool.pk}/?class={school_class.pk}",
            "protocol": "lti",
        }
    ]
    page = client_for(student, school_a).get("/resources/").content.decode()
    assert "Moodle du collège Res — 5e Res" in page and "Pour les profs" not in page


def test_only_operators_see_the_gar_console(school_a):
    assert client_for(operator()).get("/connectors/gar-exports/").status_code == 200
    head = member(school_a, Role.HEAD)
    assert client_for(head).get("/connectors/gar-exports/").status_code in (403, 404)
    assert client_for(head, school_a).get("/connectors/gar-exports/").status_code in (403, 404)
