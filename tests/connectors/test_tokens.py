"""API tokens: only through a connected application, with the second factor, the scopes, the
establishments of the application, and refused at once once revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings

from shared_apps.connectors.models import AppGrant
from shared_apps.connectors.services import app_grant_revoke, connected_app_disable
from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.connectors.helpers import bearer_client, issued_token, registered_app
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_a_token_reads_the_api_of_its_establishment(school_a, django_assert_max_num_queries):
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    client = bearer_client(school_a, issued_token(student, connected))

    with django_assert_max_num_queries(8):
        answer = client.get("/api/v1/establishment/")

    assert answer.status_code == 200
    assert answer.json()["uai"] == school_a.uai


def test_an_application_of_one_establishment_is_refused_on_another(school_a, school_b):
    # A person with roles in both: the application is still only school A's.
    teacher = member(school_a, Role.TEACHER)
    from shared_apps.identity.services import membership_grant

    membership_grant(actor=None, user=teacher, establishment=school_b, role=Role.TEACHER)
    connected, _secret = registered_app(establishments=[school_a])
    token = issued_token(teacher, connected)

    assert bearer_client(school_a, token).get("/api/v1/establishment/").status_code == 200
    other = bearer_client(school_b, token).get("/api/v1/establishment/")
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "token_not_allowed_here"


def test_a_token_works_only_where_its_person_is_a_member(school_a, school_b):
    teacher = member(school_a, Role.TEACHER)
    connected, _secret = registered_app()  # a region application
    token = issued_token(teacher, connected)

    assert bearer_client(school_a, token).get("/api/v1/establishment/").status_code == 200
    assert bearer_client(school_b, token).get("/api/v1/establishment/").status_code == 403


def test_a_revoked_token_is_refused_at_once(school_a):
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    client = bearer_client(school_a, issued_token(student, connected))
    assert client.get("/api/v1/establishment/").status_code == 200

    grant = AppGrant.objects.get(user=student, application=connected.application)
    app_grant_revoke(actor=student, grant=grant)

    refused = client.get("/api/v1/establishment/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_token"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_a_stopped_application_and_an_expired_or_unknown_token_are_refused(school_a):
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    expired = issued_token(student, connected, expires_in=timedelta(seconds=-1))
    assert bearer_client(school_a, expired).get("/api/v1/establishment/").status_code == 401
    assert bearer_client(school_a, "not-a-token").get("/api/v1/establishment/").status_code == 401

    token = issued_token(student, connected)
    connected_app_disable(actor=None, connected=connected)
    assert bearer_client(school_a, token).get("/api/v1/establishment/").status_code == 401


def test_a_staff_token_issued_without_a_second_factor_is_refused(school_a):
    teacher = member(school_a, Role.TEACHER)
    connected, _secret = registered_app(establishments=[school_a])

    without = bearer_client(school_a, issued_token(teacher, connected, second_factor=False))
    refused = without.get("/api/v1/establishment/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "second_factor_required"

    with_code = bearer_client(school_a, issued_token(teacher, connected, second_factor=True))
    assert with_code.get("/api/v1/establishment/").status_code == 200


def test_a_student_needs_no_second_factor_until_they_become_staff(school_a):
    from shared_apps.identity.services import membership_grant

    person = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    client = bearer_client(school_a, issued_token(person, connected, second_factor=False))
    assert client.get("/api/v1/establishment/").status_code == 200

    membership_grant(actor=None, user=person, establishment=school_a, role=Role.ADMIN_STAFF)

    assert client.get("/api/v1/establishment/").status_code == 403


def test_scopes_limit_the_level_and_the_areas(school_a):
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])

    read_only = bearer_client(school_a, issued_token(student, connected, scope="openid read"))
    writing = read_only.post("/api/v1/support/requests/", {"subject": "x", "description": "y"}, format="json")
    assert writing.status_code == 403
    assert writing.json()["error"]["code"] == "insufficient_scope"

    sign_in_only = bearer_client(school_a, issued_token(student, connected, scope="openid"))
    assert sign_in_only.get("/api/v1/establishment/").status_code == 403

    timetable_only = bearer_client(school_a, issued_token(student, connected, scope="read timetable"))
    assert timetable_only.get("/api/v1/establishment/").status_code == 403
    assert timetable_only.get("/api/v1/timetable/week/").status_code == 200


def test_a_token_never_reaches_the_accounts_security_nor_the_pages(school_a):
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    client = bearer_client(school_a, issued_token(student, connected))

    for path in ("/api/v1/account/profile/", "/api/v1/account/sessions/", "/api/v1/account/connected-apps/"):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert answer.json()["error"]["code"] == "token_not_allowed_here"
    assert client.get("/accounts/", HTTP_ACCEPT="application/json").status_code == 403


def test_a_token_write_needs_no_csrf_cookie(school_a):
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    client = bearer_client(school_a, issued_token(student, connected))
    client.enforce_csrf_checks = True

    answer = client.post(
        "/api/v1/support/requests/",
        {"subject": "Question", "description": "Où est l'emploi du temps ?"},
        format="json",
    )

    assert answer.status_code == 201, answer.content


def test_a_token_request_never_uses_an_impersonation_of_the_session(school_a):
    """An agent impersonating a student, sending their own token beside the session cookie: the
    request is the agent's (no member here), never the student's."""
    from tests.support.helpers import impersonating_client, start, support_agent

    student = member(school_a, Role.STUDENT)
    agent = support_agent()
    client = impersonating_client(agent, start(agent, student, school_a), api=True)
    assert client.get("/api/v1/establishment/").status_code == 200  # the session: as the student
    connected, _secret = registered_app()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued_token(agent, connected)}")

    answer = client.get("/api/v1/establishment/")

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_a_member"


def test_drf_token_authentication_is_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    classes = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert "rest_framework.authentication.TokenAuthentication" not in classes
    assert classes[0] == "mbn_platform.kernel.bearer.BearerAuthentication"


def test_sessions_still_work_beside_tokens(school_a):
    student = member(school_a, Role.STUDENT)
    assert client_for(student, school_a, api=True).get("/api/v1/establishment/").status_code == 200
