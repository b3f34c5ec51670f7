"""Per-request overhead of tenant resolution + membership check.

The same minimal view (``/ping``, which reads the signed-in user) is served through the whole
middleware stack with and without the two tenancy middlewares, in one run, interleaved in rounds
so that machine noise hits both alike. Prints the ratio (goal: <= 1.15). Not a timed test.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings

from shared_apps.identity.roles import Role
from tests.conftest import host_of, mark_second_factor
from tests.factories import member

pytestmark = pytest.mark.perf

TENANCY_MIDDLEWARE = (
    "tenants.middleware.EstablishmentMiddleware",
    "mbn_platform.kernel.middleware.membership.MembershipMiddleware",
)
ROUNDS = 7
REQUESTS_PER_ROUND = 150


def _time_requests(client: Client, host: str) -> float:
    start = time.perf_counter()
    for _ in range(REQUESTS_PER_ROUND):
        response = client.get("/ping", HTTP_HOST=host)
        assert response.status_code == 200
    return (time.perf_counter() - start) / REQUESTS_PER_ROUND


def test_tenancy_overhead_per_request(school_a, bench_report):
    user = member(school_a, Role.TEACHER)
    host = host_of(school_a)
    client = Client()
    client.force_login(user)
    mark_second_factor(client, user)  # a staff session, verified as after a real sign-in
    without_tenancy = [m for m in settings.MIDDLEWARE if m not in TENANCY_MIDDLEWARE]

    with_times, without_times = [], []
    for _ in range(ROUNDS):
        with_times.append(_time_requests(client, host))
        with override_settings(MIDDLEWARE=without_tenancy, ROOT_URLCONF="mbn_platform.config.urls_tenant"):
            without_times.append(_time_requests(client, host))

    with_us = statistics.median(with_times) * 1e6
    without_us = statistics.median(without_times) * 1e6
    ratio = with_us / without_us
    bench_report(
        f"tenancy overhead per request: with {with_us:.0f} µs, without {without_us:.0f} µs, "
        f"ratio {ratio:.3f} (goal <= 1.15; median of {ROUNDS} rounds x {REQUESTS_PER_ROUND} requests)"
    )
    assert with_us > 0 and without_us > 0
