"""Every response carries the security headers: pages, the API, errors, probes, static files,
unknown hosts and suspended establishments; HSTS on HTTPS."""

from __future__ import annotations

import pytest
from django.test import Client

from shared_apps.identity.roles import Role
from tests.conftest import client_for, host_of
from tests.factories import member


def _assert_headers(response, *, secure: bool = False) -> None:  # type: ignore[no-untyped-def]
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    style_src = next(part for part in csp.split(";") if part.strip().startswith("style-src"))
    assert "'unsafe-inline'" not in style_src
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert "camera=()" in response.headers.get("Permissions-Policy", "")
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    if secure:
        assert "max-age=" in response.headers.get("Strict-Transport-Security", "")
        assert "includeSubDomains" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("secure", [False, True])
def test_every_kind_of_response_carries_the_security_headers(school_a, secure):
    teacher = member(school_a, Role.TEACHER)
    school = client_for(teacher, school_a)
    anonymous_school = Client(HTTP_HOST=host_of(school_a))
    portal = Client(HTTP_HOST=host_of(None))
    responses = {
        "school page": school.get("/", secure=secure),
        "school API": client_for(teacher, school_a, api=True).get("/api/v1/establishment/", secure=secure),
        "API error": anonymous_school.get("/api/v1/establishment/", secure=secure),
        "not found": school.get("/no-such-page/", secure=secure),
        "portal sign-in": portal.get("/accounts/login/", secure=secure),
        "probe": portal.get("/healthz", secure=secure),
        "static file": portal.get("/static/mbn/css/mbn.css", secure=secure),
        "unknown host": Client(HTTP_HOST="nowhere.localhost").get("/", secure=secure),
    }
    for name, response in responses.items():
        assert response.status_code < 500, name
        _assert_headers(response, secure=secure)


def test_a_suspended_establishment_page_carries_them_too(school_b):
    school_b.status = "suspended"
    school_b.save(update_fields=["status"])
    response = Client(HTTP_HOST=host_of(school_b)).get("/", secure=True)
    assert response.status_code == 503
    _assert_headers(response, secure=True)


def test_the_api_docs_work_without_internet_and_allow_only_their_own_files(db):
    page = Client(HTTP_HOST=host_of(None)).get("/api/docs/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "cdn" not in body.lower() and "http" not in body.split("<body", 1)[1].split("</body>")[0]
    assert "<script>" not in body  # the start-up script is a file, not inline
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        url = next(part for part in body.split('"') if part.endswith(asset))
        assert Client(HTTP_HOST=host_of(None)).get(url).status_code == 200, url


def test_the_plain_policy_built_once_is_the_one_django_csp_builds(school_a, settings):
    """Responses without a nonce or a view's change reuse one built policy: the same string
    django-csp builds, and it follows a change of the settings."""
    from csp.utils import build_policy

    teacher = member(school_a, Role.TEACHER)
    school = client_for(teacher, school_a)
    first = school.get("/").headers["Content-Security-Policy"]
    assert first == build_policy() and school.get("/").headers["Content-Security-Policy"] == first
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "img-src": ["'self'", "https://img.example.org"],
        }
    }
    changed = school.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' https://img.example.org" in changed and changed == build_policy()
