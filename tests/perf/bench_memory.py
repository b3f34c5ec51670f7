"""Memory of a web worker that has served every establishment of the region (issue 14).

A PostgreSQL backend caches catalog entries for every table it touches, in every schema; a web
worker keeps per-process caches (hosts, accounts, roles). One gunicorn worker, run with the
production settings that bound both (``CONN_MAX_AGE``: connections recycled; ``--max-requests``
with jitter: workers recycled), serves the school home of each establishment that has a schema
(the region the provisioning benchmark onboarded: MBN_BENCH_ESTABLISHMENTS, 841 in `make bench`),
signed in as a teacher of all of them. Prints the worker's RSS and its database backend's memory
after the first school and after all of them. Not a timed test.
"""

from __future__ import annotations

import http.client
import os
import secrets
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from tenants.models import Domain, EstablishmentStatus
from tests.conftest import mark_second_factor
from tests.perf.http_load import database_url, gunicorn

pytestmark = pytest.mark.perf
#: Run after the provisioning benchmark, to serve the region it onboarded (tests/perf/conftest.py).
BENCH_AFTER_REGION = True
REGION_SIZE = int(os.environ.get("MBN_BENCH_ESTABLISHMENTS", "841"))
#: The production settings of the web service (infra/terraform/modules/app/main.tf).
GUNICORN_ARGS = "--preload --max-requests 2000 --max-requests-jitter 200"
APPLICATION_NAME = f"mbn-bench-memory-{secrets.token_hex(3)}"


def _hosts() -> list[tuple[int, str]]:
    """(establishment id, primary host) of the serving establishments whose schema exists, on the
    base domain the served settings accept (not the session demo's schools, on the demo's domain)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        schemas = {row[0] for row in cursor.fetchall()}
    rows = (
        Domain.objects.filter(is_primary=True, tenant__status=EstablishmentStatus.ACTIVE)
        .exclude(tenant__schema_name="public")
        .order_by("tenant_id")
        .values_list("tenant_id", "domain", "tenant__schema_name")
    )
    suffix = f".{settings.MBN_BASE_DOMAIN}"
    served = [(tenant_id, domain) for tenant_id, domain, schema in rows if schema in schemas]
    return [(tenant_id, domain) for tenant_id, domain in served if domain.endswith(suffix)][:REGION_SIZE]


def _megabytes(pid: int) -> tuple[float, float]:
    """(RSS, private memory) of a process, in MB (private: what it does not share, e.g. with the
    PostgreSQL server's shared buffers)."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return fields["Rss"] / 1024, private / 1024


def _worker_pid(port: int) -> int:
    for process in psutil.process_iter(["pid", "cmdline"]):
        if f"127.0.0.1:{port}" in " ".join(process.info["cmdline"] or []):
            children = process.children()
            if children:
                return int(children[0].pid)
    raise RuntimeError("no gunicorn worker found")


def _backend_pid() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _get(port: int, host: str, cookie: str) -> int:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    client.request("GET", "/", headers={"Host": host, "Cookie": cookie})
    response = client.getresponse()
    response.read()
    client.close()
    return response.status


def _figures(port: int) -> str:
    worker_rss, worker_private = _megabytes(_worker_pid(port))
    backend = _backend_pid()
    backend_text = "not found"
    if backend is not None and Path(f"/proc/{backend}").exists():
        rss, private = _megabytes(backend)
        backend_text = f"RSS {rss:.0f} MB, private {private:.0f} MB"
    return (
        f"worker RSS {worker_rss:.0f} MB (private {worker_private:.0f} MB); database backend {backend_text}"
    )


def test_a_worker_after_serving_every_establishment(committed_db, bench_report):
    hosts = _hosts()
    if not hosts:
        pytest.skip("no establishment with a schema (the provisioning benchmark onboards the region)")
    teacher = User.objects.create_user(
        f"bench-memory-{secrets.token_hex(4)}", first_name="Bench", last_name="Memory"
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=teacher, establishment_id=tenant_id, role=Role.TEACHER, status=MembershipStatus.ACTIVE
            )
            for tenant_id, _host in hosts
        ],
        batch_size=1000,
    )
    client = Client()
    client.force_login(teacher)
    mark_second_factor(client, teacher)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    env = {
        "DATABASE_URL": f"{database_url()}?application_name={APPLICATION_NAME}",
        "MBN_ENV": "test",
        "DEBUG": "0",
        "MBN_SKIP_SENTRY": "1",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_CMD_ARGS": GUNICORN_ARGS,
    }
    try:
        with gunicorn("mbn_platform.config.wsgi:application", env=env, workers=1) as port:
            assert _get(port, hosts[0][1], cookie) == 200
            first = _figures(port)
            statuses = [_get(port, host, cookie) for _tenant_id, host in hosts[1:]]
            last = _figures(port)
    finally:
        session_key = client.session.session_key
        Membership.objects.filter(user=teacher).delete()
        Session.objects.filter(session_key=session_key).delete()
        teacher.delete()
    bench_report(
        f"memory: one web worker (CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']} s, "
        f"{GUNICORN_ARGS}) after the home page of 1 establishment: {first}"
    )
    bench_report(f"memory: after the home pages of all {len(hosts)} establishments: {last}")
    assert all(status == 200 for status in statuses), sorted(set(statuses))
