"""Across real web processes: gunicorn with 2 workers (their own memory, the shared Redis), warmed
by the person's requests; an ended membership, then a suspension, saved in this process (as the
services save them: the signals bump the generations) are answered by every worker on the next
requests (tests/caching/test_invalidation.py goes through the services themselves).

The data is committed (the workers read it) and removed at the end; the establishment is set
back to active. Saved without the services, so that no audit row (which cannot be removed) and
no local member row is left in the session's school."""

from __future__ import annotations

import http.client
import secrets

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tenants.models import Establishment, EstablishmentStatus
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.perf.http_load import database_url, gunicorn

REQUESTS = 12  # each on a new connection: the workers take them in turn


def _statuses(port: int, host: str, cookie: str) -> set[int]:
    found = set()
    for _ in range(REQUESTS):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/timetable/", headers={"Host": host, "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        connection.close()
        found.add(response.status)
    return found


@pytest.mark.usefixtures("committed_db")
def test_every_web_process_sees_an_ended_membership_and_a_suspension_at_once():
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    host = host_of(school)
    student = User.objects.create_user(
        f"processes-{secrets.token_hex(4)}", first_name="Pro", last_name="Cess"
    )
    membership = Membership.objects.create(user=student, establishment=school, role=Role.STUDENT)
    client = Client()
    client.force_login(student)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    env = {
        "DATABASE_URL": database_url(),
        "MBN_ENV": "test",
        "MBN_SKIP_SENTRY": "1",
        "LOG_LEVEL": "WARNING",
        # Each worker reads the establishments' and the person's generations on every request
        # (each kept 1 s in production: tests/caching/test_invalidation.py).
        "MBN_ESTABLISHMENTS_HOLD_SECONDS": "0",
        "MBN_PEOPLE_HOLD_SECONDS": "0",
    }
    try:
        with gunicorn("mbn_platform.config.wsgi:application", env=env, workers=2) as port:
            assert _statuses(port, host, cookie) == {200}  # both workers warm, from their caches
            assert _statuses(port, host, cookie) == {200}

            membership.status = MembershipStatus.DEPARTED
            membership.save(update_fields=["status", "updated_at"])
            assert _statuses(port, host, cookie) == {403}

            membership.status = MembershipStatus.ACTIVE
            membership.save(update_fields=["status", "updated_at"])
            assert _statuses(port, host, cookie) == {200}
            school.status = EstablishmentStatus.SUSPENDED
            school.save(update_fields=["status", "updated_at"])
            assert _statuses(port, host, cookie) == {503}
    finally:
        school.status = EstablishmentStatus.ACTIVE
        school.save(update_fields=["status", "updated_at"])
        session_key = client.session.session_key
        student.memberships.all().delete()
        Session.objects.filter(session_key=session_key).delete()
        student.delete()
