"""Rate limits: per connected application and person (429 with Retry-After), and the anonymous
rates keyed on the client's real address (a varying X-Forwarded-For does not escape them)."""

from __future__ import annotations

import pytest
from rest_framework.throttling import SimpleRateThrottle

from shared_apps.identity.roles import Role
from tests.conftest import client_for
from tests.connectors.helpers import bearer_client, issued_token, registered_app
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_a_token_past_its_rate_gets_429_with_retry_after(school_a, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "3/minute")
    student = member(school_a, Role.STUDENT)
    connected, _secret = registered_app(establishments=[school_a])
    client = bearer_client(school_a, issued_token(student, connected))

    statuses = [client.get("/api/v1/establishment/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/establishment/")
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    # A refreshed token of the same application and person does not start afresh…
    assert (
        bearer_client(school_a, issued_token(student, connected)).get("/api/v1/establishment/").status_code
        == 429
    )
    # …while the person's own session is not that application.
    assert client_for(student, school_a, api=True).get("/api/v1/establishment/").status_code == 200


def test_a_varying_forwarded_for_does_not_escape_the_anonymous_rates(school_a):
    api = client_for(None, school_a, api=True)

    statuses = [
        api.post(
            "/api/v1/account/activate/",
            {"login": "x", "code": "y", "password": "z"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(12)
    ]

    assert statuses[-1] == 429
