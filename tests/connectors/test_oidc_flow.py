"""A real OpenID Connect client (Authlib) against the running server: authorization code with
PKCE, the ID token's signature checked with the published keys (JWKS) and its claims, the token
used on the API, refreshed, revoked; the second factor and the application's establishments.

The data is committed (the server thread reads it through its own connection) and removed after.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

from shared_apps.connectors.models import ConnectedApp
from shared_apps.connectors.policy import pairwise_subject
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS, host_of, mark_second_factor
from tests.connectors.helpers import registered_app
from tests.factories import member
from tests.identity.helpers import with_authenticator

REDIRECT = "https://tool.example.test/callback"


@pytest.fixture
def made(committed: None) -> Iterator[dict[str, list[Any]]]:
    """What a test creates, removed afterwards (users take their grants and tokens along)."""
    created: dict[str, list[Any]] = {"users": [], "apps": []}
    yield created
    for app in created["apps"]:
        app.application.delete()
    User.objects.filter(pk__in=[u.pk for u in created["users"]]).delete()


def _school(key: str) -> Establishment:
    return Establishment.objects.get(uai=SESSION_SCHOOLS[key][0])


def _person(made: dict[str, list[Any]], school: Establishment, role: str) -> User:
    user = member(school, role, login=f"oidc-{uuid.uuid4().hex[:10]}")
    made["users"].append(user)
    return user


def _app(made: dict[str, list[Any]], school: Establishment, **options: Any) -> tuple[ConnectedApp, str]:
    options.setdefault("requires_consent", False)
    connected, secret = registered_app(establishments=[school], **options)
    made["apps"].append(connected)
    return connected, secret


def _browser(port: str, user: User, *, second_factor: bool = True) -> requests.Session:
    """A browser signed in on the portal: the session cookie of a real session."""
    client = Client(HTTP_HOST=settings.MBN_BASE_DOMAIN)
    client.force_login(user)
    if second_factor:
        mark_second_factor(client, user)
    browser = requests.Session()
    browser.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return browser


def _portal(port: str) -> str:
    return f"http://{settings.MBN_BASE_DOMAIN}:{port}"


def _authorize(port: str, browser: requests.Session, oauth: OAuth2Session, verifier: str, nonce: str):
    url, _state = oauth.create_authorization_url(
        f"{_portal(port)}/o/authorize/", code_verifier=verifier, nonce=nonce
    )
    return browser.get(url, allow_redirects=False, timeout=10)


def _api(
    port: str, school: Establishment, token: str, path: str = "/api/v1/establishment/"
) -> requests.Response:
    return requests.get(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": f"{host_of(school)}:{port}", "Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_authorization_code_with_pkce_gives_a_signed_id_token_and_a_working_api_token(app_server, made):
    school = _school("school_a")
    student = _person(made, school, Role.STUDENT)
    connected, secret = _app(made, school)
    client_id = connected.application.client_id
    oauth = OAuth2Session(
        client_id, secret, scope="openid profile read", redirect_uri=REDIRECT, code_challenge_method="S256"
    )
    verifier, nonce = generate_token(48), secrets.token_urlsafe(16)

    answer = _authorize(app_server, _browser(app_server, student), oauth, verifier, nonce)

    assert answer.status_code == 302, answer.text[:500]
    callback = answer.headers["Location"]
    assert callback.startswith(REDIRECT) and "code" in parse_qs(urlsplit(callback).query)
    token = oauth.fetch_token(
        f"{_portal(app_server)}/o/token/", authorization_response=callback, code_verifier=verifier
    )

    discovery = requests.get(f"{_portal(app_server)}/o/.well-known/openid-configuration", timeout=10).json()
    jwks = requests.get(discovery["jwks_uri"], timeout=10).json()
    id_token = jwt.decode(token["id_token"], KeySet.import_key_set(jwks), algorithms=["RS256"])
    claims = id_token.claims
    assert claims["iss"] == discovery["issuer"]
    assert claims["aud"] == client_id
    assert claims["nonce"] == nonce
    assert claims["sub"] == pairwise_subject(user_id=student.pk, client_id=client_id)
    assert claims["sub"] != str(student.pk)
    assert claims["uai"] == school.uai
    assert claims["role"] == Role.STUDENT
    assert "name" not in claims and "email" not in claims  # not granted to this application
    jwt.JWTClaimsRegistry(exp={"essential": True}).validate(claims)

    assert _api(app_server, school, token["access_token"]).json()["uai"] == school.uai
    userinfo = oauth.get(discovery["userinfo_endpoint"]).json()
    assert userinfo["sub"] == claims["sub"] and userinfo["uai"] == school.uai
    refreshed = oauth.refresh_token(f"{_portal(app_server)}/o/token/", refresh_token=token["refresh_token"])
    assert _api(app_server, school, refreshed["access_token"]).status_code == 200

    oauth.revoke_token(f"{_portal(app_server)}/o/revoke_token/", refreshed["access_token"])
    assert _api(app_server, school, refreshed["access_token"]).status_code == 401


def test_an_application_of_one_establishment_is_refused_to_another_ones_members(app_server, made):
    student_of_b = _person(made, _school("school_b"), Role.STUDENT)
    connected, secret = _app(made, _school("school_a"))
    oauth = OAuth2Session(connected.application.client_id, secret, scope="openid read", redirect_uri=REDIRECT)

    answer = _authorize(app_server, _browser(app_server, student_of_b), oauth, generate_token(48), "n")

    assert answer.status_code == 403
    assert "code=" not in answer.headers.get("Location", "")


def test_a_staff_member_without_their_second_factor_gets_no_code(app_server, made):
    school = _school("school_a")
    teacher = _person(made, school, Role.TEACHER)
    with_authenticator(teacher)
    connected, secret = _app(made, school)
    oauth = OAuth2Session(connected.application.client_id, secret, scope="openid read", redirect_uri=REDIRECT)
    browser = _browser(app_server, teacher, second_factor=False)

    answer = _authorize(app_server, browser, oauth, generate_token(48), "n")

    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/accounts/second-factor/")
    assert not answer.headers["Location"].startswith(REDIRECT)


def test_the_consent_page_asks_then_issues_the_code(app_server, made):
    school = _school("school_a")
    student = _person(made, school, Role.STUDENT)
    connected, secret = _app(made, school, requires_consent=True)
    oauth = OAuth2Session(
        connected.application.client_id,
        secret,
        scope="openid read",
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )
    browser = _browser(app_server, student)
    verifier = generate_token(48)

    page = _authorize(app_server, browser, oauth, verifier, "n")
    assert page.status_code == 200
    assert "Allow" in page.text
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    form = dict(hidden)
    form["allow"] = "Authorize"
    posted = browser.post(
        page.url, data=form, allow_redirects=False, timeout=10, headers={"Referer": page.url}
    )

    assert posted.status_code == 302, posted.text[:300]
    assert posted.headers["Location"].startswith(REDIRECT)


def test_the_mobile_app_signs_in_as_a_public_client_with_pkce_alone(app_server, made):
    school = _school("school_a")
    guardian = _person(made, school, Role.GUARDIAN)
    connected, secret = _app(made, school, client_type="public")
    assert secret == ""
    oauth = OAuth2Session(
        connected.application.client_id,
        scope="openid read",
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )
    verifier = generate_token(48)
    callback = _authorize(app_server, _browser(app_server, guardian), oauth, verifier, "n").headers[
        "Location"
    ]

    with pytest.raises(Exception, match=r"invalid_grant|invalid_request"):
        oauth.fetch_token(f"{_portal(app_server)}/o/token/", authorization_response=callback)
    callback = _authorize(app_server, _browser(app_server, guardian), oauth, verifier, "n").headers[
        "Location"
    ]
    token = oauth.fetch_token(
        f"{_portal(app_server)}/o/token/", authorization_response=callback, code_verifier=verifier
    )

    assert _api(app_server, school, token["access_token"]).status_code == 200
