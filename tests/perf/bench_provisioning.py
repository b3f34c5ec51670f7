"""Provisioning benchmarks (issue: provisioning service), printed as ratios measured in one run.

1. Onboarding one establishment's schema by cloning the template vs by running the migrations
   (goal: cloning >= 3x faster).
2. Onboarding the whole region, 841 establishments, through recorded jobs run by 2 worker
   processes (goal: under 20 minutes on a 2-core machine). MBN_BENCH_ESTABLISHMENTS sets the
   count: `make bench` uses 841, `make test` a sample of 100.
3. ``mbn migrate_all`` with nothing to apply on those establishments vs django-tenants' plain
   ``migrate_schemas`` in the same run (goal: >= 5x faster).

Not timed tests: they print. They run last (see tests/perf/conftest.py) because the region they
create stays in the test database until the end of the session.
"""

from __future__ import annotations

import io
import os
import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from tenants.models import Establishment, JobStatus, ProvisioningJob
from tenants.provisioning.region import region_seed
from tenants.schemas import schema_create_from_template

pytestmark = pytest.mark.perf
REGION_SIZE = int(os.environ.get("MBN_BENCH_ESTABLISHMENTS", "841"))


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_onboarding_a_schema_by_cloning_vs_by_migrations(db, bench_report):
    def by_migrations(name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=0)

    schema_create_from_template(schema_name="t_bench_warm")  # installs the clone function once
    cloning = [
        _timed(lambda i=i: schema_create_from_template(schema_name=f"t_bench_clone_{i}")) for i in range(3)
    ]
    migrating = [_timed(lambda i=i: by_migrations(f"t_bench_migr_{i}")) for i in range(3)]
    connection.set_schema_to_public()
    clone_s, migrate_s = statistics.median(cloning), statistics.median(migrating)
    bench_report(
        f"onboard one schema: cloning {clone_s * 1000:.0f} ms, migrations {migrate_s * 1000:.0f} ms, "
        f"cloning is {migrate_s / clone_s:.1f}x faster (goal >= 3x)"
    )
    assert clone_s > 0


def test_onboarding_the_region_then_migrating_all_of_it(committed_db, bench_report):
    before = Establishment.objects.count()
    elapsed = _timed(lambda: region_seed(count=REGION_SIZE, processes=2))
    created = Establishment.objects.count() - before
    failed = ProvisioningJob.objects.filter(status=JobStatus.FAILED).count()
    bench_report(
        f"onboard {created} establishments (2 worker processes): {elapsed:.0f} s = {elapsed / 60:.1f} min, "
        f"{elapsed / max(created, 1) * 1000:.0f} ms each (goal: {REGION_SIZE} in under 20 min); "
        f"{failed} failed"
    )
    assert created == REGION_SIZE
    assert failed == 0

    total = Establishment.objects.count()
    smart = _timed(lambda: call_command("migrate_all", jobs=2, verbosity=0))
    plain = _timed(
        lambda: call_command(
            "migrate_schemas", interactive=False, verbosity=0, executor="standard", stdout=io.StringIO()
        )
    )
    bench_report(
        f"migrate with nothing to apply on {total} establishments: mbn migrate_all {smart:.1f} s, "
        f"plain migrate_schemas {plain:.1f} s, ratio {plain / smart:.1f}x (goal >= 5x)"
    )
    assert smart > 0
