"""LTI 1.3: MBN launches a tool with the class as context, validated by a real tool library
(pylti1p3) acting as the tool; the names and roles service gives the tool the class's roster."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from pylti1p3.exception import LtiException

from shared_apps.connectors import lti
from shared_apps.connectors.lti_services import lti_launch_url, lti_tool_register
from shared_apps.connectors.models import LtiLaunch, LtiTool
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.connectors.lti_tool import TOOL, Tool, key_pair
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool_keys() -> tuple[str, str]:
    return key_pair()


def register(establishment: Any, public_key: str, **options: Any) -> LtiTool:
    return lti_tool_register(
        actor=None,
        owner_establishment=establishment,
        name=options.pop("name", "Moodle de l'académie"),
        login_url=f"{TOOL}/login",
        launch_url=f"{TOOL}/launch",
        redirect_uris=[f"{TOOL}/launch"],
        public_key=public_key,
        **options,
    )


@pytest.fixture
def classroom(school_a: Any) -> dict[str, Any]:
    from tenant_apps.school.models import Member, SchoolClass
    from tenant_apps.structure.models import Subject, TeachingAssignment

    with schema_context(school_a.schema_name):
        school_class = SchoolClass.objects.create(name="4e Lti", level="4e")
    students = [
        member(school_a, Role.STUDENT, class_name="4e Lti", email=f"eleve{i}@example.test") for i in range(3)
    ]
    teacher = member(school_a, Role.TEACHER)
    with schema_context(school_a.schema_name):
        subject = Subject.objects.create(code="FRANC", name="Français")
        TeachingAssignment.objects.create(
            teacher=Member.objects.get(user_id=teacher.pk), subject=subject, school_class=school_class
        )
    return {"class": school_class, "students": students, "teacher": teacher}


def launch(user: Any, establishment: Any, tool: LtiTool, tool_side: Tool, class_id: int) -> Any:
    started = client_for(user, establishment).get(f"/lti/launch/{tool.pk}/?class={class_id}")
    assert started.status_code == 302, started.content
    authorize = urlsplit(tool_side.login(started["Location"]))
    page = client_for(user).get(f"{authorize.path}?{authorize.query}")
    return page


def test_a_launch_is_validated_by_pylti1p3_with_the_class_and_mapped_role(school_a, classroom, tool_keys):
    private, public = tool_keys
    tool = register(school_a, public)
    tool_side = Tool(tool.client_id, tool.deployment_id, private, public)
    school_class = classroom["class"]

    page = launch(classroom["teacher"], school_a, tool, tool_side, school_class.pk)
    assert page.status_code == 200, page.content
    message = tool_side.launch(page.content.decode())

    data = message.get_launch_data()
    assert message.is_resource_launch() and message.check_teacher_access()
    assert data[lti.LTI + "version"] == "1.3.0"
    assert data[lti.LTI + "context"]["label"] == "4e Lti"
    assert data[lti.LTI + "context"]["type"] == [lti.COURSE_SECTION]
    assert lti.MEMBERSHIP + "Instructor" in data[lti.LTI + "roles"]
    assert "name" not in data and "email" not in data  # not granted
    assert len(data["sub"]) == 40 and data["sub"] != str(classroom["teacher"].pk)


def test_a_student_launches_as_learner_and_the_tool_reads_the_roster(school_a, classroom, tool_keys):
    private, public = tool_keys
    tool = register(school_a, public, share_name=True)
    tool_side = Tool(tool.client_id, tool.deployment_id, private, public)
    student = classroom["students"][0]

    message = tool_side.launch(
        launch(student, school_a, tool, tool_side, classroom["class"].pk).content.decode()
    )
    assert message.check_student_access() and not message.check_teacher_access()
    assert message.get_launch_data()["given_name"] == student.first_name

    members = message.get_nrps().get_members()  # client credentials + private_key_jwt, then pages

    roles = sorted(m["roles"][0].rsplit("#", 1)[1] for m in members)
    assert roles == ["Instructor", "Learner", "Learner", "Learner"]
    assert {m["name"] for m in members} >= {s.get_full_name() for s in classroom["students"]}
    assert all("email" not in m for m in members)  # the e-mail address was not granted
    assert lti.tool_subject(user_id=student.pk, tool=tool) in {m["user_id"] for m in members}


def test_the_roster_is_paginated_and_closed_to_other_tools_and_classes(
    school_a, classroom, tool_keys, client, django_assert_max_num_queries
):
    private, public = tool_keys
    tool = register(school_a, public)
    tool_side = Tool(tool.client_id, tool.deployment_id, private, public)
    message = tool_side.launch(
        launch(classroom["teacher"], school_a, tool, tool_side, classroom["class"].pk).content.decode()
    )
    connector = message.get_service_connector()
    token = connector.get_access_token([lti.NRPS_SCOPE])
    url = message.get_launch_data()[lti.NRPS_CLAIM]["context_memberships_url"]
    path = urlsplit(url).path
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "localhost"}

    with django_assert_max_num_queries(12):  # whatever the size of the class
        first = client.get(f"{path}?limit=2", **headers)
    assert first.status_code == 200 and len(first.json()["members"]) == 2
    assert 'rel="next"' in first["Link"]
    # Another class of the same establishment (never launched from): not found.
    assert client.get(path.replace(f"/{classroom['class'].pk}/", "/999999/"), **headers).status_code == 404
    # Another tool's token does not open this tool's classes.
    other_private, other_public = key_pair()
    other = register(school_a, other_public, name="Autre outil")
    other_side = Tool(other.client_id, other.deployment_id, other_private, other_public)
    other_token = other_side_token(other_side)
    assert (
        client.get(path, HTTP_AUTHORIZATION=f"Bearer {other_token}", HTTP_HOST="localhost").status_code == 404
    )
    assert client.get(path, HTTP_AUTHORIZATION="Bearer nope", HTTP_HOST="localhost").status_code == 401


def other_side_token(tool_side: Tool) -> str:
    from pylti1p3.service_connector import ServiceConnector

    registration = tool_side.config().find_registration_by_issuer("http://localhost")
    from tests.connectors.lti_tool import platform_session

    return ServiceConnector(registration, platform_session()).get_access_token([lti.NRPS_SCOPE])


def test_a_replayed_client_assertion_is_refused(school_a, tool_keys, client):
    import time
    import uuid

    import jwt as pyjwt

    private, public = tool_keys
    tool = register(school_a, public)
    claims = {
        "iss": tool.client_id,
        "sub": tool.client_id,
        "aud": "http://localhost/lti/token/",
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
        "jti": str(uuid.uuid4()),
    }
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": lti.ASSERTION_TYPE,
        "client_assertion": pyjwt.encode(claims, private, algorithm="RS256"),
        "scope": lti.NRPS_SCOPE,
    }
    assert client.post("/lti/token/", form, HTTP_HOST="localhost").status_code == 200
    assert client.post("/lti/token/", form, HTTP_HOST="localhost").json() == {"error": "invalid_client"}
    other_private, _public = key_pair()
    forged = form | {
        "client_assertion": pyjwt.encode(claims | {"jti": "x"}, other_private, algorithm="RS256")
    }
    assert client.post("/lti/token/", forged, HTTP_HOST="localhost").status_code == 401


def test_wrong_redirect_replayed_or_expired_launches_are_refused(school_a, classroom, tool_keys):
    private, public = tool_keys
    tool = register(school_a, public)
    teacher = classroom["teacher"]
    tool_side = Tool(tool.client_id, tool.deployment_id, private, public)
    started = client_for(teacher, school_a).get(f"/lti/launch/{tool.pk}/?class={classroom['class'].pk}")
    authorize = urlsplit(tool_side.login(started["Location"]))
    query = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    portal = client_for(teacher)

    wrong = portal.get("/lti/authorize/", query | {"redirect_uri": "https://evil.test/launch"})
    assert wrong.status_code == 400 and b'action="https://evil.test' not in wrong.content
    assert portal.get("/lti/authorize/", query).status_code == 200
    assert portal.get("/lti/authorize/", query).status_code == 400  # the same launch again
    # Someone else cannot use a person's launch.
    assert client_for(classroom["students"][0]).get("/lti/authorize/", query).status_code in (400, 403)
    # A launch left waiting too long has expired.
    started = client_for(teacher, school_a).get(f"/lti/launch/{tool.pk}/?class={classroom['class'].pk}")
    fresh = {k: v[0] for k, v in parse_qs(urlsplit(tool_side.login(started["Location"])).query).items()}
    LtiLaunch.objects.filter(hint=fresh["login_hint"]).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert portal.get("/lti/authorize/", fresh).status_code == 400


def test_a_replayed_nonce_or_a_tampered_token_is_refused(school_a, classroom, tool_keys):
    private, public = tool_keys
    tool = register(school_a, public)
    teacher = classroom["teacher"]
    tool_side = Tool(tool.client_id, tool.deployment_id, private, public)
    portal = client_for(teacher)
    first = tool_side.login(
        client_for(teacher, school_a).get(f"/lti/launch/{tool.pk}/?class={classroom['class'].pk}")["Location"]
    )
    first_query = {k: v[0] for k, v in parse_qs(urlsplit(first).query).items()}
    page = portal.get("/lti/authorize/", first_query).content.decode()
    second = tool_side.login(
        client_for(teacher, school_a).get(f"/lti/launch/{tool.pk}/?class={classroom['class'].pk}")["Location"]
    )
    second_query = {k: v[0] for k, v in parse_qs(urlsplit(second).query).items()}

    # A new launch carrying a nonce the platform already answered: refused.
    assert portal.get("/lti/authorize/", second_query | {"nonce": first_query["nonce"]}).status_code == 400
    # The tool refuses a launch whose signature does not match the platform's keys.
    _head, _body, signature = re.search(r'name="id_token" value="([^"]*)"', page).group(1).split(".")
    tampered = page.replace(signature, signature[::-1])
    with pytest.raises(LtiException):
        tool_side.launch(tampered)


def test_school_tools_and_roles_limit_who_launches(school_a, school_b, classroom, tool_keys):
    _private, public = tool_keys
    tool_a = register(school_a, public)
    staff_only = register(school_a, public, name="Pour les profs", allowed_roles=[Role.TEACHER])
    student = classroom["students"][0]
    other_school_teacher = member(school_b, Role.TEACHER)

    assert client_for(other_school_teacher, school_b).get(f"/lti/launch/{tool_a.pk}/").status_code == 404
    assert client_for(student, school_a).get(f"/lti/launch/{staff_only.pk}/").status_code == 404
    # A class that is not the student's: not found.
    assert client_for(student, school_a).get(f"/lti/launch/{tool_a.pk}/?class=999999").status_code == 404
    assert (
        lti_launch_url(tool_a, classroom["class"])
        == f"/lti/launch/{tool_a.pk}/?class={classroom['class'].pk}"
    )


def test_the_platform_publishes_its_keys(client):
    keys = client.get("/lti/jwks/", HTTP_HOST="localhost").json()["keys"]
    assert keys and keys[0]["alg"] == "RS256" and keys[0]["kid"] and "d" not in keys[0]


def test_old_nonces_and_expired_tokens_are_forgotten(school_a, tool_keys):
    from shared_apps.connectors.lti_services import lti_state_purge
    from shared_apps.connectors.models import LtiAccessToken, LtiNonce

    tool = register(school_a, tool_keys[1])
    old = LtiNonce.objects.create(tool=tool, value="nonce:old")
    LtiNonce.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    LtiNonce.objects.create(tool=tool, value="nonce:fresh")
    LtiAccessToken.objects.create(
        tool=tool, token_hash="x" * 64, scope=lti.NRPS_SCOPE, expires_at=timezone.now() - timedelta(hours=1)
    )

    assert lti_state_purge() == 2
    assert list(LtiNonce.objects.filter(tool=tool).values_list("value", flat=True)) == ["nonce:fresh"]
