"""Provisioning benchmarks (issues: provisioning service; provisioning at region scale).

They run against the database the suite is given (the machine's PostgreSQL in CI) and print its
durability settings next to every figure: a figure measured with ``fsync`` or
``synchronous_commit`` off is labelled so, since commits then cost nothing and it says little
about a production server (RDS runs with both on).

1. One schema by cloning the template vs by running the migrations (goal: cloning >= 3x faster).
2. Offboarding (export + offboard) and restoring one establishment before the region exists.
3. The region: MBN_BENCH_ESTABLISHMENTS establishments (`make bench`: 841; `make test`: 100)
   onboarded through recorded jobs by 2 worker processes (goal: 841 in under 20 minutes), with
   the time per establishment over the first 50 and the last 50 (goal: last <= 1.5 x first).
4. The parallel speed-up: a sample of MBN_BENCH_SERIAL_SAMPLE more establishments onboarded by 1
   process after the region, per establishment, vs the last 50 by 2 (goal: 2 are >= 1.6x faster).
5. ``mbn migrate_all`` with nothing to apply vs django-tenants' plain ``migrate_schemas``
   (goal: >= 5x faster).
6. ``mbn migrate_all`` applying one real migration (tests/provisioning/probe_app) to every schema,
   in its own process with 2 workers; the migration is removed afterwards.
7. Offboarding and restoring one establishment in the region, vs figure 2 (goal: the same cost
   whatever the number of schemas; the export's pg_dump reads the whole catalog, so it grows).

Not timed tests: they print. They run last (see tests/perf/conftest.py) because the region they
create stays in the test database until the end of the session.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from tenants.models import Establishment, EstablishmentKind, JobStatus, ProvisioningJob
from tenants.offboarding import establishment_export, establishment_offboard, establishment_restore
from tenants.provisioning.jobs import establishment_create
from tenants.provisioning.region import region_establishments, region_seed
from tenants.schemas import schema_create_from_template
from tenants.uai import uai_check_letter
from tests.provisioning.probe import (
    establishment_schemas,
    migrate_all_start,
    probe_applied,
    probe_remove,
    probe_tables,
)

pytestmark = pytest.mark.perf
REGION_SIZE = int(os.environ.get("MBN_BENCH_ESTABLISHMENTS", "841"))
SERIAL_SAMPLE = int(os.environ.get("MBN_BENCH_SERIAL_SAMPLE", "20"))
WINDOW = 50
_FIGURES: dict[str, Any] = {}


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _server() -> str:
    """The server's durability settings, as printed next to each figure."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('fsync'), "
            "current_setting('synchronous_commit')"
        )
        version, fsync, synchronous_commit = cursor.fetchone()
    settings = f"PostgreSQL {version}, fsync={fsync}, synchronous_commit={synchronous_commit}"
    if fsync != "on" or synchronous_commit == "off":
        return f"[DURABILITY OFF: {settings}]"
    return f"[{settings}]"


def _schema_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        return int(cursor.fetchone()[0])


def _per_establishment(finished: list[datetime]) -> tuple[float, float, int]:
    """Seconds per establishment over the first and the last ``WINDOW`` jobs to finish (fewer
    when the region is small, so that the two windows do not overlap), from their finish times."""
    window = min(WINDOW, (len(finished) - 1) // 2)
    first = (finished[window] - finished[0]).total_seconds() / window
    last = (finished[-1] - finished[-1 - window]).total_seconds() / window
    return first, last, window


def _finish_times(uais: list[str]) -> list[datetime]:
    return list(
        ProvisioningJob.objects.filter(uai__in=uais, status=JobStatus.SUCCEEDED)
        .order_by("finished_at")
        .values_list("finished_at", flat=True)
    )


def test_onboarding_a_schema_by_cloning_vs_by_migrations(db, bench_report):
    def by_migrations(name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=0)

    schema_create_from_template(schema_name="t_bench_warm")  # reads the template's clone plan once
    cloning = [
        _timed(lambda i=i: schema_create_from_template(schema_name=f"t_bench_clone_{i}")) for i in range(3)
    ]
    migrating = [_timed(lambda i=i: by_migrations(f"t_bench_migr_{i}")) for i in range(3)]
    connection.set_schema_to_public()
    clone_s, migrate_s = statistics.median(cloning), statistics.median(migrating)
    _FIGURES["clone_before"] = (clone_s, _schema_count())
    bench_report(
        f"onboard one schema: cloning {clone_s * 1000:.0f} ms, migrations {migrate_s * 1000:.0f} ms, "
        f"cloning is {migrate_s / clone_s:.1f}x faster (goal >= 3x) {_server()}"
    )
    assert clone_s > 0


def _offboard_and_restore(tag: str, tmp_path: Path, settings: Any) -> tuple[float, float, float, int]:
    """Export, offboard and restore one establishment; return the three times and the number of
    schemas in the database meanwhile. The restored establishment is deleted afterwards."""
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.S3_BACKUPS_BUCKET = ""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    digits = "0679990" if tag == "before" else "0679991"  # far from the region's (5000 + rank)
    school = establishment_create(
        actor=None,
        uai=digits + uai_check_letter(digits),
        name=f"Collège banc d'essai ({tag})",
        kind=EstablishmentKind.COLLEGE,
        academie="Strasbourg",
        departement="67",
        subdomain=f"bench-offboarding-{tag}",
    )
    schemas = _schema_count()
    restored: Establishment | None = None
    try:
        start = time.perf_counter()
        export = establishment_export(actor=None, establishment=school)
        exported = time.perf_counter()
        establishment_offboard(
            actor=None, establishment=school, confirm_uai=school.uai, export_key=export.key
        )
        offboarded = time.perf_counter()
        restored = establishment_restore(actor=None, export_key=export.key)
        restored_at = time.perf_counter()
    finally:
        for leftover in Establishment.objects.filter(uai=school.uai):
            leftover.delete(force_drop=True)
        ProvisioningJob.objects.filter(uai=school.uai).delete()
    assert restored is not None
    return exported - start, offboarded - exported, restored_at - offboarded, schemas


def _report_offboarding(
    bench_report: Callable[[str], None], tag: str, figures: tuple[float, float, float, int]
) -> None:
    export_s, offboard_s, restore_s, schemas = figures
    bench_report(
        f"offboard and restore one establishment among {schemas} schemas ({tag}): export {export_s:.1f} s, "
        f"offboard {offboard_s:.1f} s, restore {restore_s:.1f} s {_server()}"
    )


def test_offboarding_and_restoring_one_establishment_before_the_region(
    committed_db, tmp_path, settings, bench_report
):
    _FIGURES["offboarding_before"] = figures = _offboard_and_restore("before", tmp_path, settings)
    _report_offboarding(bench_report, "before the region", figures)


def test_onboarding_the_region_with_2_processes_then_1(committed_db, bench_report):
    region = [data.uai for data in region_establishments(REGION_SIZE)]
    runs: list[int] = []
    elapsed = _timed(lambda: runs.append(region_seed(count=REGION_SIZE, processes=2)))
    created = runs[0]
    failed = ProvisioningJob.objects.filter(status=JobStatus.FAILED).count()
    first, last, window = _per_establishment(_finish_times(region))
    server = _server()
    bench_report(
        f"onboard {created} establishments (2 worker processes): {elapsed:.0f} s = {elapsed / 60:.1f} min, "
        f"{elapsed / max(created, 1) * 1000:.0f} ms each (goal: 841 in under 20 min); {failed} failed "
        f"{server}"
    )
    bench_report(
        f"onboarding per establishment, first {window}: {first * 1000:.0f} ms, last {window}: "
        f"{last * 1000:.0f} ms, last/first {last / first:.2f} (goal <= 1.5) {server}"
    )
    assert created == REGION_SIZE
    assert Establishment.objects.filter(uai__in=region).count() == REGION_SIZE
    assert failed == 0

    sample = [data.uai for data in region_establishments(REGION_SIZE + SERIAL_SAMPLE)[REGION_SIZE:]]
    region_seed(count=REGION_SIZE + SERIAL_SAMPLE, processes=1)
    serial = _finish_times(sample)
    assert len(serial) == SERIAL_SAMPLE
    one = (serial[-1] - serial[0]).total_seconds() / (len(serial) - 1)
    bench_report(
        f"onboarding per establishment with {REGION_SIZE}+ schemas: 1 process {one * 1000:.0f} ms "
        f"({SERIAL_SAMPLE} establishments), 2 processes {last * 1000:.0f} ms (last {window}), "
        f"speed-up {one / last:.2f}x (goal >= 1.6x) {server}"
    )


def test_cloning_a_schema_in_the_region(committed_db, bench_report):
    # Committed (pytest-django runs the tests that use ``db`` first, before the region exists).
    names = [f"t_bench_region_{i}" for i in range(6)]
    try:
        schema_create_from_template(schema_name=names[0])
        clone_s = statistics.median(
            _timed(lambda n=n: schema_create_from_template(schema_name=n)) for n in names[1:]
        )
        schemas = _schema_count()
    finally:
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
    before_s, before_schemas = _FIGURES.get("clone_before", (clone_s, schemas))
    bench_report(
        f"clone one schema among {schemas} schemas: {clone_s * 1000:.0f} ms, among {before_schemas}: "
        f"{before_s * 1000:.0f} ms, ratio {clone_s / before_s:.2f} (goal <= 1.5) {_server()}"
    )


def test_migrate_all_with_nothing_to_apply_vs_migrate_schemas(committed_db, bench_report):
    total = Establishment.objects.count()
    smart = _timed(lambda: call_command("migrate_all", jobs=2, verbosity=0))
    plain = _timed(
        lambda: call_command(
            "migrate_schemas", interactive=False, verbosity=0, executor="standard", stdout=io.StringIO()
        )
    )
    bench_report(
        f"migrate with nothing to apply on {total} establishments: mbn migrate_all {smart:.1f} s, "
        f"plain migrate_schemas {plain:.1f} s, ratio {plain / smart:.1f}x (goal >= 5x) {_server()}"
    )
    assert smart > 0


def test_migrate_all_applying_one_migration_to_the_region(committed_db, bench_report):
    schemas = establishment_schemas()
    try:
        start = time.perf_counter()
        process = migrate_all_start(jobs=2, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output = process.communicate(timeout=4 * 3600)[0].decode()
        elapsed = time.perf_counter() - start
        assert process.returncode == 0, output[-3000:]
        assert probe_applied(schemas) == probe_tables(schemas) == set(schemas)
    finally:
        probe_remove()
    bench_report(
        f"mbn migrate_all applying one migration (a table, an index, a foreign key) to {len(schemas)} "
        f"establishments and the template (its own process, 2 workers): {elapsed:.0f} s, "
        f"{elapsed / len(schemas) * 1000:.0f} ms per establishment {_server()}"
    )


def test_offboarding_and_restoring_one_establishment_in_the_region(
    committed_db, tmp_path, settings, bench_report
):
    figures = _offboard_and_restore("region", tmp_path, settings)
    _report_offboarding(bench_report, "in the region", figures)
    before = _FIGURES.get("offboarding_before")
    if before is not None:
        bench_report(
            f"offboarding among {figures[3]} vs {before[3]} schemas: export {figures[0]:.1f} s vs "
            f"{before[0]:.1f} s (its pg_dump reads the whole catalog), offboard + restore "
            f"{figures[1] + figures[2]:.1f} s vs {before[1] + before[2]:.1f} s, ratio "
            f"{(figures[1] + figures[2]) / (before[1] + before[2]):.2f} (goal: about 1) {_server()}"
        )
